using System.Buffers;
using System.Text;
using Stakker.IO;

namespace Stakker.Redis;

/// <summary>What every connection actor needs to reach the rest of the server</summary>
internal sealed record ClientContext(Actor<Keyspace> Keyspace, CrossCoreActor<PubSub> PubSub, TcpStreamOptions StreamOptions, OutputLimits Limits, Settings Settings, CommandStats Stats, ClientRegistry Registry, Shards? Shards = null);

/// <summary>One client connection: parses commands, runs the local ones, sends the rest to the keyspace
/// or pub/sub actors, and writes every reply back in the order the commands came</summary>
/// <remarks>
/// <para><b>Ordering.</b> Each command that another actor answers gets a sequence number and a
/// slot in a ring; its Ret fills the slot. Replies are written from the head of the ring as soon
/// as they are ready, so pipelined commands are answered in order even when they went to
/// different actors. A reply made here while the ring is empty is written at once.</para>
/// <para><b>Back-pressure.</b> Input is parsed only while the output is below the stream's
/// high-water mark and fewer than <see cref="MaxPending"/> replies are awaited; past either the
/// actor stops and the stream stops reading (unconsumed input), so a client that pipelines without
/// reading its replies is held back by TCP. Parsing resumes on the Writable event, or when half the
/// awaited replies have come. Without the second bound, a megabyte of pipelined GETs of a large value
/// went to the keyspace at once and all their replies were buffered, however slowly the client read
/// (hundreds of MB, and seconds of the Core spent copying them while every other client waited).</para>
/// <para><b>The peer's end.</b> A client that closes its side after sending gets every reply to
/// what it sent (unless it was blocked), then the connection closes.</para>
/// <para><b>Blocking commands.</b> While a BLPOP/BRPOP is unanswered the connection parses nothing
/// more, as Redis does; the keyspace answers through the Ret when a push or the timeout comes.</para>
/// <para>A malformed frame gets Redis's protocol error, then this connection closes; nothing else
/// is affected.</para>
/// <para><b>Output limits.</b> Pub/sub messages are written whether or not the subscriber reads, so
/// after every write the pending output is held against the client's class limit
/// (<see cref="OutputLimits"/>); past it the connection is dropped with its buffers, as Redis does.</para>
/// </remarks>
internal sealed partial class Client : IDisposable
{
    struct Slot
    {
        public bool Ready;
        /// <summary>CLIENT REPLY OFF/SKIP: the reply is dropped when its turn comes</summary>
        public bool Silent;
        public Reply Reply;
    }

    readonly long _id;
    readonly TcpStream _stream;
    readonly RespParser _parser = new();
    readonly ClientContext _ctx;
    Slot[] _ring = new Slot[16];
    long _head;
    long _tail;
    /// <summary>Sequence number of the blocking command being waited for, or -1</summary>
    long _blockedSeq = -1;
    /// <summary>Close once every reply so far is written (QUIT, protocol error, peer's end of stream)</summary>
    bool _closeWhenDone;
    /// <summary>The peer closed its side: parse what it sent, then close once everything is answered</summary>
    bool _peerDone;
    /// <summary>Most replies awaited (sent to other actors or queued behind them) before parsing waits</summary>
    internal const int MaxPending = 64;
    /// <summary>Parsing stopped at <see cref="MaxPending"/>: the answers resume it</summary>
    bool _waitingForReplies;
    /// <summary>Core ticks since when the output has been at or above the soft limit, or -1</summary>
    long _softLimitSince = -1;
    /// <summary>Over its output limit: the actor is failing, nothing more is written</summary>
    bool _dropped;
    byte[]? _name;
    HashSet<byte[]>? _channels;
    HashSet<byte[]>? _patterns;
    Fwd<PubMessage>? _messages;
    /// <summary>The database SELECT chose; travels with every keyspace command</summary>
    int _db;
    /// <summary>Spoke HELLO 3: nulls and pub/sub messages in RESP3</summary>
    bool _resp3;
    /// <summary>AUTH (or HELLO AUTH) succeeded, or no password is required</summary>
    bool _authenticated;
    readonly ClientState _state;
    /// <summary>CLIENT REPLY OFF</summary>
    bool _replyOff;
    /// <summary>CLIENT REPLY SKIP: the next command's reply is dropped</summary>
    bool _skipNext;
    /// <summary>The command being dispatched is not to be answered</summary>
    bool _silent;

    public Client(Cx<Client> cx, TcpIncoming incoming, long id, ClientContext ctx)
    {
        _id = id;
        _ctx = ctx;
        _authenticated = ctx.Settings.RequirePass is null;
        _state = new ClientState(id, incoming.RemoteEndPoint?.ToString() ?? "?", cx.This, cx.Now.Ticks) { CoreField = ctx.Registry.Core ?? "" };
        ctx.Registry.ById[id] = _state;
        _stream = TcpStream.Open(cx, incoming, static (a, cx, ev) => a.OnTcp(cx, ev), ctx.StreamOptions);
    }

    bool Subscribed => (_channels?.Count ?? 0) + (_patterns?.Count ?? 0) > 0;

    void OnTcp(Cx<Client> cx, TcpEvent ev)
    {
        switch (ev)
        {
            case TcpEvent.Data:
            case TcpEvent.Writable:
                ProcessInput(cx);
                break;
            case TcpEvent.ReadClosed:
                // Like Redis, a client that goes away while blocked is dropped at once; otherwise
                // answer what it sent, then close.
                if (_blockedSeq >= 0) { cx.Stop(); return; }
                _peerDone = true;
                ProcessInput(cx);
                break;
            case TcpEvent.Closed:
                // A peer that resets or drops the connection has gone away, as clients do (redis-benchmark
                // at its end): the connection stops, it did not fail. Other errors are failures.
                if (_stream.CloseCause is { HasError: true } cause && !PeerWentAway(cause.Error)) cx.Fail(cause);
                else cx.Stop();
                break;
        }
    }

    static bool PeerWentAway(Exception? error) =>
        error is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionReset
            or System.Net.Sockets.SocketError.ConnectionAborted or System.Net.Sockets.SocketError.Shutdown };

    /// <summary>Parses and runs commands until the input runs out, a blocking command waits, or the output is full</summary>
    void ProcessInput(Cx<Client> cx)
    {
        while (_blockedSeq < 0 && _across is null && !_closeWhenDone && !_stream.IsWriteBlocked && _stream.IsOpen)
        {
            if (_tail - _head >= MaxPending)
            {
                _waitingForReplies = true;
                return;
            }
            if (_ctx.Shards is { } shards && !shards.HaveRoom())
            {
                WaitForRoom(cx);
                return;
            }
            ParseResult r = _parser.Parse(_stream.Input, out int used);
            // The parser keeps what it consumed (also of an incomplete frame), so the input never
            // holds more than one argument and reading never stalls on a large frame.
            if (used > 0) _stream.Consume(used);
            switch (r)
            {
                case ParseResult.Command:
                    Dispatch(cx, _parser.Args);
                    SyncState();
                    CheckOutputLimit(cx);
                    break;
                case ParseResult.Incomplete:
                    if (_peerDone)
                    {
                        // All it sent is parsed (a partial frame at its end can never complete).
                        _closeWhenDone = true;
                        CloseIfDone();
                        return;
                    }
                    // NeedBytes is at most 512 MB + 2 (one argument), so it fits.
                    if (_parser.NeedBytes > _stream.ReadLimit) _stream.ReserveInput((int)_parser.NeedBytes);
                    return;
                case ParseResult.Error:
                    Emit(Reply.Error(_parser.Error!));
                    _closeWhenDone = true;
                    CloseIfDone();
                    return;
                case ParseResult.TooLarge:
                    cx.Stop();
                    return;
            }
        }
    }

    void Dispatch(Cx<Client> cx, List<byte[]> args)
    {
        _silent = _replyOff || _skipNext;
        _skipNext = false;
        _state.LastTicks = cx.Now.Ticks;
        CommandInfo? cmd = Commands.Find(args[0]);
        if (cmd is null) { Reject(NotInMulti(args[0]) ?? Commands.UnknownCommand(args)); return; }
        if (!cmd.ArityOk(args.Count)) { _ctx.Stats.Rejected(cmd); Reject(Commands.WrongArity(cmd.Name)); return; }
        _ctx.Stats.Called(cmd);
        _state.LastCommand = cmd.Name;
        if (!_authenticated && cmd.Id is not (Cmd.Auth or Cmd.Hello or Cmd.Quit or Cmd.Reset))
        {
            Reject("NOAUTH Authentication required.");
            return;
        }
        if (cmd.DenyOom && RefuseForMemory())
        {
            Reject("OOM command not allowed when used memory > 'maxmemory'.");
            return;
        }
        if (Subscribed && !_resp3 && !cmd.AllowedWhenSubscribed)
        {
            Reject("ERR Can't execute '" + cmd.Name + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
            return;
        }
        if (_multi is not null && cmd.Id is not (Cmd.Exec or Cmd.Discard or Cmd.Multi or Cmd.Watch or Cmd.Quit or Cmd.Reset))
        {
            if (_ctx.Shards is { } shards && cmd.Route == Route.Keyspace && TransactionShard(cmd, args, shards) is { } refused)
            {
                Reject(refused);
                return;
            }
            _multi.Add((cmd, args.ToArray()));
            Emit(Queued);
            return;
        }
        switch (cmd.Route)
        {
            case Route.Keyspace when _ctx.Shards is { } shards:
                RouteSharded(cx, cmd, args, shards);
                return;
            case Route.Keyspace:
            {
                long seq = Reserve();
                if (cmd.Blocking) _blockedSeq = seq;
                _ctx.Keyspace.Call(static (k, cx, c, a, who, r) => k.Execute(cx, c, a, who.Id, who.Db, r), cmd, args.ToArray(), (Id: _id, Db: _db), AnswerFor(cx, seq));
                return;
            }
            case Route.PubSub:
            {
                long seq = Reserve();
                _ctx.PubSub.Call(static (p, cx, ch, msg, r) => p.Publish(ch, msg, r), args[1], args[2], AnswerFor(cx, seq));
                return;
            }
            default:
                RunLocal(cx, cmd, args);
                return;
        }
    }

    static Ret<Reply> AnswerFor(Cx<Client> cx, long seq) =>
        cx.Ret<long, Reply>(seq, static (a, cx, seq, answer) => a.Answered(cx, seq, answer));

    // ---- reply ordering -----------------------------------------------------------------------

    long Reserve()
    {
        if (_tail - _head == _ring.Length) GrowRing();
        _ring[_tail & (_ring.Length - 1)].Silent = _silent;
        return _tail++;
    }

    void GrowRing()
    {
        var bigger = new Slot[_ring.Length * 2];
        for (long s = _head; s < _tail; s++) bigger[s & (bigger.Length - 1)] = _ring[s & (_ring.Length - 1)];
        _ring = bigger;
    }

    /// <summary>A reply made here: written now if nothing is pending before it, else queued behind</summary>
    void Emit(in Reply reply)
    {
        if (_capture is not null)
        {
            _capture.Add(reply);
            return;
        }
        if (_silent) return;
        if (_head == _tail)
        {
            reply.WriteTo(_stream, _resp3);
            return;
        }
        long seq = Reserve();
        ref Slot slot = ref _ring[seq & (_ring.Length - 1)];
        slot.Ready = true;
        slot.Reply = reply;
    }

    void Answered(Cx<Client> cx, long seq, Answer<Reply> answer) =>
        Answered(cx, seq, answer.HasValue ? answer.Value : Reply.Error("ERR server is shutting down"));

    void Answered(Cx<Client> cx, long seq, Reply reply)
    {
        ref Slot slot = ref _ring[seq & (_ring.Length - 1)];
        slot.Ready = true;
        slot.Reply = reply;
        while (_head < _tail)
        {
            ref Slot head = ref _ring[_head & (_ring.Length - 1)];
            if (!head.Ready) break;
            if (!head.Silent) head.Reply.WriteTo(_stream, _resp3);
            head = default;
            _head++;
        }
        CheckOutputLimit(cx);
        if (_across is not null) EarlierAnswered(cx);
        if (seq == _blockedSeq)
        {
            _blockedSeq = -1;
            _state.Blocked = false;
            ProcessInput(cx);
        }
        else if (_waitingForReplies && _tail - _head <= MaxPending / 2)
        {
            _waitingForReplies = false;
            ProcessInput(cx);
        }
        CloseIfDone();
    }

    /// <summary>Drops the connection if its pending output broke its class's hard limit, or stayed above the
    /// soft one for longer than allowed (Redis's checkClientOutputBufferLimits)</summary>
    void CheckOutputLimit(Cx<Client> cx)
    {
        long used = _stream.OutputPending;
        _state.OutputMemory = used;
        OutputLimits limits = _ctx.Limits;
        if (used < limits.Floor)
        {
            _softLimitSince = -1;
            return;
        }
        OutputLimit limit = limits.For(Subscribed);
        bool hard = limit.Hard > 0 && used >= limit.Hard;
        bool soft = limit.Soft > 0 && used >= limit.Soft;
        if (!soft) _softLimitSince = -1;
        else if (_softLimitSince < 0)
        {
            _softLimitSince = cx.Now.Ticks;
            soft = false;
        }
        else soft = cx.Now.Ticks - _softLimitSince > limit.SoftSeconds * TimeSpan.TicksPerSecond;
        if ((!hard && !soft) || _dropped) return;
        _dropped = true;
        _closeWhenDone = true;
        cx.Fail(new OutputBufferLimitException(
            $"{(Subscribed ? "pubsub" : "normal")} client over its output buffer limit ({used} bytes pending; client-output-buffer-limit {limit}): dropped"));
    }

    void CloseIfDone()
    {
        if (_closeWhenDone && _head == _tail && _stream.IsOpen) _stream.Close();
    }

    /// <summary>Leaves the shared actors tidy: no subscriptions, no wait in the keyspace</summary>
    public void Dispose()
    {
        _ctx.Registry.ById.Remove(_id);
        _stream.Dispose();
        if (_blockedSeq >= 0)
        {
            if (_ctx.Shards is { } shards) shards.UnblockEverywhere(_id);
            else if (!_ctx.Keyspace.IsZombie) _ctx.Keyspace.Call(static (k, cx, id) => k.Unblock(cx, id), _id);
        }
        Unwatch();
        if (Subscribed)
            _ctx.PubSub.Call(static (p, cx, id, ch, pat) => p.RemoveClient(id, ch, pat), _id, _channels?.ToArray() ?? [], _patterns?.ToArray() ?? []);
    }

    // ---- encoding helpers ---------------------------------------------------------------------

    /// <summary>Encodes a reply built from parts (pub/sub arrays) so it can wait in the ring</summary>
    static Reply Raw(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return Reply.Raw(buffer.WrittenSpan.ToArray());
    }

    static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
