using Stakker.Calls;

namespace Stakker.Actors;

/// <summary>Rarely used actor state, made on first use so the common actor stays small</summary>
/// <remarks>Holds what async code ties to an actor's life: a token cancelled at its end, and
/// listeners (pending delays, spawned tasks' Rets) told when it ends. Core thread only.</remarks>
internal sealed class ActorExtras
{
    CancellationTokenSource? _end;
    ActorEndListener? _head;

    /// <summary>The actor's logger, made on the first use of <c>Cx.Logger</c></summary>
    internal Microsoft.Extensions.Logging.ILogger? Logger;

    internal CancellationToken Token => (_end ??= new CancellationTokenSource()).Token;

    internal void Add(ActorEndListener l)
    {
        l.Owner = this;
        l.Prev = null;
        l.Next = _head;
        if (_head is not null) _head.Prev = l;
        _head = l;
    }

    internal void Remove(ActorEndListener l)
    {
        if (l.Prev is null) _head = (ActorEndListener?)l.Next;
        else l.Prev.Next = l.Next;
        if (l.Next is ActorEndListener n) n.Prev = l.Prev;
        l.Prev = null;
        l.Next = null;
        l.Owner = null;
    }

    /// <summary>The actor ended: cancel the token, tell every listener; returns the first error thrown</summary>
    /// <remarks>Every listener is told even if an earlier one (or a token callback) throws.</remarks>
    internal Exception? End()
    {
        Exception? error = null;
        try { _end?.Cancel(); }
        catch (Exception ex) { error = ex; }
        while (_head is { } l)
        {
            Remove(l);
            try { l.ActorEnded(); }
            catch (Exception ex) { error ??= ex; }
        }
        return error;
    }
}

/// <summary>Something told once when an actor ends, unless it unregisters first</summary>
internal abstract class ActorEndListener : PoolNode
{
    internal ActorEndListener? Prev;
    internal ActorExtras? Owner;

    internal abstract void ActorEnded();

    internal void Unregister() => Owner?.Remove(this);
}
