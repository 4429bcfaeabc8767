using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Stakker.Redis.Tests;

/// <summary>A plain socket speaking RESP, for what a client library would hide (huge frames, clients
/// that never read); every read and write is bounded by the socket's timeouts</summary>
public sealed class RawClient : IDisposable
{
    readonly BufferedStream _in;

    public RawClient(int port, int timeoutMs = 10_000)
    {
        Socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = timeoutMs, SendTimeout = timeoutMs, NoDelay = true };
        Socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        _in = new BufferedStream(new NetworkStream(Socket, ownsSocket: false), 64 * 1024);
    }

    public Socket Socket { get; }

    /// <summary>A multi-bulk frame of the given arguments</summary>
    public static byte[] Frame(IReadOnlyList<byte[]> args)
    {
        var frame = new MemoryStream();
        void Line(string s) => frame.Write(Encoding.ASCII.GetBytes(s + "\r\n"));
        Line("*" + args.Count);
        foreach (byte[] a in args)
        {
            Line("$" + a.Length);
            frame.Write(a);
            frame.Write("\r\n"u8);
        }
        return frame.ToArray();
    }

    public static byte[] Frame(params string[] args) => Frame(args.Select(Encoding.UTF8.GetBytes).ToArray());

    public void Send(byte[] bytes) => Socket.Send(bytes);

    /// <summary>Sends a command and reads its reply</summary>
    public string Call(params string[] args)
    {
        Send(Frame(args));
        return ReadReply();
    }

    /// <summary>One reply, flattened: <c>+OK</c>, <c>-ERR ...</c>, <c>:3</c>, the bulk's text, <c>(nil)</c>, or <c>[a,b]</c>;
    /// RESP3 null is <c>(nil)</c>, a map <c>%[k,v]</c>, a push <c>&gt;[a,b]</c></summary>
    public string ReadReply()
    {
        string line = ReadLine();
        switch (line[0])
        {
            case '$':
                int len = int.Parse(line.AsSpan(1));
                if (len < 0) return "(nil)";
                var data = new byte[len + 2];
                _in.ReadExactly(data);
                return Encoding.UTF8.GetString(data, 0, len);
            case '*':
                int n = int.Parse(line.AsSpan(1));
                if (n < 0) return "(nil)";
                var items = new string[n];
                for (int i = 0; i < n; i++) items[i] = ReadReply();
                return "[" + string.Join(",", items) + "]";
            case '%' or '>':
                int count = int.Parse(line.AsSpan(1)) * (line[0] == '%' ? 2 : 1);
                var parts = new string[count];
                for (int i = 0; i < count; i++) parts[i] = ReadReply();
                return line[0] + "[" + string.Join(",", parts) + "]";
            case '_':
                return "(nil)";
            default:
                return line;
        }
    }

    /// <summary>The next <paramref name="count"/> bytes exactly as the server sent them</summary>
    public string ReadRaw(int count)
    {
        var data = new byte[count];
        _in.ReadExactly(data);
        return Encoding.UTF8.GetString(data);
    }

    string ReadLine()
    {
        var sb = new StringBuilder();
        for (;;)
        {
            int b = _in.ReadByte();
            if (b < 0) throw new EndOfStreamException("The server closed the connection");
            if (b == '\n') return sb.ToString().TrimEnd('\r');
            sb.Append((char)b);
        }
    }

    /// <summary>True if the server has closed the connection (reads to the end, within the timeout)</summary>
    public bool ServerClosed()
    {
        try
        {
            var sink = new byte[64 * 1024];
            while (_in.Read(sink) > 0) { }
            return true;
        }
        catch (IOException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            return true;
        }
    }

    public void Dispose()
    {
        _in.Dispose();
        Socket.Dispose();
    }
}
