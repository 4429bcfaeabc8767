using System.Runtime.CompilerServices;
using Stakker.Calls;

namespace Stakker.Tests.CoreLoop;

/// <summary>Sizes and layouts the docs promise, or the runtime relies on, pinned so a change fails here first</summary>
public class LayoutTests
{
    sealed class Light;

    [Fact]
    public void Handles_HaveTheirDocumentedSizes()
    {
        Assert.Equal(8, Unsafe.SizeOf<Actor<Light>>());
        Assert.Equal(16, Unsafe.SizeOf<Ret<int>>());
        Assert.Equal(16, Unsafe.SizeOf<Ret<(long, long, long)>>());
        Assert.Equal(8, Unsafe.SizeOf<Instant>());
        Assert.Equal(8, Unsafe.SizeOf<FixedTimerKey>());
        Assert.Equal(8, Unsafe.SizeOf<MaxTimerKey>());
        Assert.Equal(8, Unsafe.SizeOf<MinTimerKey>());
    }

    [Fact]
    public void QueueSlot_Is40Bytes_SoAFullRingStaysOffTheLargeObjectHeap()
    {
        Assert.Equal(40, Unsafe.SizeOf<CallSlot>());
        Assert.True(CallRing.MaxRing * Unsafe.SizeOf<CallSlot>() + 32 < 85_000);
    }

    static void RetLayout<T>(Core core)
    {
        Ret<T> ret = Ret.From<T>(core, static _ => { });
        ref byte start = ref Unsafe.As<Ret<T>, byte>(ref ret);
        RetHandle view = Unsafe.As<Ret<T>, RetHandle>(ref ret);
        // The runtime reads any Ret<T> through the untyped RetHandle: same size, same field offsets.
        Assert.Equal(Unsafe.SizeOf<Ret<T>>(), Unsafe.SizeOf<RetHandle>());
        Assert.Same(ret.Node, view.Node);
        Assert.Equal(ret.Version, view.Version);
        Assert.Equal(
            Unsafe.ByteOffset(ref start, ref Unsafe.As<Stakker.Returns.RetNode<T>?, byte>(ref Unsafe.AsRef(in ret.Node))),
            Unsafe.ByteOffset(ref Unsafe.As<RetHandle, byte>(ref view), ref Unsafe.As<Stakker.Returns.RetNodeBase?, byte>(ref Unsafe.AsRef(in view.Node))));
        Assert.Equal(
            Unsafe.ByteOffset(ref start, ref Unsafe.As<int, byte>(ref Unsafe.AsRef(in ret.Version))),
            Unsafe.ByteOffset(ref Unsafe.As<RetHandle, byte>(ref view), ref Unsafe.As<int, byte>(ref Unsafe.AsRef(in view.Version))));
        ret.Dispose();
    }

    [Fact]
    public void RetAndItsUntypedView_ShareOneLayout_ForEveryValueType()
    {
        var core = new Core(Instant.Zero);
        RetLayout<int>(core);
        RetLayout<string>(core);
        RetLayout<(long, long, long)>(core);
        RetLayout<StopCause>(core);
    }

    [Fact]
    public void AnOwner_Is32BytesOnTheHeap()
    {
        var core = new Core(Instant.Zero);
        using var own = core.Spawn<Light>(static cx => new Light(), Ret.Nop<StopCause>());
        using var warm = own.Owned();
        long before = GC.GetAllocatedBytesForCurrentThread();
        using var second = own.Owned();
        Assert.Equal(32, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
