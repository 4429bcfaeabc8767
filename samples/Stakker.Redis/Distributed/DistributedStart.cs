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

    /// <summary>Claims the shards this process holds: refuses them if another process of the cluster answers for one
    /// (two holders would each take the writes sent to it and answer reads from their own copy), then answers for
    /// them until <paramref name="stop"/>. Two processes started in the same instant can both miss each other.</summary>
    /// <exception cref="InvalidOperationException">Another process holds one of the shards.</exception>
    public static void Claim(NatsConnection nats, RedisDistribution d, CancellationToken stop)
    {
        string me = Environment.MachineName + " pid " + Environment.ProcessId;
        for (int s = d.FirstShard; s < d.FirstShard + d.HeldShards; s++)
        {
            string subject = ClaimSubject(d, s);
            string? holder = null;
            try
            {
                var ask = nats.RequestAsync<string, string>(subject, me, replyOpts: new NatsSubOpts { Timeout = TimeSpan.FromSeconds(2) }).AsTask();
                if (ask.Wait(s_wait)) holder = ask.Result.Data ?? "a process that gave no name";
            }
            catch (AggregateException e) when (e.InnerException is NatsNoRespondersException) { }
            catch (AggregateException e) when (e.InnerException is NatsNoReplyException or TimeoutException or OperationCanceledException) { }
            if (holder is not null)
                throw new InvalidOperationException("Shard " + s + " of cluster '" + d.Cluster + "' is already held by " + holder + ".");
            _ = AnswerClaims(nats, subject, me, stop);
        }
    }

    static string ClaimSubject(RedisDistribution d, int shard) => "stakker.redis." + d.Cluster + ".claim." + shard.ToString(System.Globalization.CultureInfo.InvariantCulture);

    static async Task AnswerClaims(NatsConnection nats, string subject, string me, CancellationToken stop)
    {
        try
        {
            await foreach (NatsMsg<string> ask in nats.SubscribeAsync<string>(subject, cancellationToken: stop).ConfigureAwait(false))
                await ask.ReplyAsync(me, cancellationToken: stop).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or NatsException) { }
    }

    /// <exception cref="TimeoutException">A subscription was not confirmed within 10 s.</exception>
    public static void AwaitSubscriptions(Shards shards)
    {
        if (!Task.WhenAll(shards.StartingTasks()).Wait(s_wait))
            throw new TimeoutException("The shards' NATS subscriptions were not in force within " + s_wait.TotalSeconds + " s.");
    }
}
