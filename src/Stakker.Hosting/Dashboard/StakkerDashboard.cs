using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Stakker.Hosting.Dashboard;

namespace Stakker.Hosting;

/// <summary>A live view of the Cores attached to a <see cref="StakkerDiagnostics"/>, served to a
/// browser: actors by type, per-Core rates, recent failures (docs/dashboard.md)</summary>
/// <remarks>
/// <para>Under the generic host, set <see cref="DashboardOptions.Enabled"/> and <c>AddStakker</c> runs
/// one. Elsewhere, make one over the diagnostics attached to your Core (or to every Core of a
/// <see cref="CoreSet"/>) and <see cref="Start"/> it.</para>
/// <para>A small HTTP/1.1 server over a socket (decision 093): GET only (a POST for actions, when
/// allowed), request heads of at most 8 KiB, no bodies, at most
/// <see cref="DashboardOptions.MaxConnections"/> connections, and a bounded backlog per live stream.
/// With no page open, the Cores do no dashboard work.</para>
/// </remarks>
public sealed class StakkerDashboard : IAsyncDisposable
{
    /// <summary>The longest request head accepted (request line and headers)</summary>
    public const int MaxRequestHeadBytes = 8 * 1024;

    static readonly TimeSpan HeadTimeout = TimeSpan.FromSeconds(10);
    static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(5);

    readonly StakkerDiagnostics _diagnostics;
    readonly DashboardOptions _options;
    readonly DashboardBroadcast _broadcast;
    readonly CancellationTokenSource _stop = new();
    TcpListener? _listener;
    Task? _accepting;
    Task? _broadcasting;
    int _connections;

    /// <summary>Makes a dashboard over the Cores attached to <paramref name="diagnostics"/>; <see cref="Start"/> serves it</summary>
    /// <param name="diagnostics">The diagnostics the Cores are attached to.</param>
    /// <param name="options">Port, address, limits; the defaults if null (<see cref="DashboardOptions.Enabled"/> is not looked at here).</param>
    public StakkerDashboard(StakkerDiagnostics diagnostics, DashboardOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        _options = options ?? new DashboardOptions();
        _options.Validate();
        _diagnostics = diagnostics;
        _broadcast = new DashboardBroadcast(diagnostics, _options);
    }

    /// <summary>The port listened on (the one picked, if <see cref="DashboardOptions.Port"/> was 0)</summary>
    public int Port { get; private set; }

    /// <summary>The page's address, for example <c>http://127.0.0.1:16831/</c></summary>
    public Uri Url => new($"http://{(_options.Address.Contains(':', StringComparison.Ordinal) ? "[" + _options.Address + "]" : _options.Address)}:{Port}/");

    internal DashboardBroadcast Broadcast => _broadcast;

    internal int Connections => Volatile.Read(ref _connections);

    /// <summary>Most bytes of events waiting for one page before it is dropped</summary>
    internal int MaxBacklogBytes { get; set; } = 256 * 1024;

    /// <summary>Listens and serves until disposed</summary>
    /// <exception cref="SocketException">The port is taken.</exception>
    public void Start()
    {
        if (_listener is not null) throw new InvalidOperationException("The dashboard is already started.");
        var listener = new TcpListener(IPAddress.Parse(_options.Address), _options.Port);
        listener.Start(_options.MaxConnections);
        _listener = listener;
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _accepting = AcceptAsync(listener, _stop.Token);
        _broadcasting = _broadcast.RunAsync(_stop.Token);
    }

    /// <summary>Stops listening, ends every open stream and connection</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        _listener?.Stop();
        foreach (Task? t in new[] { _accepting, _broadcasting })
        {
            if (t is null) continue;
            try { await t.ConfigureAwait(false); }
            catch (OperationCanceledException) { /* stopping */ }
        }
        _stop.Dispose();
    }

    async Task AcceptAsync(TcpListener listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket socket;
            try { socket = await listener.AcceptSocketAsync(stop).ConfigureAwait(false); }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            socket.NoDelay = true;
            if (Interlocked.Increment(ref _connections) > _options.MaxConnections)
            {
                _ = RefuseAsync(socket);
                continue;
            }
            _ = ServeAsync(socket, stop);
        }
    }

    async Task RefuseAsync(Socket socket)
    {
        try
        {
            using var stream = new NetworkStream(socket, ownsSocket: true);
            using var timeout = new CancellationTokenSource(AnswerTimeout);
            await WriteAsync(stream, 503, "Service Unavailable", "text/plain; charset=utf-8", "Too many dashboard connections.\n"u8.ToArray(), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException) { /* the client went */ }
        finally { Interlocked.Decrement(ref _connections); }
    }

    async Task ServeAsync(Socket socket, CancellationToken stop)
    {
        try
        {
            using var stream = new NetworkStream(socket, ownsSocket: true);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
            timeout.CancelAfter(HeadTimeout);
            HttpRequestHead? head = await ReadHeadAsync(stream, timeout.Token).ConfigureAwait(false);
            if (head is not null) await RouteAsync(stream, socket, head, stop).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException) { /* the client went, or the server stops */ }
        finally { Interlocked.Decrement(ref _connections); }
    }

    /// <summary>Reads the request head; answers and returns null if it is too large or malformed</summary>
    static async Task<HttpRequestHead?> ReadHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[MaxRequestHeadBytes];
        int length = 0;
        for (;;)
        {
            if (length == buffer.Length)
            {
                await WriteAsync(stream, 431, "Request Header Fields Too Large", "text/plain; charset=utf-8", "Request head over 8 KiB.\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
                return null;
            }
            int n = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (n == 0) return null;
            int searchFrom = Math.Max(0, length - 3);
            length += n;
            int end = buffer.AsSpan(searchFrom, length - searchFrom).IndexOf("\r\n\r\n"u8);
            if (end < 0) continue;
            HttpRequestHead? head = HttpRequestHead.Parse(buffer.AsSpan(0, searchFrom + end));
            if (head is null) await WriteAsync(stream, 400, "Bad Request", "text/plain; charset=utf-8", "Malformed request.\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            return head;
        }
    }

    async Task RouteAsync(NetworkStream stream, Socket socket, HttpRequestHead head, CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(AnswerTimeout);
        CancellationToken ct = timeout.Token;
        if (!HostAllowed(head.Host))
        {
            // A page from another site reaching this port through DNS rebinding names another host.
            await Text(stream, 421, "Misdirected Request", "Unknown Host header.\n", ct).ConfigureAwait(false);
            return;
        }
        if (head.ContentLength > 0)
        {
            await Text(stream, 413, "Content Too Large", "Requests carry no body.\n", ct).ConfigureAwait(false);
            return;
        }
        if (head.Method == "POST" && head.Path.StartsWith("/api/actors/", StringComparison.Ordinal))
        {
            await KillAsync(stream, head, ct).ConfigureAwait(false);
            return;
        }
        if (head.Method is not ("GET" or "HEAD"))
        {
            await Text(stream, 405, "Method Not Allowed", "GET only.\n", ct).ConfigureAwait(false);
            return;
        }
        switch (head.Path)
        {
            case "/api/events":
                await StreamAsync(stream, socket, stop).ConfigureAwait(false);
                return;
            case "/api/snapshot":
                await SnapshotAsync(stream, head, ct).ConfigureAwait(false);
                return;
        }
        if (DashboardAssets.TryGet(head.Path, out string contentType, out byte[] body))
            await WriteAsync(stream, 200, "OK", contentType, head.Method == "HEAD" ? [] : body, ct).ConfigureAwait(false);
        else
            await Text(stream, 404, "Not Found", "Not found.\n", ct).ConfigureAwait(false);
    }

    bool HostAllowed(string? host)
    {
        if (host is null) return false;
        if (!IPAddress.Parse(_options.Address).Equals(IPAddress.Loopback) && !IPAddress.Parse(_options.Address).Equals(IPAddress.IPv6Loopback))
            return true;   // bound elsewhere on purpose: names are the user's to choose
        string port = ":" + Port.ToString(CultureInfo.InvariantCulture);
        return host == "127.0.0.1" + port || host == "localhost" + port || host == "[::1]" + port;
    }

    async Task SnapshotAsync(NetworkStream stream, HttpRequestHead head, CancellationToken ct)
    {
        string? type = head.Param("type");
        string? core = head.Param("core");
        int max = _options.MaxActorsListed;
        if (head.Param("max") is { } m && int.TryParse(m, NumberStyles.None, CultureInfo.InvariantCulture, out int asked)) max = Math.Min(asked, max);
        if (type is { Length: > 512 } || core is { Length: > 128 })
        {
            await Text(stream, 400, "Bad Request", "Parameter too long.\n", ct).ConfigureAwait(false);
            return;
        }
        IReadOnlyList<Diagnostics.CoreSnapshot> cores = await _diagnostics.SnapshotAsync(type, max, ct).ConfigureAwait(false);
        if (core is not null) cores = [.. cores.Where(c => c.Core == core)];
        await WriteAsync(stream, 200, "OK", "application/json", DashboardJson.Snapshot(cores, max, _options.AllowActions), ct).ConfigureAwait(false);
    }

    async Task KillAsync(NetworkStream stream, HttpRequestHead head, CancellationToken ct)
    {
        // /api/actors/{core}/{id}/kill, with a header no cross-site form can send (so no request forgery).
        string[] parts = head.Path.Split('/');
        if (!_options.AllowActions)
        {
            await Text(stream, 403, "Forbidden", "Actions are off (DashboardOptions.AllowActions).\n", ct).ConfigureAwait(false);
            return;
        }
        if (!head.ActionHeader)
        {
            await Text(stream, 403, "Forbidden", "An action needs the X-Stakker-Action header.\n", ct).ConfigureAwait(false);
            return;
        }
        if (parts.Length != 6 || parts[5] != "kill" || !long.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out long id))
        {
            await Text(stream, 404, "Not Found", "Not found.\n", ct).ConfigureAwait(false);
            return;
        }
        bool killed = await _diagnostics.KillAsync(Uri.UnescapeDataString(parts[3]), id, "Killed from the dashboard", ct).ConfigureAwait(false);
        if (killed) await Text(stream, 200, "OK", "Killed.\n", ct).ConfigureAwait(false);
        else await Text(stream, 404, "Not Found", "No such living actor.\n", ct).ConfigureAwait(false);
    }

    async Task StreamAsync(NetworkStream stream, Socket socket, CancellationToken stop)
    {
        // Small kernel buffers: a page that stops reading fills its backlog, not the machine's memory.
        socket.SendBufferSize = 64 * 1024;
        byte[] head = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\nretry: 2000\n\n");
        await stream.WriteAsync(head, stop).ConfigureAwait(false);
        var events = new DashboardStream(MaxBacklogBytes);
        _broadcast.Add(events);
        try { await events.PumpAsync(stream, stop).ConfigureAwait(false); }
        finally { _broadcast.Remove(events); }
    }

    static Task Text(NetworkStream stream, int status, string reason, string text, CancellationToken ct) =>
        WriteAsync(stream, status, reason, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(text), ct);

    static async Task WriteAsync(NetworkStream stream, int status, string reason, string contentType, byte[] body, CancellationToken ct)
    {
        string head = string.Create(CultureInfo.InvariantCulture,
            $"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nCache-Control: no-store\r\n") +
            "X-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\nContent-Security-Policy: default-src 'self'; style-src 'self'; script-src 'self'\r\n" +
            "Referrer-Policy: no-referrer\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), ct).ConfigureAwait(false);
        if (body.Length > 0) await stream.WriteAsync(body, ct).ConfigureAwait(false);
    }
}
