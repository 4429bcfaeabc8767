using System.Runtime.CompilerServices;

namespace Stakker.Internal;

/// <summary>Reference stores that skip writing what is already there</summary>
/// <remarks>Every reference stored into the heap costs a GC write barrier. Pooled nodes and queue slots
/// keep their last target and handler, which the next call through them usually writes again; comparing
/// first turns that write into a load (decision 001). What such fields keep alive is let go by the Core's
/// trim (decision 012).</remarks>
internal static class Store
{
    /// <summary>Stores <paramref name="value"/> into <paramref name="field"/> unless it already holds it</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void IfChanged<T>(ref T field, T value) where T : class?
    {
        if (!ReferenceEquals(field, value)) field = value;
    }
}
