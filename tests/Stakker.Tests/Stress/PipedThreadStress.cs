using Xunit.Abstractions;
using System.Diagnostics;
using Stakker.Tests.Threads;

#pragma warning disable STK0005 // the actors report to the test through their tallies

namespace Stakker.Tests.Stress;

/// <summary>Piped threads started and ended round after round with small pipes (so both sides park):
/// every output arrives once and in order, then exactly one end report</summary>
public class PipedThreadStress(ITestOutputHelper output)
{
    sealed class Tally(long count)
    {
        public readonly long Count = count;
        public long Sent, Received, Errors, Ends;
        public bool EndAfterAll;
        public TaskCompletionSource Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    sealed class Echo
    {
        readonly Tally _t;
        readonly PipedThread<long, long> _pipe;
        readonly bool _disposeAtEnd;

        public Echo(Cx<Echo> cx, Tally t, bool disposeAtEnd)
        {
            _t = t;
            _disposeAtEnd = disposeAtEnd;
            _pipe = PipedThread<long, long>.Start(cx, static link =>
                {
                    // Returns on the sentinel, or when the actor lets go of the pipe.
                    while (link.TryReceive(out long x) && x >= 0)
                        if (!link.Send(x + 1)) return;
                },
                cx.Fwd<long>(static (a, cx, v) => a.Got(cx, v), static (a, cx, end) => a.Ended(cx, end)),
                capacity: 16);
            Fill();
        }

        void Fill()
        {
            // At most the pipe's capacity unanswered, so a send never finds it full.
            while (_t.Sent < _t.Count && _t.Sent - _t.Received < _pipe.Capacity) _pipe.Send(_t.Sent++);
        }

        void Got(Cx<Echo> cx, long v)
        {
            if (v != _t.Received + 1) _t.Errors++;
            _t.Received++;
            if (_t.Received < _t.Count) { Fill(); return; }
            if (_disposeAtEnd) _pipe.Dispose();
            else _pipe.Send(-1);
        }

        void Ended(Cx<Echo> cx, StreamEnd end)
        {
            _t.Ends++;
            _t.EndAfterAll = _t.Received == _t.Count && !end.IsFailure;
            _t.Done.TrySetResult();
        }
    }

    [Fact]
    public void Stress_PipedThreads_EveryOutputOnceInOrder_OneEndReport()
    {
        using var yields = Yields.Inject();
        var clock = Stopwatch.StartNew();
        var core = new Core(Instant.Zero);
        long items = 0, rounds = 0, threads = 0;
        var rng = new Random(3);
        while (clock.Elapsed < Yields.Budget || rounds == 0)
        {
            var tallies = Enumerable.Range(0, 3).Select(_ => new Tally(rng.Next(1, 50_000))).ToArray();
            var owners = new List<ActorOwn<Echo>>();
            foreach (Tally t in tallies)
                owners.Add(core.Spawn<Echo, Tally, bool>(static (cx, t, d) => new Echo(cx, t, d), t, rng.Next(2) == 0, Ret.Nop<StopCause>()));
            core.Drive(Task.WhenAll(tallies.Select(t => t.Done.Task)));
            core.Run(core.Now, idle: false);
            foreach (Tally t in tallies)
            {
                Assert.Equal(0, t.Errors);
                Assert.Equal(t.Count, t.Received);
                Assert.Equal(1, t.Ends);
                Assert.True(t.EndAfterAll);
                items += t.Count;
            }
            foreach (var o in owners) o.Dispose();
            core.Run(core.Now, idle: false);
            Assert.Equal(0, core.WakerCount);
            threads += tallies.Length;
            rounds++;
        }
        output.WriteLine(yields.Report("piped threads", $"{rounds:N0} rounds, {threads:N0} threads, {items:N0} items each way", clock));
        yields.AssertReached(5);
    }
}
