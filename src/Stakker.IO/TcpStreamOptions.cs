namespace Stakker.IO;

/// <summary>Buffer sizes and limits of a <see cref="TcpStream"/></summary>
/// <remarks>Checked once when the stream opens (an inconsistent set throws there). One instance may be
/// shared by any number of streams; it is not changed by them.</remarks>
public sealed class TcpStreamOptions
{
    /// <summary>The defaults: 16 KiB first read buffer, 1 MiB read limit, 256/64 KiB write marks, no Nagle delay</summary>
    public static TcpStreamOptions Default { get; } = new();

    /// <summary>Size of the input buffer at first; it grows up to <see cref="ReadLimit"/></summary>
    public int ReadBufferSize { get; init; } = 16 * 1024;

    /// <summary>Unconsumed input at which reading pauses until the actor calls <see cref="TcpStream.Consume"/></summary>
    /// <remarks>The actor can raise it for one large frame with <see cref="TcpStream.ReserveInput"/>.</remarks>
    public int ReadLimit { get; init; } = 1024 * 1024;

    /// <summary>Buffered output above which <see cref="TcpStream.IsWriteBlocked"/> turns true</summary>
    public int WriteHighWater { get; init; } = 256 * 1024;

    /// <summary>Buffered output at or below which a blocked stream sends <see cref="TcpEvent.Writable"/></summary>
    public int WriteLowWater { get; init; } = 64 * 1024;

    /// <summary>Disables Nagle's algorithm (sends small replies at once); true by default</summary>
    public bool NoDelay { get; init; } = true;

    internal void Validate()
    {
        if (ReadBufferSize < 256) throw new ArgumentOutOfRangeException(nameof(ReadBufferSize), ReadBufferSize, "ReadBufferSize must be at least 256 bytes.");
        if (ReadLimit < ReadBufferSize) throw new ArgumentOutOfRangeException(nameof(ReadLimit), ReadLimit, "ReadLimit must be at least ReadBufferSize.");
        if (WriteLowWater < 0) throw new ArgumentOutOfRangeException(nameof(WriteLowWater), WriteLowWater, "WriteLowWater must not be negative.");
        if (WriteHighWater < WriteLowWater) throw new ArgumentOutOfRangeException(nameof(WriteHighWater), WriteHighWater, "WriteHighWater must be at least WriteLowWater.");
    }
}

/// <summary>Settings of a <see cref="TcpAcceptor"/></summary>
public sealed class TcpAcceptorOptions
{
    /// <summary>The defaults: backlog 511, no connection limit</summary>
    public static TcpAcceptorOptions Default { get; } = new();

    /// <summary>Length of the kernel's queue of connections not yet accepted</summary>
    public int Backlog { get; init; } = 511;

    /// <summary>Connections accepted and not yet closed at which accepting pauses</summary>
    /// <remarks>Further connections wait in the kernel's backlog; accepting resumes as soon as one
    /// accepted connection is closed (from whatever thread or Core it lives on).</remarks>
    public int MaxConnections { get; init; } = int.MaxValue;

    /// <summary>Sets SO_REUSEADDR on the listening socket, so a restarted server can bind at once</summary>
    public bool ReuseAddress { get; init; } = true;

    /// <summary>Sets SO_REUSEPORT (Linux): several listeners, typically one per Core, bind the same port
    /// and the kernel spreads incoming connections over them</summary>
    public bool ReusePort { get; init; }

    internal void Validate()
    {
        if (Backlog < 1) throw new ArgumentOutOfRangeException(nameof(Backlog), Backlog, "Backlog must be at least 1.");
        if (MaxConnections < 1) throw new ArgumentOutOfRangeException(nameof(MaxConnections), MaxConnections, "MaxConnections must be at least 1.");
    }
}
