namespace Stakker.Tests.Threads;

public class OffloadTests
{
    /// <summary>What the offloaded work saw, told from the pool thread</summary>
    sealed class Probe
    {
        public readonly ManualResetEventSlim Started = new(false);
        public readonly ManualResetEventSlim Release = new(false);
        public readonly TaskCompletionSource<(int Thread, bool Cancelled)> Finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    sealed class Asker(Probe probe)
    {
        public readonly TaskCompletionSource<(int Value, int Thread)> Got = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Square(Cx<Asker> cx, int n) =>
            cx.Offload(static (s, ct) =>
            {
                s.Probe.Started.Set();
                s.Probe.Release.Wait(ct);
                s.Probe.Finished.SetResult((Environment.CurrentManagedThreadId, ct.IsCancellationRequested));
                return s.N * s.N;
            }, (Probe: probe, N: n), cx.RetSome<int>(static (a, cx, v) => a.Got.TrySetResult((v, Environment.CurrentManagedThreadId))));

        public void Long(Cx<Asker> cx, Ret<int> ret) =>
            cx.Offload(static (p, ct) =>
            {
                p.Started.Set();
                // Blocks until cancelled (or released): the actor's end must reach the work.
                WaitHandle.WaitAny([ct.WaitHandle, p.Release.WaitHandle], Driving.Deadline);
                p.Finished.SetResult((Environment.CurrentManagedThreadId, ct.IsCancellationRequested));
                return 42;
            }, probe, ret);

        public void Throw(Cx<Asker> cx, Ret<int> ret) =>
            cx.Offload<Asker, string, int>(static (msg, ct) => throw new InvalidOperationException(msg), "broken", ret);

        public void Stop(Cx<Asker> cx) => cx.Stop();
    }

    [Fact]
    public void Offload_RunsOffTheCore_AndTheResultArrivesAsACallOnTheCore()
    {
        var core = new Core(Instant.Zero);
        var probe = new Probe();
        probe.Release.Set();
        using var asker = core.Spawn<Asker, Probe>(static (cx, p) => new Asker(p), probe, Ret.Nop<StopCause>());
        asker.Actor.Call(static (a, cx, n) => a.Square(cx, n), 7);
        core.Run(core.Now, false);
        Task<(int Value, int Thread)> got = asker.Actor.Query(static (a, cx) => a.Got.Task);
        var (value, thread) = core.Drive(got);
        Assert.Equal(49, value);
        Assert.Equal(core.ThreadId, thread);
        Assert.NotEqual(core.ThreadId, Driving.Done(probe.Finished.Task).Thread);
    }

    [Fact]
    public void ActorEndsWhileWorkRuns_TokenSignalled_ResultDropped_RetGetsNoValue()
    {
        var core = new Core(Instant.Zero);
        var probe = new Probe();
        var answers = new List<Answer<int>>();
        using var asker = core.Spawn<Asker, Probe>(static (cx, p) => new Asker(p), probe, Ret.Nop<StopCause>());
        asker.Actor.Call(static (a, cx, r) => a.Long(cx, r), Ret.From<int>(core, answers.Add));
        core.Run(core.Now, false);
        Assert.True(probe.Started.Wait(Driving.Deadline));

        asker.Actor.Call(static (a, cx) => a.Stop(cx));
        core.Run(core.Now, false);
        var (_, cancelled) = Driving.Done(probe.Finished.Task);
        Assert.True(cancelled, "the work's token was not signalled when its actor ended");

        // The work returned 42 after the cancellation; its completion comes back through the wake path.
        core.WaitForWake(TimeSpan.FromSeconds(5));
        core.Run(core.Now, false);
        Assert.Single(answers);
        Assert.False(answers[0].HasValue);
    }

    [Fact]
    public void WorkThrows_TheActorFailsWithTheException_AndTheRetGetsNoValue()
    {
        var core = new Core(Instant.Zero);
        var stopped = new TaskCompletionSource<StopCause>(TaskCreationOptions.RunContinuationsAsynchronously);
        var answers = new List<Answer<int>>();
        using var asker = core.Spawn<Asker, Probe>(static (cx, p) => new Asker(p), new Probe(), Ret.From<StopCause>(core, a => stopped.TrySetResult(a.Value)));
        asker.Actor.Call(static (a, cx, r) => a.Throw(cx, r), Ret.From<int>(core, answers.Add));
        StopCause cause = core.Drive(stopped.Task);
        Assert.Equal(StopKind.Failed, cause.Kind);
        Assert.Equal("broken", Assert.IsType<InvalidOperationException>(cause.Error).Message);
        Assert.Single(answers);
        Assert.False(answers[0].HasValue);
    }
}
