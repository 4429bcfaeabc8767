namespace Stakker.Docs.Tests.Cookbook;

#region doc:cookbook-batching
sealed class LogBatcher
{
    const int MaxBatch = 100;
    readonly Fwd<string[]> _output;
    readonly List<string> _pending = [];

    public LogBatcher(Fwd<string[]> output) => _output = output;

    public void Write(Cx<LogBatcher> cx, string line)
    {
        if (_pending.Count == 0) cx.Lazy(static (b, cx) => b.Flush());   // once the burst is over
        _pending.Add(line);
        if (_pending.Count == MaxBatch) Flush();                          // a long burst: bounded batches
    }

    void Flush()
    {
        if (_pending.Count == 0) return;
        _output.Send([.. _pending]);
        _pending.Clear();
    }
}
#endregion

public class BatchingTests
{
    [Fact]
    public void ABurstGoesOutInBatchesWhenTheQueueIsEmpty()
    {
        var core = new Core(Instant.Zero);
        var batches = new List<int>();
        using var batcher = core.Spawn<LogBatcher, Fwd<string[]>>(static (cx, o) => new LogBatcher(o),
            Fwd.From<string[]>(core, b => batches.Add(b.Length)), Ret.Shutdown(core));
        for (int i = 0; i < 250; i++) batcher.Call(static (b, cx, l) => b.Write(cx, l), $"line {i}");
        core.Run(core.Now, idle: false);
        Assert.Equal([100, 100, 50], batches);

        for (int i = 0; i < 3; i++) batcher.Call(static (b, cx, l) => b.Write(cx, l), $"line {i}");
        core.Run(core.Now, idle: false);
        Assert.Equal([100, 100, 50, 3], batches);
    }
}
