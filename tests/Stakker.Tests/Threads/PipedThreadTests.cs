using System.Diagnostics;

namespace Stakker.Tests.Threads;

public class PipedThreadTests
{
    static readonly TimeSpan Deadline = Driving.Deadline;
    const int Million = 1_000_000;

    // ---- order and loss -------------------------------------------------------------------------

    /// <summary>Sends 0..total-1 to an echoing thread as fast as the input pipe takes them, checks the echoes</summary>
    sealed class Pump
    {
        readonly PipedThread<int, int> _pipe;
        readonly int _total;
        readonly TaskCompletionSource<int> _done;
        int _sent;
        int _next;
        public int MaxInput;

        public Pump(Cx<Pump> cx, int total, TaskCompletionSource<int> done)
        {
            _total = total;
            _done = done;
            _pipe = PipedThread<int, int>.Start(cx, static link =>
                {
                    int expect = 0;
                    while (link.TryReceive(out int x))
                    {
                        if (x != expect++) throw new InvalidOperationException($"the thread received {x}, expected {expect - 1}");
                        if (!link.Send(x)) return;
                    }
                },
                cx.Fwd<int>(static (a, cx, v) => a.Got(cx, v), static (a, cx, end) => a.Ended(end)),
                capacity: 256);
            Fill();
        }

        void Fill()
        {
            while (_sent < _total && _pipe.TrySend(_sent)) _sent++;
            MaxInput = Math.Max(MaxInput, _pipe.InputCount);
        }

        void Got(Cx<Pump> cx, int v)
        {
            if (v != _next) _done.TrySetException(new InvalidOperationException($"the actor received {v}, expected {_next}"));
            _next++;
            if (_next == _total)
            {
                _done.TrySetResult(_next);
                _pipe.Dispose();
            }
            else Fill();
        }

        void Ended(StreamEnd end)
        {
            if (end.IsFailure) _done.TrySetException(end.Error!);
            else if (_next < _total) _done.TrySetException(new InvalidOperationException($"the thread ended after {_next} items"));
        }
    }

    [Fact]
    public void RoundTrip_MillionItems_AllArriveInOrderBothWays()
    {
        var core = new Core(Instant.Zero);
        var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var pump = core.Spawn<Pump, TaskCompletionSource<int>>(static (cx, d) => new Pump(cx, Million, d), done, Ret.Nop<StopCause>());
        Assert.Equal(Million, core.Drive(done.Task));
        Assert.True(pump.Actor.Query(static (p, cx) => p.MaxInput) <= 256);
    }

    sealed class Sink(TaskCompletionSource<long> done, int total)
    {
        long _next;
        public PipedThread<int, int>? Pipe;

        public void Got(int v)
        {
            if (v != _next) done.TrySetException(new InvalidOperationException($"received {v}, expected {_next}"));
            _next++;
        }

        public void Ended(StreamEnd end)
        {
            if (end.IsFailure) done.TrySetException(end.Error!);
            else if (_next == total) done.TrySetResult(_next);
            else done.TrySetException(new InvalidOperationException($"ended after {_next} of {total}"));
        }
    }

    [Fact]
    public void FloodingThread_MillionOutputs_BlocksOnTheFullPipeAndLosesNone()
    {
        var core = new Core(Instant.Zero);
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sink = core.Spawn<Sink, TaskCompletionSource<long>>(static (cx, done) =>
        {
            var s = new Sink(done, Million);
            s.Pipe = PipedThread<int, int>.Start(cx, static link =>
                {
                    for (int i = 0; i < Million; i++)
                        if (!link.Send(i)) return;
                },
                cx.Fwd<int>(static (a, cx, v) => a.Got(v), static (a, cx, end) => a.Ended(end)),
                capacity: 64);
            return s;
        }, done, Ret.Nop<StopCause>());
        Assert.Equal(Million, core.Drive(done.Task));
        Assert.True(sink.Actor.Query(static (s, cx) => s.Pipe!.Join(Deadline)));
    }

    // ---- failure and ending ---------------------------------------------------------------------

    sealed class Watcher
    {
        public PipedThread<string, string>? Pipe;
        public readonly List<string> Outputs = [];
        public readonly TaskCompletionSource<StreamEnd> End = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Send(Cx<Watcher> cx, string s) => Pipe!.Send(s);
        public void Stop(Cx<Watcher> cx) => cx.Stop();
        public void DisposePipe(Cx<Watcher> cx) => Pipe!.Dispose();
    }

    static ActorOwn<Watcher> SpawnWatcher(Core core, Action<PipedLink<string, string>> run, int capacity = 16) =>
        core.Spawn<Watcher, Action<PipedLink<string, string>>, int>(static (cx, run, capacity) =>
        {
            var w = new Watcher();
            w.Pipe = PipedThread<string, string>.Start(cx, run,
                cx.Fwd<string>(static (a, cx, s) => a.Outputs.Add(s), static (a, cx, end) => a.End.TrySetResult(end)),
                capacity);
            return w;
        }, run, capacity, Ret.Nop<StopCause>());

    [Fact]
    public void ThreadThrows_ActorHearsTheFailureWithTheException_AfterTheOutputsSentBefore()
    {
        var core = new Core(Instant.Zero);
        var boom = new InvalidOperationException("boom");
        using var w = SpawnWatcher(core, link =>
        {
            link.TryReceive(out string? s);
            link.Send("got " + s);
            throw boom;
        });
        core.Run(core.Now, false);
        w.Actor.Call(static (a, cx, s) => a.Send(cx, s), "x");
        Task<StreamEnd> end = w.Actor.Query(static (a, cx) => a.End.Task);
        StreamEnd ended = core.Drive(end);
        Assert.True(ended.IsFailure);
        Assert.Same(boom, ended.Error);
        Assert.Equal(["got x"], w.Actor.Query(static (a, cx) => a.Outputs.ToArray()));
        Assert.Equal(0, core.WakerCount);
    }

    [Fact]
    public void ThreadReturns_ActorHearsANormalEnd()
    {
        var core = new Core(Instant.Zero);
        using var w = SpawnWatcher(core, link => link.Send("only"));
        core.Run(core.Now, false);
        Task<StreamEnd> end = w.Actor.Query(static (a, cx) => a.End.Task);
        Assert.False(core.Drive(end).IsFailure);
        Assert.Equal(["only"], w.Actor.Query(static (a, cx) => a.Outputs.ToArray()));
    }

    [Fact]
    public void ActorEnds_ThreadSeesItsInputClosedAndTokenCancelled_AndEnds()
    {
        var core = new Core(Instant.Zero);
        var exited = new TaskCompletionSource<(bool Cancelled, bool SendAccepted)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var receiving = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var w = SpawnWatcher(core, link =>
        {
            receiving.SetResult();
            while (link.TryReceive(out _)) { }
            exited.SetResult((link.Token.IsCancellationRequested, link.Send("too late")));
        });
        core.Run(core.Now, false);
        PipedThread<string, string> pipe = w.Actor.Query(static (a, cx) => a.Pipe!);
        Driving.Done(receiving.Task.ContinueWith(static _ => true, TaskScheduler.Default));
        Assert.False(exited.Task.IsCompleted);

        w.Actor.Call(static (a, cx) => a.Stop(cx));
        core.Run(core.Now, false);

        Assert.True(pipe.Join(Deadline), "the thread did not end when its actor ended");
        Assert.Equal((true, false), Driving.Done(exited.Task));
        Assert.True(pipe.IsDisposed);
        // The thread's end reaches the Core and is dropped with the ended actor.
        core.Run(core.Now, false);
        Assert.Equal(0, core.WakerCount);
    }

    [Fact]
    public void ThreadThatSeesTheEnd_FindsEverySignOfItAlreadySet()
    {
        // A thread spinning on IsCancelled catches any window in which the end is half made: the
        // pipes closed but the token not yet cancelled, or Send still accepting. Many rounds,
        // because the window is a few instructions wide.
        for (int round = 0; round < 200; round++)
        {
            var core = new Core(Instant.Zero);
            var seen = new TaskCompletionSource<(bool Cancelled, bool ReceiveNow, bool SendAccepted)>(TaskCreationOptions.RunContinuationsAsynchronously);
            var spinning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var w = SpawnWatcher(core, link =>
            {
                spinning.SetResult();
                while (!link.IsCancelled) { }
                seen.SetResult((link.Token.IsCancellationRequested, link.TryReceiveNow(out _), link.Send("too late")));
            });
            core.Run(core.Now, false);
            Driving.Done(spinning.Task.ContinueWith(static _ => true, TaskScheduler.Default));
            w.Actor.Call(static (a, cx) => a.Stop(cx));
            core.Run(core.Now, false);
            Assert.Equal((true, false, false), Driving.Done(seen.Task));
        }
    }

    [Fact]
    public void ActorDisposesThePipe_ThreadEnds_AndTheEndIsStillReported()
    {
        var core = new Core(Instant.Zero);
        using var w = SpawnWatcher(core, link =>
        {
            while (link.TryReceive(out string? s)) link.Send(s);
        });
        core.Run(core.Now, false);
        w.Actor.Call(static (a, cx, s) => a.Send(cx, s), "one");
        w.Actor.Call(static (a, cx) => a.DisposePipe(cx));
        Task<StreamEnd> end = w.Actor.Query(static (a, cx) => a.End.Task);
        Assert.False(core.Drive(end).IsFailure);
        Assert.True(w.Actor.Query(static (a, cx) => a.Pipe!.Join(Deadline)));
        Assert.True(w.Actor.Query(static (a, cx) =>
        {
            try { a.Pipe!.TrySend("after"); return false; }
            catch (ObjectDisposedException) { return true; }
        }), "TrySend after Dispose did not throw");
    }

    [Fact]
    public void InputPipeFull_TrySendSaysNoAndSendThrows_UntilTheThreadTakes()
    {
        var core = new Core(Instant.Zero);
        using var gate = new ManualResetEventSlim(false);
        using var w = SpawnWatcher(core, link =>
        {
            gate.Wait(link.Token);
            while (link.TryReceive(out string? s)) link.Send(s);
        }, capacity: 4);
        core.Run(core.Now, false);
        PipedThread<string, string> pipe = w.Actor.Query(static (a, cx) => a.Pipe!);
        bool[] accepted = w.Actor.Query(static (a, cx) => Enumerable.Range(0, 5).Select(i => a.Pipe!.TrySend("m" + i)).ToArray());
        Assert.Equal([true, true, true, true, false], accepted);
        Assert.Equal(4, pipe.InputCount);
        Assert.True(w.Actor.Query(static (a, cx) =>
        {
            try { a.Pipe!.Send("m5"); return false; }
            catch (InvalidOperationException) { return true; }
        }), "Send on a full pipe did not throw");

        gate.Set();
        var sw = Stopwatch.StartNew();
        while (w.Actor.Query(static (a, cx) => a.Outputs.Count) < 4 && sw.Elapsed < Deadline)
        {
            core.WaitForWake(TimeSpan.FromMilliseconds(100));
            core.Run(core.Now, false);
        }
        Assert.Equal(["m0", "m1", "m2", "m3"], w.Actor.Query(static (a, cx) => a.Outputs.ToArray()));
        Assert.True(w.Actor.Query(static (a, cx) => a.Pipe!.TrySend("m4")));
        w.Actor.Query(static (a, cx) => { a.Pipe!.Dispose(); return 0; });
        Assert.True(pipe.Join(Deadline));
    }
}
