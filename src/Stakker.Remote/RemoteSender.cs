using System.ComponentModel;
using Stakker.Remote.Wire;

namespace Stakker.Remote;

/// <summary>Where a proxy's calls go: a node and the subject of one published name (used by generated proxies)</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RemoteSender
{
    Ret<StopCause> _onLost;

    internal RemoteSender(RemoteNode node, string subject, Ret<StopCause> onLost)
    {
        Node = node;
        Subject = subject;
        _onLost = onLost;
    }

    /// <summary>The node that sends</summary>
    public RemoteNode Node { get; }

    /// <summary>The subject calls are published to</summary>
    public string Subject { get; }

    /// <summary>Starts one call record; finish it with <see cref="CallWriter.Send"/></summary>
    /// <exception cref="RemoteFullException">Too much is waiting for NATS; nothing was written</exception>
    public CallWriter BeginCall(uint method, int argCount, int endCount)
    {
        if (argCount is < 0 or > FrameFormat.MaxArgs || endCount < 0 || endCount > argCount || endCount > CallWriter.MaxEnds)
            throw new ArgumentOutOfRangeException(nameof(argCount));
        Node.CheckCanSend();
        return new CallWriter(this, Node.WriterFor(Subject), method, argCount, endCount);
    }

    internal void ReportLost()
    {
        if (_onLost.IsPending) _onLost.Answer(StopCause.Lost);
    }
}

/// <summary>Writes one call's arguments in parameter order (used by generated proxies)</summary>
/// <remarks>Rets and streams are registered only by <see cref="Send"/>, once every value is written
/// and the record is known to fit, so a call that throws leaves nothing behind.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct CallWriter
{
    internal const int MaxEnds = 4;
    readonly RemoteSender _sender;
    readonly FrameWriter _w;
    readonly int _record;
    readonly int _endsAt;
    readonly int _argCount;
    readonly int _endCount;
    int _args;
    int _ends;
    Pending? _e0, _e1, _e2, _e3;

    internal CallWriter(RemoteSender sender, FrameWriter w, uint method, int argCount, int endCount)
    {
        _sender = sender;
        _w = w;
        _argCount = argCount;
        _endCount = endCount;
        _record = w.BeginRecord(RecordKind.Call);
        w.WriteUInt32(method);
        w.WriteByte((byte)argCount);
        w.WriteByte((byte)endCount);
        _endsAt = w.Reserve(8 * endCount);
    }

    /// <summary>A serialised argument</summary>
    public void Value<T>(T value)
    {
        try { RemoteNode.WriteValue(_w, value); }
        catch
        {
            _w.Rewind(_record);
            throw;
        }
        _args++;
    }

    /// <summary>A Ret argument: its answer comes back to this node</summary>
    public void Ret<T>(Ret<T> ret)
    {
        if (!ret.IsPending && !ret.IsNop)
        {
            _w.Rewind(_record);
            throw new InvalidOperationException("This Ret was already answered or abandoned.");
        }
        AddEnd(new PendingRet<T>(_sender, ret));
    }

    /// <summary>A stream argument: its items come back to this node</summary>
    public void Fwd<T>(Fwd<T> fwd)
    {
        ArgumentNullException.ThrowIfNull(fwd);
        AddEnd(new PendingFwd<T>(_sender, fwd));
    }

    void AddEnd(Pending p)
    {
        if (_ends >= _endCount)
        {
            _w.Rewind(_record);
            throw new InvalidOperationException("More Ret and Fwd arguments than the call declared.");
        }
        switch (_ends)
        {
            case 0: _e0 = p; break;
            case 1: _e1 = p; break;
            case 2: _e2 = p; break;
            default: _e3 = p; break;
        }
        _w.WriteUInt32(1);
        _w.WriteByte((byte)_ends);
        _ends++;
        _args++;
    }

    /// <summary>Completes the record; it leaves with the Core run's batch for this subject</summary>
    public void Send()
    {
        RemoteNode node = _sender.Node;
        if (_args != _argCount || _ends != _endCount)
        {
            _w.Rewind(_record);
            throw new InvalidOperationException($"The call declared {_argCount} arguments ({_endCount} Ret/Fwd) and wrote {_args} ({_ends}).");
        }
        if (_w.Count - _record > node.MaxRecordBytes)
        {
            int size = _w.Count - _record;
            _w.Rewind(_record);
            throw new ArgumentException($"The call's arguments take {size} bytes, over the bound of half MaxFrameBytes ({node.MaxRecordBytes}).");
        }
        for (int i = 0; i < _ends; i++)
        {
            Pending p = i switch { 0 => _e0!, 1 => _e1!, 2 => _e2!, _ => _e3! };
            _w.PatchUInt64(_endsAt + 8 * i, node.Register(p));
        }
        _w.EndRecord(_record);
        node.Touched(_sender.Subject);
    }
}
