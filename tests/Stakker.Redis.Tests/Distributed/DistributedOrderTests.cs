using static Stakker.Redis.Tests.Distributed.DistributedCluster;

namespace Stakker.Redis.Tests.Distributed;

/// <summary>Pipelines that mix local and remote keys keep Redis's reply order, and concurrent writers through both
/// processes lose no update</summary>
public sealed class DistributedOrderTests(NatsFixture nats) : IClassFixture<NatsFixture>
{
    const int Total = TwoProcesses.Total;

    [Fact]
    public void APipelineOverKeysOfBothProcesses_IsAnsweredInTheOrderSent()
    {
        using var p = new TwoProcesses(nats.Url);
        RawClient a = p.ToA();
        string[] keys = [.. KeysOn(0, Total, "o", 100).Zip(KeysOn(1, Total, "o", 100)).SelectMany(k => new[] { k.First, k.Second })];
        // One write: every SET, then INCR and GET of each key, sent before any reply is read.
        var pipeline = new MemoryStream();
        for (int i = 0; i < keys.Length; i++) pipeline.Write(RawClient.Frame("SET", keys[i], i.ToString()));
        for (int i = 0; i < keys.Length; i++)
        {
            pipeline.Write(RawClient.Frame("INCR", keys[i]));
            pipeline.Write(RawClient.Frame("GET", keys[i]));
        }
        a.Send(pipeline.ToArray());
        for (int i = 0; i < keys.Length; i++) Assert.Equal("+OK", a.ReadReply());
        for (int i = 0; i < keys.Length; i++)
        {
            Assert.Equal(":" + (i + 1), a.ReadReply());
            Assert.Equal((i + 1).ToString(), a.ReadReply());
        }
    }

    [Fact]
    public void ConcurrentIncrementsThroughBothProcesses_AreAllCounted()
    {
        using var p = new TwoProcesses(nats.Url);
        string ka = KeyOn(0, Total, "count"), kb = KeyOn(1, Total, "count");
        const int perClient = 300;
        // Two clients on each process, each incrementing both counters, pipelined in one write.
        RawClient[] clients = [p.ToA(), p.ToA(), p.ToB(), p.ToB()];
        byte[] frame = [.. Enumerable.Range(0, perClient).SelectMany(_ => RawClient.Frame("INCR", ka).Concat(RawClient.Frame("INCR", kb)))];
        Parallel.ForEach(clients, c =>
        {
            c.Send(frame);
            for (int i = 0; i < 2 * perClient; i++) Assert.StartsWith(":", c.ReadReply());
        });
        string expected = (clients.Length * perClient).ToString();
        Assert.Equal($"[{expected},{expected}]", clients[0].Call("MGET", ka, kb));
        Assert.Equal($"[{expected},{expected}]", clients[3].Call("MGET", ka, kb));
    }
}
