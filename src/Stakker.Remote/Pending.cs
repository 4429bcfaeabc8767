namespace Stakker.Remote;

/// <summary>A Ret or stream this node sent out and waits on, kept until answered, ended or given up</summary>
internal abstract class Pending
{
    protected Pending(RemoteSender sender) => Sender = sender;

    public RemoteSender Sender { get; }
    public Instant LastHeard { get; set; }
    public abstract bool IsStream { get; }

    /// <summary>A value (an answer, or a stream item)</summary>
    public abstract void Item(ReadOnlySpan<byte> bytes);
    /// <summary>Dropped unanswered by a live actor</summary>
    public abstract void None();
    public abstract void End();
    public abstract void Fail(string message);

    /// <summary>Given up: the remote actor is gone, or nothing was heard within the bound</summary>
    public void Lost(string why)
    {
        LostCore(why);
        Sender.ReportLost();
    }

    protected abstract void LostCore(string why);
}

#pragma warning disable STK0004 // the Ret is kept in this object and answered by the node, which owns it
internal sealed class PendingRet<T>(RemoteSender sender, Ret<T> ret) : Pending(sender)
{
    Ret<T> _ret = ret;
#pragma warning restore STK0004

    public override bool IsStream => false;

    public override void Item(ReadOnlySpan<byte> bytes)
    {
        T value = RemoteNode.ReadPrefixedValue<T>(bytes);
        // The caller may have answered a copy of its Ret itself; the first answer wins, as locally.
        if (_ret.IsPending) _ret.Answer(value);
    }

    public override void None() => _ret.Dispose();
    public override void End() => _ret.Dispose();
    public override void Fail(string message) => _ret.Abandon(StopCause.Lost);
    protected override void LostCore(string why) => _ret.Abandon(StopCause.Lost);
}

internal sealed class PendingFwd<T>(RemoteSender sender, Fwd<T> fwd) : Pending(sender)
{
    public override bool IsStream => true;

    public override void Item(ReadOnlySpan<byte> bytes)
    {
        T value = RemoteNode.ReadPrefixedValue<T>(bytes);
        if (!fwd.IsEnded) fwd.Send(value);
    }

    public override void None() => End();

    public override void End()
    {
        if (!fwd.IsEnded) fwd.End();
    }

    public override void Fail(string message)
    {
        if (!fwd.IsEnded) fwd.Fail(new RemoteException(message));
    }

    protected override void LostCore(string why)
    {
        if (!fwd.IsEnded) fwd.Fail(new RemoteLostException("Remote stream lost: " + why));
    }
}
