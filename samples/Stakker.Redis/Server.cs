using System.Net;
using System.Net.Sockets;
using Stakker.IO;

namespace Stakker.Redis;

/// <summary>How to run the server</summary>
public sealed class RedisServerOptions
{
    /// <summary>Port to listen on (at <see cref="Bind"/>); 0 picks a free one. Default 6380.</summary>
    public int Port { get; init; } = 6380;

    /// <summary>The address to listen on. Default 127.0.0.1; <see cref="IPAddress.Any"/> for every interface (with a <see cref="RequirePass"/>).</summary>
    public IPAddress Bind { get; init; } = IPAddress.Loopback;

    /// <summary>Most simultaneous connections; more wait in the kernel's backlog. Default 10,000.</summary>
    public int MaxClients { get; init; } = 10_000;

    /// <summary>Prints connections that end with an unexpected error to standard error</summary>
    public bool Verbose { get; init; }

    /// <summary>Output buffer limits per client class in Redis's syntax (<c>"pubsub 32mb 8mb 60"</c>, as
    /// <c>client-output-buffer-limit</c> in redis.conf), applied over Redis's defaults; null keeps the defaults</summary>
    public string? ClientOutputBufferLimit { get; init; }

    /// <summary>Does the socket I/O on the Core's own thread, blocking in epoll (Linux x86-64); false, or
    /// elsewhere, the SocketAsyncEventArgs path. Default true. (io_uring is chosen with <see cref="Io"/>.)</summary>
    public bool Reactor { get; init; } = true;

    /// <summary>The TCP I/O mode; null takes <see cref="Reactor"/>'s choice. Where the mode asked for is
    /// unavailable, io_uring falls back to epoll and epoll to SocketAsyncEventArgs.</summary>
    public TcpIoMode? Io { get; init; }

    /// <summary>The password clients must give with AUTH before other commands (<c>requirepass</c>); null for none</summary>
    public string? RequirePass { get; init; }

    /// <summary>Cores the server runs on, each with a shard of the keyspace and a share of the connections, from 1 to
    /// <see cref="MaxCores"/>. Default 1: an embedded server takes one thread unless asked for more; the command
    /// line's default is <see cref="ProcessorCores"/> (decision 107).</summary>
    public int Cores { get; init; } = 1;

    /// <summary>Most Cores a server runs on (<see cref="Cores"/>)</summary>
    public const int MaxCores = 256;

    /// <summary>One Core per processor this process may use, within 1 and <see cref="MaxCores"/></summary>
    public static int ProcessorCores => Math.Clamp(Environment.ProcessorCount, 1, MaxCores);

    /// <summary>Serves one keyspace with other processes joined by NATS, holding some of its shards (one Core each;
    /// <see cref="Cores"/> is then that count); null: this process holds the whole keyspace (decision 109)</summary>
    public RedisDistribution? Distribution { get; init; }

    /// <summary>Calls one Core may have on the way to another (the runtime's default if 0); tests make it small</summary>
    internal int CrossCoreCapacity { get; init; }
}

/// <summary>The top actor: listens, owns the keyspace and pub/sub actors and one actor per connection</summary>
/// <remarks>Connection actors are children (their owners live in <see cref="_clients"/>), so ending
/// the server ends every connection. A connection's ending is normal operation: the server only
/// forgets it (and logs unexpected failures when verbose).</remarks>
internal sealed partial class RedisServer : IDisposable
{
    TcpAcceptor? _acceptor;
    readonly RedisServerOptions _options;
    readonly Shards? _shards;
    readonly ActorOwn<Keyspace> _keyspace;
    readonly ActorOwn<PubSub> _pubsub;
    /// <summary>On a distributed server: this Core's link to the other processes (Server.Distributed.cs)</summary>
    readonly Distributed? _distributed;
    readonly Dictionary<long, ActorOwn<Client>> _clients = [];
    readonly ClientContext _ctx;
    readonly Share<ServerInfo> _info;
    readonly bool _verbose;
    long _nextId;

    public RedisServer(Cx<RedisServer> cx, RedisServerOptions options, TaskCompletionSource<int>? bound, Shards? shards = null)
    {
        var limits = new OutputLimits();
        if (options.ClientOutputBufferLimit is { } spec && limits.TrySet(spec) is { } error)
            throw new ArgumentException("client-output-buffer-limit '" + spec + "': " + error, nameof(options));
        _verbose = options.Verbose;
        _options = options;
        _shards = shards;
        _info = new Share<ServerInfo>(cx.Core, new ServerInfo(options.Port));
        _info.Rw(cx).Settings.RequirePass = options.RequirePass;
        Settings settings = _info.Ro(cx).Settings;
        _keyspace = cx.Spawn<Keyspace, (Share<ServerInfo>, Settings)>(static (cx, p) => new Keyspace(cx, p.Item1, p.Item2),
            (_info, settings), cx.RetFail("keyspace ended"));
        _pubsub = cx.Spawn<PubSub>(static cx => new PubSub(cx), cx.RetFail("pub/sub ended"));
        // Several Cores share the first Core's pub/sub actor (a subscriber hears every Core's publishers).
        if (shards is not null && shards.Local == shards.First) shards.PubSub = _pubsub.Actor.CrossCore();
        CrossCoreActor<PubSub> pubsub = shards?.PubSub ?? _pubsub.Actor.CrossCore();
        _keyspace.Actor.Call(static (k, cx, p) => k.UseEvents(p.Events, p.PubSub), (settings.Events, PubSub: pubsub));
        _ctx = new ClientContext(_keyspace.Actor, pubsub, new TcpStreamOptions { ReadBufferSize = 16 * 1024, ReadLimit = 1024 * 1024 }, limits,
            settings, _info.Ro(cx).Stats,
            new ClientRegistry { Core = shards is null ? null : " core=" + shards.Local }, shards);
        if (shards is null) Open(cx, options.Port, bound);
        else
        {
            // A shard's connections may name any key: this Core listens only once every shard is known (the host calls Open).
            shards.All[shards.Local] = _keyspace.Actor.CrossCore();
            shards.Contexts[shards.Local] = _ctx;
            if (shards.Distribution is not null) _distributed = new Distributed(cx, shards, _keyspace.Actor, _pubsub.Actor);
            bound?.TrySetResult(-1);
        }
    }

    /// <summary>Starts listening on <paramref name="port"/> (0: a free one), then completes <paramref name="bound"/> with it</summary>
    public void Open(Cx<RedisServer> cx, int port, TaskCompletionSource<int>? bound)
    {
        _acceptor = TcpAcceptor.Listen(cx.Core, new IPEndPoint(_options.Bind, port),
            cx.Fwd<TcpIncoming>(static (a, cx, inc) => a.Accept(cx, inc)),
            new TcpAcceptorOptions { MaxConnections = _options.MaxClients, ReusePort = _shards is not null });
        _info.Rw(cx).Port = _acceptor.LocalEndPoint.Port;
        _ctx.Registry.LocalAddr = _acceptor.LocalEndPoint.ToString();
        bound?.TrySetResult(_acceptor.LocalEndPoint.Port);
    }

    void Accept(Cx<RedisServer> cx, TcpIncoming incoming)
    {
        long id = _shards?.NextClientId() ?? ++_nextId;
        _clients[id] = cx.Spawn<Client, TcpIncoming, (long, ClientContext)>(
            static (cx, inc, p) => new Client(cx, inc, p.Item1, p.Item2), incoming, (id, _ctx),
            cx.Ret<long, StopCause>(id, static (a, cx, id, cause) => a.ClientEnded(cx, id, cause)));
        ServerInfo info = _info.Rw(cx);
        info.ConnectedClients = _clients.Count;
        info.Stats.Connections++;
    }

    void ClientEnded(Cx<RedisServer> cx, long id, Answer<StopCause> cause)
    {
        if (_clients.Remove(id, out var own)) own.Dispose();
        _info.Rw(cx).ConnectedClients = _clients.Count;
        if (_verbose && cause.TryGetValue(out StopCause? c) && c.HasError && c.Error is not SocketException)
            Console.Error.WriteLine($"client {id}: {c}");
    }

    public void Dispose()
    {
        _acceptor?.Dispose();
        foreach (var c in _clients.Values) c.Dispose();
        _clients.Clear();
        _distributed?.Dispose();
        _keyspace.Dispose();
        _pubsub.Dispose();
        _info.Dispose();
    }
}

/// <summary>Runs a server on its own Core thread; the entry point for Program and for tests</summary>
public sealed class RedisHost : IDisposable
{
    readonly CoreThread[] _threads;
    readonly ActorOwn<RedisServer>?[] _servers;

    readonly NATS.Client.Core.NatsConnection? _nats;
    readonly CancellationTokenSource _stopClaims = new();

    RedisHost(RedisServerOptions options, TimeProvider? time, StakkerDiagnostics? diagnostics)
    {
        int n = options.Cores;
        if (n is < 1 or > RedisServerOptions.MaxCores)
            throw new ArgumentOutOfRangeException(nameof(options), n, "RedisServerOptions.Cores must be from 1 to " + RedisServerOptions.MaxCores + ".");
        Shards? shards = n > 1 ? new Shards(n) : null;
        if (options.Distribution is { } d)
        {
            d.Validate();
            if (n != 1 && n != d.HeldShards)
                throw new ArgumentException("A distributed server runs one Core per shard it holds (" + d.HeldShards + "), not " + n + ".", nameof(options));
            n = d.HeldShards;
            shards = new Shards(d);
            _nats = DistributedStart.Connect(d, shards);
            try { DistributedStart.Claim(_nats, d, _stopClaims.Token); }
            catch
            {
                _nats.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
                throw;
            }
        }
        _threads = new CoreThread[n];
        _servers = new ActorOwn<RedisServer>?[n];
        for (int i = 0; i < n; i++) Port = StartCore(i, options, shards?.For(i), time, diagnostics);
        if (shards is null) return;
        // The other processes can reach this one's shards before it takes a connection of its own.
        if (shards.Nats is not null) DistributedStart.AwaitSubscriptions(shards);
        // Every shard is known: the first Core binds (port 0 picks one), the others bind the same port beside it.
        int port = options.Port;
        for (int i = 0; i < n; i++) port = Open(i, port);
        Port = port;
    }

    int StartCore(int index, RedisServerOptions options, Shards? shards, TimeProvider? time, StakkerDiagnostics? diagnostics)
    {
        var bound = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _threads[index] = new CoreThread(core =>
        {
            diagnostics?.Attach(core, index.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (options.CrossCoreCapacity > 0) core.CrossCoreCapacity = options.CrossCoreCapacity;
            TcpIoMode mode = options.Io ?? (options.Reactor ? TcpIoMode.Epoll : TcpIoMode.SocketAsyncEventArgs);
            if (mode == TcpIoMode.IoUring && !TcpReactor.TryEnable(core, mode)) mode = TcpIoMode.Epoll;
            if (mode == TcpIoMode.Epoll) TcpReactor.TryEnable(core, mode);
            _servers[index] = core.Spawn<RedisServer, RedisServerOptions, (TaskCompletionSource<int>, Shards?)>(
                static (cx, o, p) => new RedisServer(cx, o, p.Item1, p.Item2), options, (bound, shards),
                Ret.From<StopCause>(core, a =>
                {
                    StopCause cause = a.GetValueOrDefault(StopCause.Dropped);
                    if (cause.Error is { } err) bound.TrySetException(err);
                    core.Shutdown(cause);
                }));
        }, "stakker-redis-" + index, time);
        return Await(bound);
    }

    int Open(int index, int port)
    {
        var bound = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _threads[index].Post(_ => _servers[index]!.Call(static (s, cx, p) => s.Open(cx, p.port, p.bound), (port, bound)));
        return Await(bound);
    }

    static int Await(TaskCompletionSource<int> bound)
    {
        if (!bound.Task.Wait(TimeSpan.FromSeconds(10))) throw new TimeoutException("The server did not start within 10 s.");
        return bound.Task.Result;
    }

    /// <summary>Starts a server; returns once it listens</summary>
    /// <param name="options">Port and limits.</param>
    /// <param name="time">Clock for the Core (tests pass a manual one); the system clock if null.</param>
    /// <param name="diagnostics">Logs, metrics and tracing for the server's Core; none if null.</param>
    /// <exception cref="SocketException">The port is taken.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="RedisServerOptions.Cores"/> is not from 1 to <see cref="RedisServerOptions.MaxCores"/>.</exception>
    public static RedisHost Start(RedisServerOptions? options = null, TimeProvider? time = null, StakkerDiagnostics? diagnostics = null) =>
        new(options ?? new RedisServerOptions(), time, diagnostics);

    /// <summary>The port the server listens on</summary>
    public int Port { get; }

    /// <summary>Completes when the server's Core has stopped</summary>
    public Task<StopCause> Completion => _threads[0].Completion;

    /// <summary>Wakes the Cores so they look at the clock again (after a test moved its manual clock)</summary>
    public void Nudge()
    {
        foreach (CoreThread t in _threads) t.Post(static _ => { });
    }

    /// <summary>Stops the server and its threads</summary>
    public void Dispose()
    {
        for (int i = 0; i < _threads.Length; i++)
        {
            int index = i;
            _threads[i].Post(_ => _servers[index]?.Dispose());
        }
        foreach (CoreThread t in _threads) t.Dispose();
        _stopClaims.Cancel();
        _nats?.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
        _stopClaims.Dispose();
    }
}
