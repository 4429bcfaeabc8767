using Stakker.Remote;

namespace Stakker.Redis;

/// <summary>A shard of another process as one Core sees it: the handle to it, and whether it is taken for lost</summary>
/// <remarks>Once a call to it went unanswered, a command on it is answered at once rather than after the loss bound
/// (seconds, which would stall every pipeline touching it). While commands ask, a ping goes out at most once a
/// second; its answer, or any other, marks the shard back. Used on the Core's thread only.</remarks>
internal sealed class RemoteShard(RemoteActor<IRedisShard> handle, Core core)
{
    static readonly TimeSpan s_pingEvery = TimeSpan.FromSeconds(1);

    bool _down;
    bool _pinging;
    Instant _pingAfter;

    public IRedisShard Proxy => handle.Proxy;

    /// <summary>True while the shard is taken for lost; sends the next ping when one is due</summary>
    public bool IsDown()
    {
        if (!_down) return false;
        if (!_pinging && core.Now >= _pingAfter)
        {
            _pinging = true;
            var alive = Ret.From<bool>(core, answer =>
            {
                _pinging = false;
                if (answer.HasValue) _down = false;
                else _pingAfter = core.Now + s_pingEvery;
            });
            try { handle.Proxy.Ping(alive); }
            catch (Exception e) when (Shards.Unsendable(e)) { alive.Dispose(); }
        }
        return true;
    }

    /// <summary>A call to the shard was answered (it is there) or given up (it is taken for lost, pinged at once)</summary>
    public void Heard(bool answered)
    {
        if (answered) _down = false;
        else if (!_down)
        {
            _down = true;
            _pingAfter = core.Now;
        }
    }
}
