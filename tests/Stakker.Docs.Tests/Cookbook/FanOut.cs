namespace Stakker.Docs.Tests.Cookbook;

sealed class Shard
{
    readonly int _count;
    public Shard(int count) => _count = count;
    public void Count(Cx<Shard> cx, Ret<int> ret) => ret.Answer(_count);
}

#region doc:cookbook-fan-out
sealed class Census
{
    readonly Actor<Shard>[] _shards;

    public Census(Actor<Shard>[] shards) => _shards = shards;

    public void Total(Cx<Census> cx, Ret<(int Sum, int Missing)> client)
    {
        var gather = new Gather(_shards.Length, client);
        foreach (Actor<Shard> shard in _shards)
            shard.Call(static (s, cx, r) => s.Count(cx, r),
                cx.Ret<Gather, int>(gather, static (c, cx, g, answer) => g.Add(answer)));
    }

    // One per request: the answers of its shards meet here, in whatever order they come.
    sealed class Gather(int expected, Ret<(int Sum, int Missing)> client)
    {
        int _sum, _missing, _heard;

        public void Add(Answer<int> answer)
        {
            if (answer.TryGetValue(out int n)) _sum += n;
            else _missing++;                          // that shard has ended: counted, never waited for
            if (++_heard == expected) client.Answer((_sum, _missing));
        }
    }
}
#endregion

public class FanOutTests
{
    [Fact]
    public void EveryShardIsCountedOrReportedMissing()
    {
        var core = new Core(Instant.Zero);
        var shards = new List<ActorOwn<Shard>>();
        for (int i = 1; i <= 4; i++)
            shards.Add(core.Spawn<Shard, int>(static (cx, n) => new Shard(n), i * 10, Ret.Nop<StopCause>()));
        using var census = core.Spawn<Census, Actor<Shard>[]>(static (cx, s) => new Census(s),
            shards.Select(s => s.Actor).ToArray(), Ret.Nop<StopCause>());
        var answers = new List<(int, int)>();
        census.Call(static (c, cx, r) => c.Total(cx, r), Ret.From<(int, int)>(core, a => answers.Add(a.Value)));
        core.Run(core.Now, idle: false);
        Assert.Equal([(100, 0)], answers);

        shards[2].Kill("gone");
        census.Call(static (c, cx, r) => c.Total(cx, r), Ret.From<(int, int)>(core, a => answers.Add(a.Value)));
        core.Run(core.Now, idle: false);
        Assert.Equal([(100, 0), (70, 1)], answers);
        foreach (var s in shards) s.Dispose();
    }
}
