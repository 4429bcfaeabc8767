using System.Diagnostics;
using System.Runtime.CompilerServices;
using Stakker.Internal;
using Stakker.Returns;

namespace Stakker;

/// <summary>Sends one result to an end-point, exactly once</summary>
/// <remarks>
/// <para>A 16-byte handle (node + version) to a pooled end-point: creating, passing and answering a
/// Ret allocate nothing in steady state. Answer it with <see cref="Answer(T)"/>; answering twice
/// throws. If it can no longer be answered, its end-point receives "no value"
/// (<see cref="Answer{T}.HasValue"/> false) at once, not at some later garbage collection:</para>
/// <list type="bullet">
/// <item>when a call carrying it is dropped because its target actor has ended;</item>
/// <item>when the actor it was delivered to (and that kept it) ends;</item>
/// <item>when it is disposed unanswered (<see cref="Dispose"/>).</item>
/// </list>
/// <para>Only a Ret passed directly as a call argument is tracked this way. A Ret stored inside
/// another object travels with that object's owner: dispose it if you drop it.</para>
/// <para>The default value is a no-op Ret (<see cref="Ret.Nop{T}"/>).</para>
/// </remarks>
[DebuggerDisplay("{ToString(),nq}")]
public readonly partial struct Ret<T> : IDisposable, IRetHandle
{
    // Layout must match RetHandle: one node reference, then the version.
    internal readonly RetNode<T>? Node;
    internal readonly int Version;

    internal Ret(RetNode<T> node)
    {
        Node = node;
        Version = node.Version;
    }

    /// <summary>True while the Ret can still be answered (false for a no-op Ret)</summary>
    public bool IsPending => Node is { } n && n.Version == Version;

    /// <summary>True for a no-op Ret, which ignores answers</summary>
    public bool IsNop => Node is null;

    /// <summary>Sends <paramref name="value"/> to the end-point</summary>
    /// <exception cref="InvalidOperationException">The Ret was already answered or disposed, or this is the wrong thread.</exception>
    public void Answer(T value)
    {
        RetNode<T>? n = Node;
        if (n is null) return;
        n.Core.CheckThread();
        if (n.Version != Version) ThrowHelper.ThrowRetAnswered(typeof(T));
        n.Version++;
        RetHolding.Release(n);
        n.Deliver(value);
    }

    /// <summary>Answers "no value" if the Ret is still pending; does nothing after an answer</summary>
    public void Dispose()
    {
        RetNode<T>? n = Node;
        if (n is null || n.Version != Version) return;
        n.Core.CheckThread();
        RetHolding.ReleaseAndAbandon(n);
    }

    /// <summary>"No value" with <paramref name="cause"/> (a <c>StopCause</c>) if still pending</summary>
    internal void AbandonWith(object cause)
    {
        RetNode<T>? n = Node;
        if (n is null || n.Version != Version) return;
        n.Core.CheckThread();
        RetHolding.Release(n);
        n.Abandon(cause);
    }

    /// <summary>Answer used by the runtime itself (notify Rets), already on the Core's thread</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void AnswerInternal(T value)
    {
        RetNode<T>? n = Node;
        if (n is null || n.Version != Version) return;
        n.Version++;
        RetHolding.Release(n);
        n.Deliver(value);
    }

    /// <summary>Describes the Ret's state</summary>
    public override string ToString() =>
        Node is null ? "Ret<" + typeof(T).Name + ">(nop)" :
        IsPending ? "Ret<" + typeof(T).Name + ">(pending)" : "Ret<" + typeof(T).Name + ">(done)";
}

/// <summary>Marks Ret handles so the runtime can find them among call arguments</summary>
internal interface IRetHandle;

/// <summary>Untyped view of a <see cref="Ret{T}"/>, same layout</summary>
internal readonly struct RetHandle
{
    internal readonly RetNodeBase? Node;
    internal readonly int Version;

    /// <summary>A handle to <paramref name="node"/> as it is now</summary>
    internal RetHandle(RetNodeBase node)
    {
        Node = node;
        Version = node.Version;
    }
}
