using System.Text;

namespace Stakker.Redis;

/// <summary>Which connections a CLIENT KILL names; parsed once on the asking connection, then matched against
/// each Core's registry on that Core's thread (it is only read there)</summary>
internal sealed class ClientKillFilter
{
    long? _id;
    string? _addr;
    string? _type;
    bool _skipMe = true;
    /// <summary>LADDR named another listening address: nothing matches</summary>
    bool _otherListener;

    /// <summary>The asking connection</summary>
    public long Me { get; private init; }

    /// <summary>The old form <c>CLIENT KILL addr:port</c>: OK or "No such client" rather than a count</summary>
    public bool OldForm { get; private init; }

    /// <summary>Reads CLIENT KILL's arguments; the error reply when they are wrong</summary>
    public static Reply? Parse(List<byte[]> a, string localAddr, long me, out ClientKillFilter filter)
    {
        if (a.Count == 3)
        {
            filter = new ClientKillFilter { Me = me, OldForm = true, _addr = Encoding.UTF8.GetString(a[2]), _skipMe = false };
            return null;
        }
        filter = new ClientKillFilter { Me = me };
        if (a.Count < 4 || a.Count % 2 != 0) return Reply.SyntaxError;
        string? user = null;
        for (int i = 2; i < a.Count; i += 2)
        {
            string value = Encoding.UTF8.GetString(a[i + 1]);
            if (Commands.Is(a[i], "id"))
            {
                if (!RedisParse.Long(a[i + 1], out long v) || v <= 0) return Reply.Error("ERR client-id should be greater than 0");
                filter._id = v;
            }
            else if (Commands.Is(a[i], "addr")) filter._addr = value;
            else if (Commands.Is(a[i], "laddr")) { if (value != localAddr) filter._otherListener = true; }
            else if (Commands.Is(a[i], "type"))
            {
                filter._type = value.ToLowerInvariant();
                if (filter._type is not ("normal" or "pubsub" or "master" or "replica" or "slave")) return Reply.Error("ERR Unknown client type '" + value + "'");
            }
            else if (Commands.Is(a[i], "user")) user = value;
            else if (Commands.Is(a[i], "skipme"))
            {
                if (Commands.Is(a[i + 1], "yes")) filter._skipMe = true;
                else if (Commands.Is(a[i + 1], "no")) filter._skipMe = false;
                else return Reply.SyntaxError;
            }
            else return Reply.SyntaxError;
        }
        if (user is not null && user != "default") return Reply.Error("ERR No such user '" + user + "'");
        return null;
    }

    public bool Matches(ClientState c)
    {
        if (_otherListener) return false;
        if (_id is { } want && c.Id != want) return false;
        if (_addr is not null && c.Addr != _addr) return false;
        bool pubsub = c.Subscriptions + c.Patterns > 0;
        if (_type is not null && (_type is "master" or "replica" or "slave" || (_type == "pubsub") != pubsub)) return false;
        return !(_skipMe && c.Id == Me);
    }

    /// <summary>The reply once <paramref name="killed"/> connections were closed</summary>
    public Reply Answer(long killed) =>
        !OldForm ? Reply.Int(killed) : killed > 0 ? Reply.Ok : Reply.Error("ERR No such client");
}
