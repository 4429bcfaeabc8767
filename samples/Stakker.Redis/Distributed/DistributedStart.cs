using NATS.Client.Core;

namespace Stakker.Redis;

/// <summary>The start of a distributed server, on the host's thread before any Core listens: join NATS, then wait
/// until every shard's subscription is in force on the NATS server</summary>
internal static class DistributedStart
{
    static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    /// <exception cref="InvalidOperationException">The NATS server cannot be reached within 10 s.</exception>
    public static NatsConnection Connect(RedisDistribution d, Shards shards)
    {
        var nats = new NatsConnection(new NatsOpts
        {
            Url = d.NatsUrl,
            Name = "stakker-redis " + d.Cluster + " shards " + d.FirstShard + "-" + (d.FirstShard + d.HeldShards - 1) + "/" + d.TotalShards,
            // A link cut for a moment is taken up again; what was on the way meanwhile is answered as lost by its bound.
            MaxReconnectRetry = -1,
            ReconnectWaitMin = TimeSpan.FromMilliseconds(100),
            ReconnectWaitMax = TimeSpan.FromSeconds(2),
        });
        try
        {
            if (!nats.ConnectAsync().AsTask().Wait(s_wait)) throw new TimeoutException("no answer within " + s_wait.TotalSeconds + " s");
        }
        catch (Exception e)
        {
            nats.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(1));
            Exception cause = e is AggregateException { InnerException: { } inner } ? inner : e;
            throw new InvalidOperationException("Cannot join NATS at " + d.NatsUrl + ": " + cause.Message, cause);
        }
        shards.Nats = nats;
        // The largest message the server takes: a call is refused before it is sent rather than lost on the way.
        if (nats.ServerInfo is { MaxPayload: > 0 } info) shards.MaxFrameBytes = (int)Math.Min(info.MaxPayload, int.MaxValue);
        return nats;
    }

    /// <exception cref="TimeoutException">A subscription was not confirmed within 10 s.</exception>
    public static void AwaitSubscriptions(Shards shards)
    {
        if (!Task.WhenAll(shards.StartingTasks()).Wait(s_wait))
            throw new TimeoutException("The shards' NATS subscriptions were not in force within " + s_wait.TotalSeconds + " s.");
    }
}
