using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using Stakker.Remote.Wire;

namespace Stakker.Remote;

/// <summary>One Core's link to NATS: publishes its actors under names, makes proxies for remote
/// ones, batches what its actors send per Core run, and keeps every Ret and stream that crosses it
/// answered exactly once</summary>
/// <remarks>
/// Made and used on the Core's thread (as actors are). The NATS client's async API runs off that
/// thread: outgoing frames go to a single sending task through an unbounded channel (bounded in
/// bytes by <see cref="RemoteOptions.MaxOutstandingBytes"/>), incoming messages come back through
/// the Core's <see cref="Waker"/>, one wake per batch. The Core never waits on the network.
/// </remarks>
public sealed partial class RemoteNode : IDisposable
{
    readonly Core _core;
    readonly INatsConnection _nats;
    readonly ILogger _log;
    readonly CancellationTokenSource _stop = new();
    readonly Channel<Outgoing> _out = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    readonly ConcurrentQueue<Incoming> _in = new();
    readonly Waker _waker;
    readonly Task _inboxReady;
    readonly Task _sending;
    readonly List<Task> _receiving = new();
    bool _disposed;

    RemoteNode(Core core, INatsConnection nats, RemoteOptions options, ILogger logger)
    {
        _core = core;
        _nats = nats;
        Options = options;
        _log = logger;
        NodeId = Guid.NewGuid().ToString("N");
        Inbox = $"{options.SubjectPrefix}.inbox.{NodeId}";
        _waker = core.CreateWaker(Fwd.From<bool>(core, _ => DrainIncoming()));
        _tick = Tick;
        _flush = static node => node.FlushAll();
        _inboxReady = Task.Run(() => SubscribeAsync(Inbox, null, null));
        _sending = Task.Run(SendLoop);
        _core.After(options.KeepAliveInterval, _tick);
    }

    /// <summary>Makes a node for <paramref name="core"/> on an open NATS connection; call on the Core's thread</summary>
    /// <remarks>The node's subscriptions hand frames to the Core straight from the client's reading
    /// loop, bounded by <see cref="RemoteOptions.MaxIncomingBytes"/>, not by the connection's
    /// <c>SubPendingChannelCapacity</c>.</remarks>
    public static RemoteNode Create(Core core, INatsConnection nats, RemoteOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(core);
        ArgumentNullException.ThrowIfNull(nats);
        options ??= new RemoteOptions();
        options.Validate();
        return new RemoteNode(core, nats, options, logger ?? NullLogger.Instance);
    }

    /// <summary>This node's settings</summary>
    public RemoteOptions Options { get; }

    /// <summary>This node's unique id (part of its inbox subject)</summary>
    public string NodeId { get; }

    /// <summary>The subject answers and stream items for this node arrive on</summary>
    public string Inbox { get; }

    /// <summary>Completes once the node's inbox is subscribed on the server; calls sent before that are held back</summary>
    public Task Ready => _inboxReady;

    /// <summary>The Core this node serves</summary>
    public Core Core => _core;

    /// <summary>False while <see cref="RemoteOptions.MaxOutstandingBytes"/> or more wait for NATS; a call then throws <see cref="RemoteFullException"/></summary>
    public bool HasRoom => Interlocked.Read(ref _outstanding) < Options.MaxOutstandingBytes;

    /// <summary>The subject an actor published under <paramref name="name"/> listens on</summary>
    public string SubjectFor(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        foreach (char c in name)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
                throw new ArgumentException($"Remote actor name '{name}' may hold only ASCII letters, digits, '_', '-' and '.'", nameof(name));
        if (name[0] == '.' || name[^1] == '.' || name.Contains("..", StringComparison.Ordinal))
            throw new ArgumentException($"Remote actor name '{name}' has an empty token", nameof(name));
        return $"{Options.SubjectPrefix}.actor.{name}";
    }

    /// <summary>Publishes <paramref name="actor"/> under <paramref name="name"/>: calls on a proxy for that name reach it</summary>
    /// <param name="iface">The generated descriptor of the interface (<c>NameRemote.Interface</c>)</param>
    /// <param name="name">The actor's name, the last tokens of its subject</param>
    /// <param name="actor">The actor that receives the calls</param>
    /// <param name="queueGroup">Instances published under one name with the same queue group share
    /// the calls (each call reaches one of them); null: every instance gets every call</param>
    public RemotePublication Publish<TIface, TActor>(RemoteInterface<TIface> iface, string name, Actor<TActor> actor, string? queueGroup = null)
        where TIface : class
        where TActor : class, TIface
    {
        ArgumentNullException.ThrowIfNull(iface);
        ObjectDisposedException.ThrowIf(_disposed, this);
        string subject = SubjectFor(name);
        var publication = new RemotePublication(this, subject, new Target<TIface, TActor>(iface, actor));
        publication.Started = Task.Run(() => SubscribeAsync(subject, queueGroup, publication));
        return publication;
    }

    /// <summary>A handle on the actor published under <paramref name="name"/>, used like a local actor</summary>
    /// <param name="iface">The generated descriptor of the interface (<c>NameRemote.Interface</c>)</param>
    /// <param name="name">The name it was published under</param>
    /// <param name="onLost">Answered once with <see cref="StopCause.Lost"/> the first time contact is
    /// lost: a Ret or stream through this handle given up, or the remote actor found ended</param>
    public RemoteActor<TIface> Proxy<TIface>(RemoteInterface<TIface> iface, string name, Ret<StopCause> onLost = default)
        where TIface : class
    {
        ArgumentNullException.ThrowIfNull(iface);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var sender = new RemoteSender(this, SubjectFor(name), onLost);
        return new RemoteActor<TIface>(name, iface.CreateProxy(sender), sender);
    }

    async Task SubscribeAsync(string subject, string? queueGroup, RemotePublication? target)
    {
        CancellationToken stop = target?.Stop ?? _stop.Token;
        var sub = new FrameSubscription(_nats, subject, queueGroup, this, target, stop);
        await _nats.AddSubAsync(sub, stop).ConfigureAwait(false);
        // A round trip to the server: the subscription is in force there before Ready completes.
        await _nats.PingAsync(stop).ConfigureAwait(false);
        Task loop = Task.Run(() => UnsubscribeOnStop(sub, stop));
        lock (_receiving) _receiving.Add(loop);
    }

    static async Task UnsubscribeOnStop(FrameSubscription sub, CancellationToken stop)
    {
        try { await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        try { await sub.DisposeAsync().ConfigureAwait(false); }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or NatsException) { }
    }

    /// <summary>A frame from NATS, on the client's reading thread: queued for the Core, or, past
    /// <see cref="RemoteOptions.MaxIncomingBytes"/> waiting, dropped and reported as dropped</summary>
    internal void Received(byte[] data, string? replyTo, RemotePublication? target)
    {
        if (Interlocked.Add(ref _incomingBytes, data.Length) > Options.MaxIncomingBytes)
        {
            Interlocked.Add(ref _incomingBytes, -data.Length);
            ReportDropped(data, replyTo, target);
            return;
        }
        _in.Enqueue(new Incoming(data, replyTo, target, data.Length));
        _waker.Wake();
    }

    long _incomingBytes;

    /// <summary>Stops the node on the Core's thread: every outstanding Ret answers "no value" and
    /// every stream fails as lost; what was already sent still goes out</summary>
    public void Dispose()
    {
        if (_disposed) return;
        foreach ((string inbox, Dictionary<ulong, RemotePublication> ids) in _owed)
            foreach (ulong id in ids.Keys)
                WriteIdRecord(WriterFor(inbox), RecordKind.Gone, id);
        foreach (string inbox in _owed.Keys) Touched(inbox);
        _owed.Clear();
        _disposed = true;
        FlushAll();
        GiveUpAll("the remote node was disposed");
        _out.Writer.TryComplete();
        _waker.Dispose();
        // What was sent before goes out if NATS takes it within the loss bound; a node cut off from
        // its server gives up then rather than waiting on the client's reconnects.
        TimeSpan grace = Options.LostAfter;
        _ = Task.Run(async () =>
        {
            try { await Task.WhenAny(_sending, Task.Delay(grace)).ConfigureAwait(false); }
            finally { _stop.Cancel(); }
        });
    }

    /// <summary>Completes when the node's background tasks have ended after <see cref="Dispose"/></summary>
    public Task Completion => Task.Run(async () =>
    {
        await _sending.ConfigureAwait(false);
        Task[] loops;
        lock (_receiving) loops = _receiving.ToArray();
        await Task.WhenAll(loops).ConfigureAwait(false);
    });

    readonly record struct Outgoing(string Subject, byte[] Buffer, int Length);

    /// <summary>A frame from NATS, or (<see cref="LostIds"/> set, no data) the ids a dropped frame carried</summary>
    readonly record struct Incoming(byte[]? Data, string? ReplyTo, RemotePublication? Target, int Length, ulong[]? LostIds = null)
    {
        public bool Dropped => LostIds is not null;
    }
}

public sealed partial class RemoteNode
{
    internal CancellationToken StopToken => _stop.Token;
}
