using System.Text;
using Microsoft.Extensions.Logging;
using Stakker.Remote.Wire;

namespace Stakker.Remote;

public sealed partial class RemoteNode
{
    void DrainIncoming()
    {
        while (_in.TryDequeue(out Incoming frame))
        {
            if (frame.Dropped)
            {
                if (!_disposed) HandleDropped(frame);
                continue;
            }
            Interlocked.Add(ref _incomingBytes, -frame.Length);
            if (_disposed) continue;
            if (frame.Target is { IsDisposed: true }) continue;
            try { CheckFrame(frame.Data!); }
            catch (RemoteFrameException e)
            {
                _log.LogError("Stakker.Remote node {Node}: frame of {Bytes} bytes from {ReplyTo} rejected: {Reason}",
                    NodeId, frame.Length, frame.ReplyTo ?? "(no reply subject)", e.Message);
                continue;
            }
            HandleFrame(frame);
        }
    }

    /// <summary>The whole frame is walked once before anything in it acts, so a frame cut short or
    /// padded is rejected whole rather than half applied</summary>
    void CheckFrame(ReadOnlySpan<byte> data)
    {
        FrameReader r = FrameReader.Open(data, Options);
        while (r.Next(out _, out _)) { }
    }

    void HandleFrame(Incoming frame)
    {
        FrameReader r = FrameReader.Open(frame.Data!, Options);
        while (r.Next(out RecordKind kind, out ReadOnlySpan<byte> payload))
        {
            try
            {
                if (frame.Target is { } target)
                {
                    if (kind != RecordKind.Call) throw new RemoteFrameException($"a {kind} record sent to an actor's subject");
                    HandleCall(target, frame.ReplyTo, payload);
                }
                else
                    HandleAnswer(kind, payload);
            }
            catch (RemoteFrameException e)
            {
                _log.LogError("Stakker.Remote node {Node}: {Kind} record from {ReplyTo} rejected: {Reason}",
                    NodeId, kind, frame.ReplyTo ?? "(no reply subject)", e.Message);
            }
        }
    }

    void HandleCall(RemotePublication target, string? replyTo, ReadOnlySpan<byte> payload)
    {
        var call = new CallReader(this, target, replyTo, payload);
        try
        {
            if (target.IsGone) return;
            target.Dispatch(ref call);
        }
        catch (RemoteFrameException e)
        {
            _log.LogError("Stakker.Remote node {Node}: call 0x{Method:x8} to {Subject} from {ReplyTo} rejected: {Reason}",
                NodeId, call.Method, target.Subject, replyTo ?? "(no reply subject)", e.Message);
        }
        finally
        {
            // Every Ret and stream the call carried and no handler took is answered at once, so the
            // caller never waits for the loss timer on a call that was refused here.
            call.AnswerUntaken();
        }
    }

    void HandleAnswer(RecordKind kind, ReadOnlySpan<byte> payload)
    {
        switch (kind)
        {
            case RecordKind.KeepAlive:
                HandleKeepAlive(payload);
                return;
            case RecordKind.RetValue or RecordKind.RetNone or RecordKind.Gone or RecordKind.FwdItem or RecordKind.FwdEnd or RecordKind.FwdFail:
                break;
            default:
                throw new RemoteFrameException($"unknown or misplaced record kind {(byte)kind}");
        }
        ulong id = FrameReader.Id(payload);
        ReadOnlySpan<byte> rest = payload.Slice(8);
        // An id not pending was answered, ended or given up already: never a second answer.
        if (!_pending.TryGetValue(id, out Pending? p)) return;
        p.LastHeard = _core.Now;
        if (kind == RecordKind.FwdItem && p is { IsStream: true })
        {
            try { p.Item(rest); }
            catch (RemoteFrameException)
            {
                _pending.Remove(id);
                p.Fail("an item could not be read");
                throw;
            }
            return;
        }
        _pending.Remove(id);
        switch (kind)
        {
            case RecordKind.RetValue when !p.IsStream:
                try { p.Item(rest); }
                catch (RemoteFrameException) { p.None(); throw; }
                break;
            case RecordKind.RetNone:
                p.None();
                break;
            case RecordKind.Gone:
                p.Lost("the remote actor is gone or refused the call");
                break;
            case RecordKind.FwdEnd:
                p.End();
                break;
            case RecordKind.FwdFail:
                p.Fail(rest.Length <= 4096 ? Encoding.UTF8.GetString(rest) : Encoding.UTF8.GetString(rest.Slice(0, 4096)));
                break;
            default:
                p.None();
                throw new RemoteFrameException($"a {kind} record for a {(p.IsStream ? "stream" : "Ret")}");
        }
    }
}
