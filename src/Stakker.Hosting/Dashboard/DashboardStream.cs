using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Stakker.Hosting.Dashboard;

/// <summary>One open page's live stream (server-sent events), with a bounded backlog</summary>
/// <remarks>Events wait here until the socket takes them. A page that stops reading lets its backlog
/// grow to the bound it was made with; the next event is then refused and the stream is closed, so
/// a stalled tab costs the server a bounded amount of memory.</remarks>
internal sealed class DashboardStream(int maxBacklogBytes)
{
    static readonly byte[] Prefix = Encoding.ASCII.GetBytes("data: ");
    static readonly byte[] Suffix = Encoding.ASCII.GetBytes("\n\n");

    readonly Channel<byte[]> _events = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    readonly CancellationTokenSource _closed = new();
    int _backlog;

    /// <summary>True once the stream was closed for a full backlog</summary>
    internal bool Overflowed { get; private set; }

    /// <summary>Queues an event; false (and the stream closes) if the backlog is full</summary>
    /// <remarks>An event is taken while the backlog is under the bound, so a stream holds at most the
    /// bound plus one event.</remarks>
    internal bool TryPost(byte[] json)
    {
        if (Interlocked.Add(ref _backlog, json.Length) - json.Length >= maxBacklogBytes)
        {
            Overflowed = true;
            Close();
            return false;
        }
        return _events.Writer.TryWrite(json);
    }

    internal void Close()
    {
        _events.Writer.TryComplete();
        try { _closed.Cancel(); }
        catch (ObjectDisposedException) { /* already ended */ }
    }

    /// <summary>Writes events to <paramref name="stream"/> until the page goes or the stream is closed</summary>
    internal async Task PumpAsync(NetworkStream stream, CancellationToken stop)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, _closed.Token);
        try
        {
            await foreach (byte[] json in _events.Reader.ReadAllAsync(linked.Token).ConfigureAwait(false))
            {
                await stream.WriteAsync(Prefix, linked.Token).ConfigureAwait(false);
                await stream.WriteAsync(json, linked.Token).ConfigureAwait(false);
                await stream.WriteAsync(Suffix, linked.Token).ConfigureAwait(false);
                Interlocked.Add(ref _backlog, -json.Length);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The page went away, the server stops, or the backlog overflowed: the stream ends.
        }
        finally
        {
            Close();
        }
    }
}
