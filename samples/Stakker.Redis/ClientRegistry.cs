using System.Text;

namespace Stakker.Redis;

/// <summary>What CLIENT LIST/INFO/KILL see of one connection; the connection keeps it up to date</summary>
internal sealed class ClientState(long id, string addr, Actor<Client> actor, long createdTicks)
{
    public readonly long Id = id;
    public readonly string Addr = addr;
    public readonly Actor<Client> Actor = actor;
    public readonly long CreatedTicks = createdTicks;
    public long LastTicks = createdTicks;
    public byte[]? Name;
    public int Db;
    public int Subscriptions;
    public int Patterns;
    public int Multi = -1;
    public bool Blocked;
    public bool Resp3;
    public string LastCommand = "NULL";
    /// <summary>Output bytes waiting to be sent, as of the last look at the output limits (CLIENT LIST's omem)</summary>
    public long OutputMemory;

    /// <summary>One line of CLIENT LIST in Redis 7.0's field order</summary>
    /// <summary>" core=N" on a server of several Cores</summary>
    public string CoreField = "";

    public string Describe(long nowTicks, string laddr)
    {
        string flags = (Subscriptions + Patterns > 0 ? "P" : "") + (Multi >= 0 ? "x" : "") + (Blocked ? "b" : "");
        return new StringBuilder()
            .Append("id=").Append(Id).Append(" addr=").Append(Addr).Append(" laddr=").Append(laddr).Append(" fd=8 name=")
            .Append(Name is null ? "" : Encoding.UTF8.GetString(Name))
            .Append(" age=").Append((nowTicks - CreatedTicks) / TimeSpan.TicksPerSecond)
            .Append(" idle=").Append((nowTicks - LastTicks) / TimeSpan.TicksPerSecond)
            .Append(" flags=").Append(flags.Length == 0 ? "N" : flags)
            .Append(" db=").Append(Db).Append(" sub=").Append(Subscriptions).Append(" psub=").Append(Patterns).Append(" ssub=0")
            .Append(" multi=").Append(Multi)
            .Append(" qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=16384 rbp=0 obl=0 oll=0 omem=").Append(OutputMemory).Append(" tot-mem=0 events=r cmd=").Append(LastCommand)
            .Append(" user=default redir=-1 resp=").Append(Resp3 ? 3 : 2)
            .Append(CoreField)
            .ToString();
    }
}

/// <summary>Every connection of the server by id (same Core thread as the connections)</summary>
internal sealed class ClientRegistry
{
    public readonly Dictionary<long, ClientState> ById = [];
    public string LocalAddr = "";
    /// <summary>The Core serving these connections, shown by CLIENT LIST/INFO on a server of several Cores; null on one</summary>
    public string? Core;
}
