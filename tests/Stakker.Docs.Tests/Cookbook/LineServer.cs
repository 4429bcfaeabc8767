using System.Net;
using System.Net.Sockets;
using System.Text;
using Stakker.IO;

namespace Stakker.Docs.Tests.Cookbook;

#region doc:cookbook-line-server
sealed class LineConnection : IDisposable
{
    readonly TcpStream _tcp;

    public LineConnection(Cx<LineConnection> cx, TcpIncoming incoming) =>
        _tcp = TcpStream.Open(cx, incoming, static (c, cx, ev) => c.OnTcp(cx, ev));

    void OnTcp(Cx<LineConnection> cx, TcpEvent ev)
    {
        switch (ev)
        {
            case TcpEvent.Data:
                ReadOnlySpan<byte> input = _tcp.Input;
                int used = 0;
                for (int end; (end = input[used..].IndexOf((byte)'\n')) >= 0; used += end + 1)
                    Reply(input.Slice(used, end));
                _tcp.Consume(used);                    // a partial line stays for the next Data
                break;
            case TcpEvent.ReadClosed:
                _tcp.Shutdown();                       // send what is buffered, then FIN
                break;
            case TcpEvent.Closed:
                cx.Fail(_tcp.CloseCause!);             // a clean close stops, an error fails
                break;
        }
    }

    void Reply(ReadOnlySpan<byte> line)
    {
        Span<byte> output = _tcp.GetSpan(line.Length + 1);   // written in place: no copy, no allocation
        Ascii.ToUpper(line, output, out int written);
        output[written] = (byte)'\n';
        _tcp.Advance(written + 1);
    }

    public void Dispose() => _tcp.Dispose();
}

sealed class LineServer : IDisposable
{
    readonly TcpAcceptor _acceptor;
    readonly Dictionary<long, ActorOwn<LineConnection>> _connections = [];
    long _next;

    public LineServer(Cx<LineServer> cx, IPEndPoint endpoint, Ret<IPEndPoint> listening)
    {
        _acceptor = TcpAcceptor.Listen(cx.Core, endpoint,
            cx.Fwd<TcpIncoming>(static (s, cx, incoming) => s.Accept(cx, incoming)));
        listening.Answer(_acceptor.LocalEndPoint);   // port 0 in, the real port out
    }

    void Accept(Cx<LineServer> cx, TcpIncoming incoming)
    {
        long id = ++_next;
        _connections[id] = cx.Spawn<LineConnection, TcpIncoming>(
            static (cx, incoming) => new LineConnection(cx, incoming), incoming,
            cx.RetSome<long, StopCause>(id, static (s, cx, id, cause) => s.Ended(id)));
    }

    void Ended(long id)
    {
        if (_connections.Remove(id, out var connection)) connection.Dispose();
    }

    public void Dispose()
    {
        _acceptor.Dispose();
        foreach (var connection in _connections.Values) connection.Dispose();
    }
}
#endregion

public class LineServerTests
{
    [Fact]
    public async Task LinesComeBackInCapitals()
    {
        var (reply, cause) = await Serve().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("HELLO\nWORLD\n", reply);
        Assert.Equal(StopKind.Dropped, cause.Kind);
    }

    static async Task<(string, StopCause)> Serve()
    {
        #region doc:cookbook-line-server-run
        var listening = new TaskCompletionSource<IPEndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        ActorOwn<LineServer>? server = null;
        using var thread = new CoreThread(core =>
            server = core.Spawn<LineServer, IPEndPoint, Ret<IPEndPoint>>(
                static (cx, ep, r) => new LineServer(cx, ep, r), new IPEndPoint(IPAddress.Loopback, 0),
                Ret.From<IPEndPoint>(core, a => listening.SetResult(a.Value)),
                Ret.Shutdown(core)));
        IPEndPoint endpoint = await listening.Task;

        using var client = new TcpClient();
        await client.ConnectAsync(endpoint);
        NetworkStream stream = client.GetStream();
        await stream.WriteAsync("hello\nwor"u8.ToArray());
        await stream.WriteAsync("ld\n"u8.ToArray());
        client.Client.Shutdown(SocketShutdown.Send);
        string reply = await new StreamReader(stream, Encoding.ASCII).ReadToEndAsync();   // "HELLO\nWORLD\n"

        thread.Post(_ => server!.Dispose());   // the server ends, and with it the Core
        StopCause cause = await thread.Completion;   // Dropped
        #endregion
        return (reply, cause);
    }
}
