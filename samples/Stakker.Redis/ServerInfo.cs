namespace Stakker.Redis;

/// <summary>Facts about the running server that INFO reports; lives on the server's Core thread</summary>
internal sealed class ServerInfo(int port)
{
    public int Port = port;
    public readonly DateTime Started = DateTime.UtcNow;
    public int ConnectedClients;
    /// <summary>Counted by the connections, which see every command (also the refused ones)</summary>
    public readonly CommandStats Stats = new();
    /// <summary>The settings CONFIG SET changes; the keyspace reads the encoding thresholds from them</summary>
    public readonly Settings Settings = new();
}

/// <summary>Calls and refusals per command, for INFO commandstats and stats</summary>
/// <remarks>Arrays indexed by <see cref="CommandInfo.Index"/>: counting costs no lookup on the hot path.</remarks>
internal sealed class CommandStats
{
    public readonly long[] Calls = new long[Commands.Count];
    public readonly long[] RejectedByCommand = new long[Commands.Count];
    public long Connections;
    public long RejectedCalls;

    public long TotalCalls => Calls.Sum();

    public void Called(CommandInfo cmd) => Calls[cmd.Index]++;

    public void Rejected(CommandInfo cmd)
    {
        RejectedCalls++;
        RejectedByCommand[cmd.Index]++;
    }
}
