using System.Net.Sockets;

namespace Stakker.Redis.Tests;

public static class SocketExtensions
{
    /// <summary>Reads until the server closes (ReceiveTimeout bounds each read); returns the bytes</summary>
    public static byte[] ReadToEnd(this Socket s)
    {
        var all = new MemoryStream();
        var chunk = new byte[65536];
        int n;
        while ((n = s.Receive(chunk)) > 0) all.Write(chunk, 0, n);
        return all.ToArray();
    }
}
