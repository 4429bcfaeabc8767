using System.Net.Sockets;

namespace Stakker.IO;

public sealed partial class TcpStream
{
    /// <summary>Input buffer: unconsumed bytes are <c>[_inStart, _inEnd)</c>, a receive may be filling <c>[_inEnd, ...)</c></summary>
    byte[] _in;
    int _inStart;
    int _inEnd;
    readonly IoArgs _recv;
    bool _recvPending;
    /// <summary>A Data event is queued and its handler has not run yet: no new receive meanwhile</summary>
    bool _dataQueued;
    /// <summary>The actor asked to pause, or the stream is closing</summary>
    bool _readPaused;
    /// <summary>The peer's end of stream arrived</summary>
    bool _readEof;
    /// <summary>Unconsumed input the actor needs before it can go on (raises the limit for one frame)</summary>
    int _reserve;
    /// <summary>The peer closed while reading was paused: read what is left whatever the limit, up to its end</summary>
    bool _draining;
    bool _pumpQueued;
    readonly Action _pumpAction;

    /// <summary>The received bytes not yet consumed</summary>
    /// <remarks>Valid until the handler returns; <see cref="Consume"/> does not move the bytes, so a
    /// span taken before it stays valid for the rest of the handler.</remarks>
    public ReadOnlySpan<byte> Input => new(_in, _inStart, _inEnd - _inStart);

    /// <summary>The received bytes not yet consumed, as memory (same rules as <see cref="Input"/>)</summary>
    public ReadOnlyMemory<byte> InputMemory => new(_in, _inStart, _inEnd - _inStart);

    /// <summary>Number of unconsumed input bytes</summary>
    public int InputLength => _inEnd - _inStart;

    /// <summary>True once the peer closed its sending side (no more input will come)</summary>
    public bool IsReadClosed => _readEof;

    /// <summary>True while reading is paused by <see cref="PauseReading"/></summary>
    public bool IsReadPaused => _readPaused;

    /// <summary>Unconsumed input at which reading pauses: the option, or more while a reservation is active</summary>
    public int ReadLimit => Math.Max(_options.ReadLimit, _reserve);

    /// <summary>Marks <paramref name="count"/> bytes at the start of <see cref="Input"/> as used</summary>
    /// <remarks>If reading was held back by the limit, it resumes once the handler has returned.</remarks>
    public void Consume(int count)
    {
        _core.CheckThread();
        if ((uint)count > (uint)InputLength) throw new ArgumentOutOfRangeException(nameof(count), count, "Consume count must be between 0 and InputLength.");
        _inStart += count;
        if (_reserve != 0 && InputLength < _options.ReadLimit) _reserve = 0;
        SchedulePump();
    }

    /// <summary>Asks for at least <paramref name="totalBytes"/> unconsumed bytes before reading pauses</summary>
    /// <remarks>For a frame larger than <see cref="TcpStreamOptions.ReadLimit"/> whose header says how
    /// long it is: the limit is raised until the input falls back under the normal limit.</remarks>
    public void ReserveInput(int totalBytes)
    {
        _core.CheckThread();
        ArgumentOutOfRangeException.ThrowIfNegative(totalBytes);
        if (totalBytes <= _options.ReadLimit) return;
        _reserve = Math.Max(_reserve, totalBytes);
        SchedulePump();
    }

    /// <summary>Stops reading after the receive in flight (if any); input already received stays in <see cref="Input"/></summary>
    public void PauseReading()
    {
        _core.CheckThread();
        if (_state == State.Open) _readPaused = true;
    }

    /// <summary>Resumes reading after <see cref="PauseReading"/></summary>
    public void ResumeReading()
    {
        _core.CheckThread();
        if (_state != State.Open || !_readPaused) return;
        _readPaused = false;
        SchedulePump();
    }

    /// <summary>Starts a receive from the lazy queue, never under a span the actor still holds</summary>
    void SchedulePump()
    {
        if (_pumpQueued || _recvPending || _dataQueued || _state != State.Open) return;
        _pumpQueued = true;
        _core.Lazy(_pumpAction);
    }

    void PumpFromLazy()
    {
        _pumpQueued = false;
        if (!OwnerGone()) PumpReceive();
    }

    /// <summary>Starts a receive unless one is in flight, data waits for the actor, or reading is paused</summary>
    void PumpReceive()
    {
        while (!_recvPending && !_dataQueued && !_readEof && _state == State.Open)
        {
            int limit = _draining ? Array.MaxLength : ReadLimit;
            int buffered = InputLength;
            if (!_draining && (_readPaused || buffered >= limit))
            {
                if (!WatchPeerWhilePaused()) return;
                continue;
            }
            MakeRoom(limit);
            int room = Math.Min(_in.Length - _inEnd, limit - buffered);
            _recv.SetBuffer(_in, _inEnd, room);
            _recvPending = true;
            bool pending;
            try { pending = _io.Receive(_reg, _recv); }
            catch (ObjectDisposedException ex) { _recvPending = false; Fail(ex); return; }
            catch (SocketException ex) { _recvPending = false; Fail(ex); return; }
            if (pending) return;
            _recvPending = false;
            if (!ReceiveResult()) return;
        }
    }

    /// <summary>Ensures some free space after <c>_inEnd</c>: slide the unconsumed bytes down, or grow</summary>
    void MakeRoom(int limit)
    {
        if (_inStart == _inEnd)
        {
            _inStart = _inEnd = 0;
            // A buffer grown past the read limit (for one large frame, or to drain after the peer's
            // close) is not kept once it is empty. Up to the limit it stays: dropping it after every
            // burst would allocate a large-object array per large request.
            if (_in.Length > _options.ReadLimit) _in = new byte[_options.ReadBufferSize];
        }
        int free = _in.Length - _inEnd;
        int minRead = Math.Min(4096, _in.Length / 4);
        if (free >= minRead) return;
        int used = InputLength;
        if (_inStart > 0 && _in.Length - used >= minRead)
        {
            Buffer.BlockCopy(_in, _inStart, _in, 0, used);
        }
        else
        {
            int size = (int)Math.Min(Math.Max((long)_in.Length * 2, used + minRead), Math.Max(limit, used + minRead));
            var bigger = new byte[size];
            Buffer.BlockCopy(_in, _inStart, bigger, 0, used);
            _in = bigger;
        }
        _inStart = 0;
        _inEnd = used;
    }

    /// <summary>Reading is paused: make sure the peer's close is still noticed. True if it already was,
    /// and reading goes on to drain what the peer sent before its end.</summary>
    /// <remarks>Once the peer has closed, what is left is what the kernel holds, so reading it all is
    /// bounded by the socket's receive buffer; the actor then gets <see cref="TcpEvent.ReadClosed"/>
    /// instead of a connection stuck half-closed (CLOSE-WAIT) for as long as it stays paused.</remarks>
    bool WatchPeerWhilePaused()
    {
        if (!_io.WatchPeer(_reg)) return false;
        _draining = true;
        return true;
    }

    /// <summary>The backend saw the peer's close, or asks to look again, while reading is paused</summary>
    void IIoOwner.PeerClosed()
    {
        if (_state != State.Open || OwnerGone()) return;
        PumpReceive();
    }

    /// <summary>Takes the result of the receive that just finished; false if the stream ended</summary>
    bool ReceiveResult()
    {
        SocketError err = _recv.Error;
        int n = _recv.Transferred;
        if (err != SocketError.Success)
        {
            Fail(new SocketException((int)err));
            return false;
        }
        if (n == 0)
        {
            _readEof = true;
            _sink.Notify(this, TcpEvent.ReadClosed);
            if (_writeClosed) Finish();
            return false;
        }
        _inEnd += n;
        _dataQueued = true;
        _sink.Notify(this, TcpEvent.Data);
        AssertInvariants();
        return true;
    }
}
