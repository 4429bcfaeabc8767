using Xunit.Abstractions;
using System.Diagnostics;
using Stakker.Tests.Threads;

#pragma warning disable STK0005 // the actor reports to the test through the tally it was given

namespace Stakker.Tests.Stress;

/// <summary>Async completions from the thread pool (offloaded work, awaits resumed on the Core,
/// posts from foreign threads) arriving at one Core: each answer once, with its value</summary>
public class CompletionStress(ITestOutputHelper output)
{
    sealed class Tally(int jobs, TaskCompletionSource done)
    {
        public readonly byte[] Seen = new byte[jobs * 2];
        public int Answered, Duplicates, Wrong, NoValue;

        public void Got(int slot, long expected, Answer<long> a)
        {
            if (!a.TryGetValue(out long v)) NoValue++;
            else if (v != expected) Wrong++;
            if (Seen[slot]++ != 0) Duplicates++;
            if (++Answered == Seen.Length) done.TrySetResult();
        }
    }

    sealed class Asker(Tally tally)
    {
        public void Start(Cx<Asker> cx, int jobs)
        {
            for (int i = 0; i < jobs; i++)
            {
                // Work on the pool, answered through the Core's wake path.
                cx.Offload(static (n, ct) => (long)n * 3, i,
                    cx.Ret<int, long>(i, static (a, cx, i, v) => a.Got(i, i * 3L, v)));
                // An await that leaves the Core for the pool and comes back through its context.
                cx.SpawnTask(static async co =>
                {
                    long x = await Task.Run(static () => 7L).ConfigureAwait(true);
                    await Task.Yield();
                    return x;
                }, cx.Ret<int, long>(jobs + i, static (a, cx, slot, v) => a.Got(slot, 7, v)));
            }
        }

        void Got(int slot, long expected, Answer<long> a) => tally.Got(slot, expected, a);
    }

    [Fact]
    public void Stress_PoolCompletions_EachAnsweredOnce()
    {
        using var yields = Yields.Inject();
        var clock = Stopwatch.StartNew();
        var core = new Core(Instant.Zero);
        long answers = 0, posts = 0, rounds = 0;
        var rng = new Random(2);
        while (clock.Elapsed < Yields.Budget || rounds == 0)
        {
            int jobs = rng.Next(1, 20_000);
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var tally = new Tally(jobs, done);
            using var asker = core.Spawn<Asker, Tally>(static (cx, t) => new Asker(t), tally, Ret.Nop<StopCause>());
            asker.Actor.Call(static (a, cx, n) => a.Start(cx, n), jobs);
            // Meanwhile foreign threads post plain work: counted on the Core.
            int posted = 0, posters = 3, each = rng.Next(1, 20_000);
            var posting = Enumerable.Range(0, posters).Select(_ => Task.Run(() =>
            {
                for (int i = 0; i < each; i++) core.PostFromAnyThread(() => posted++);
            })).ToArray();
            var all = Task.WhenAll(posting.Append(done.Task));
            core.Drive(all);
            // The last posts may have been made after the last run.
            while (posted < posters * each) { core.Run(core.Now, idle: false); core.WaitForWake(TimeSpan.FromMilliseconds(10)); }
            Assert.Equal(0, tally.Duplicates);
            Assert.Equal(0, tally.Wrong);
            Assert.Equal(0, tally.NoValue);
            Assert.All(tally.Seen, s => Assert.Equal(1, s));
            core.Run(core.Now, idle: false);
            Assert.Equal(posters * each, posted);
            answers += tally.Answered;
            posts += posted;
            rounds++;
        }
        output.WriteLine(yields.Report("pool completions", $"{rounds:N0} rounds, {answers:N0} answers (offload + await), {posts:N0} foreign posts", clock));
        yields.AssertReached(4);
    }
}
