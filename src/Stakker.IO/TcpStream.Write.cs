using System.Buffers;
using System.Net.Sockets;

namespace Stakker.IO;

public sealed partial class TcpStream : IBufferWriter<byte>
{
    const int FirstOutputSize = 4096;

    /// <summary>The buffer the actor writes into: <c>[0, _outEnd)</c> waits to be sent</summary>
    byte[] _out = [];
    int _outEnd;
    /// <summary>The buffer being sent: <c>[_sendStart, _sendEnd)</c> is not yet acknowledged by the socket</summary>
    byte[] _sending = [];
    int _sendStart;
    int _sendEnd;
    readonly IoArgs _send;
    bool _sendPending;
    bool _flushQueued;
    readonly Action _flushAction;
    /// <summary>Output passed the high-water mark: a Writable event is owed once it drains</summary>
    bool _writeBlocked;
    bool _shutdownRequested;
    /// <summary>Our sending side is shut down (after a half-close or on closing)</summary>
    bool _writeClosed;

    /// <summary>Bytes written and not yet handed to the kernel</summary>
    public int OutputPending => _outEnd + (_sendEnd - _sendStart);

    /// <summary>True while more than <see cref="TcpStreamOptions.WriteHighWater"/> bytes wait: stop producing until <see cref="TcpEvent.Writable"/></summary>
    public bool IsWriteBlocked => _writeBlocked;

    /// <summary>True if writes are still accepted (not closing, not shut down, not finished)</summary>
    public bool CanWrite => _state == State.Open && !_shutdownRequested;

    /// <summary>Appends <paramref name="data"/> to the output; sent when the Core's main queue empties</summary>
    /// <remarks>Never blocks and never fails: after the stream closed the bytes are discarded.</remarks>
    public void Write(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        data.CopyTo(GetSpan(data.Length));
        Advance(data.Length);
    }

    /// <summary>Space to write at least <paramref name="sizeHint"/> bytes into; commit with <see cref="Advance"/></summary>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureOutput(sizeHint);
        return _out.AsSpan(_outEnd);
    }

    /// <summary>Space to write at least <paramref name="sizeHint"/> bytes into; commit with <see cref="Advance"/></summary>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureOutput(sizeHint);
        return _out.AsMemory(_outEnd);
    }

    /// <summary>Commits <paramref name="count"/> bytes written into the last span</summary>
    public void Advance(int count)
    {
        _core.CheckThread();
        if ((uint)count > (uint)(_out.Length - _outEnd)) throw new ArgumentOutOfRangeException(nameof(count), count, "Advance count must fit in the span given by GetSpan.");
        if (!CanWrite)
        {
            _outEnd = 0;
            return;
        }
        _outEnd += count;
        if (!_writeBlocked && OutputPending > _options.WriteHighWater) _writeBlocked = true;
        ScheduleFlush();
    }

    /// <summary>Starts sending now instead of when the main queue empties</summary>
    public void Flush()
    {
        _core.CheckThread();
        if (_state != State.Closed) PumpSend();
    }

    void EnsureOutput(int sizeHint)
    {
        _core.CheckThread();
        if (sizeHint < 1) sizeHint = 1;
        if (_out.Length - _outEnd >= sizeHint) return;
        GrowOutput(sizeHint);
    }

    void GrowOutput(int sizeHint)
    {
        // The buffer the actor writes into is never in flight, so it can be replaced freely.
        long want = Math.Max(Math.Max((long)_out.Length * 2, FirstOutputSize), (long)_outEnd + sizeHint);
        var bigger = new byte[(int)Math.Min(want, Array.MaxLength)];
        Buffer.BlockCopy(_out, 0, bigger, 0, _outEnd);
        _out = bigger;
    }

    void ScheduleFlush()
    {
        if (_flushQueued || _sendPending || _state == State.Closed) return;
        _flushQueued = true;
        _core.Lazy(_flushAction);
    }

    void FlushFromLazy()
    {
        _flushQueued = false;
        if (_state == State.Closed || OwnerGone()) return;
        PumpSend();
    }

    /// <summary>Sends until a send is in flight or nothing is left; then applies a pending shutdown or close</summary>
    void PumpSend()
    {
        while (!_sendPending && _state != State.Closed)
        {
            if (_sendStart == _sendEnd)
            {
                if (_outEnd == 0)
                {
                    Drained();
                    return;
                }
                // Swap: the filled buffer goes out, the sent one takes new writes.
                (_sending, _out) = (_out, _sending);
                _sendStart = 0;
                _sendEnd = _outEnd;
                _outEnd = 0;
            }
            _send.SetBuffer(_sending, _sendStart, _sendEnd - _sendStart);
            _sendPending = true;
            bool pending;
            try { pending = _io.Send(_reg, _send); }
            catch (ObjectDisposedException ex) { _sendPending = false; Fail(ex); return; }
            catch (SocketException ex) { _sendPending = false; Fail(ex); return; }
            if (pending) return;
            _sendPending = false;
            if (!SendResult()) return;
        }
    }

    /// <summary>Takes the result of the send that just finished; false if the stream ended</summary>
    bool SendResult()
    {
        SocketError err = _send.Error;
        if (err != SocketError.Success)
        {
            Fail(new SocketException((int)err));
            return false;
        }
        _sendStart += _send.Transferred;
        if (_sendStart == _sendEnd) _sendStart = _sendEnd = 0;
        if (_writeBlocked && OutputPending <= _options.WriteLowWater)
        {
            _writeBlocked = false;
            _sink.Notify(this, TcpEvent.Writable);
        }
        return true;
    }

    /// <summary>Everything written has been sent</summary>
    void Drained()
    {
        // Buffers grown well past the high-water mark (a large reply) are not kept once everything is
        // sent; smaller ones stay, so steady traffic does not reallocate them.
        if (_out.Length > _options.WriteHighWater * 4L) _out = [];
        if (_sending.Length > _options.WriteHighWater * 4L) _sending = [];
        if (_writeBlocked)
        {
            _writeBlocked = false;
            _sink.Notify(this, TcpEvent.Writable);
        }
        if (_state == State.Closing)
        {
            try { _socket.Shutdown(SocketShutdown.Send); } catch (SocketException) { } catch (ObjectDisposedException) { }
            _writeClosed = true;
            Finish();
            return;
        }
        if (_shutdownRequested && !_writeClosed)
        {
            try { _socket.Shutdown(SocketShutdown.Send); }
            catch (SocketException ex) { Fail(ex); return; }
            catch (ObjectDisposedException ex) { Fail(ex); return; }
            _writeClosed = true;
            if (_readEof) Finish();
        }
    }
}
