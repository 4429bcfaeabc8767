using System.Diagnostics;
using NATS.Client.Core;

namespace RemoteBench;

/// <summary>Raw NATS (NATS.Client.Core): a responder echoing an int, a subscriber counting one-way
/// messages and replying with its count to the message that carries a reply subject</summary>
public static class RawNatsPeer
{
    public static async Task ServeAsync()
    {
        await using var nats = new NatsConnection(StakkerPeer.Opts);
        await nats.ConnectAsync();
        await using INatsSub<int> ping = await nats.SubscribeCoreAsync<int>("raw.ping");
        await using INatsSub<int> oneWay = await nats.SubscribeCoreAsync<int>("raw.oneway");
        await nats.PingAsync();
        var loops = Task.WhenAll(
            Task.Run(async () => { await foreach (var m in ping.Msgs.ReadAllAsync()) await m.ReplyAsync(m.Data); }),
            Task.Run(async () =>
            {
                long count = 0;
                await foreach (var m in oneWay.Msgs.ReadAllAsync())
                {
                    if (m.ReplyTo is null) { count += m.Data; continue; }
                    await m.ReplyAsync(count);
                    count = 0;
                }
            }));
        await Server.ReadyAndWaitAsync();
    }

    public sealed class Client : IPeerClient
    {
        NatsConnection _nats = null!;

        public string Name => "raw NATS request-reply";

        public async Task StartAsync()
        {
            _nats = new NatsConnection(StakkerPeer.Opts);
            await _nats.ConnectAsync();
        }

        public async Task<TimeSpan> PingPongAsync(int roundTrips)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < roundTrips; i++)
            {
                NatsMsg<int> reply = await _nats.RequestAsync<int, int>("raw.ping", i);
                if (reply.Data != i) throw new InvalidOperationException("wrong reply");
            }
            return sw.Elapsed;
        }

        public async Task<TimeSpan> OneWayAsync(int messages)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < messages; i++) await _nats.PublishAsync("raw.oneway", 1);
            NatsMsg<long> count = await _nats.RequestAsync<int, long>("raw.oneway", 0, replyOpts: new NatsSubOpts { Timeout = TimeSpan.FromSeconds(60) });
            if (count.Data != messages) throw new InvalidOperationException($"counted {count.Data}, sent {messages}");
            return sw.Elapsed;
        }

        public ValueTask DisposeAsync() => _nats.DisposeAsync();
    }
}
