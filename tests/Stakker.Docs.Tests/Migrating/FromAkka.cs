namespace Stakker.Docs.Tests.Migrating;

#region doc:migrate-tell
sealed class Greeter
{
    public List<string> Greeted { get; } = [];

    public void Greet(Cx<Greeter> cx, string who) => Greeted.Add($"Hello, {who}");
}
#endregion

#region doc:migrate-ask
sealed class Account
{
    int _balance = 100;

    public void Balance(Cx<Account> cx, Ret<int> ret) => ret.Answer(_balance);
}

sealed class Teller
{
    public string Said { get; private set; } = "";

    public Teller(Cx<Teller> cx, Actor<Account> account) =>
        account.Call(static (a, cx, r) => a.Balance(cx, r),
            cx.Ret<int>(static (t, cx, balance) =>
                t.Said = balance.HasValue ? $"balance {balance.Value}" : "account closed"));
}
#endregion

#region doc:migrate-become
sealed class Turnstile
{
    enum Mode { Locked, Unlocked }
    Mode _mode = Mode.Locked;

    public int Passed { get; private set; }

    public void Coin(Cx<Turnstile> cx) => _mode = Mode.Unlocked;

    public void Push(Cx<Turnstile> cx)
    {
        if (_mode == Mode.Locked) return;    // a push on a locked turnstile does nothing
        Passed++;
        _mode = Mode.Locked;
    }
}
#endregion

#region doc:migrate-children
sealed class Parent : IDisposable
{
    readonly ActorOwn<Child> _child;

    public Parent(Cx<Parent> cx) =>
        _child = cx.Spawn<Child, string>(static (cx, name) => new Child(name), "worker-1",
            cx.RetFailThrough());   // the child's failure fails the parent: "escalate"

    public void Dispose() => _child.Dispose();   // the parent's end ends the child, first
}
#endregion

sealed class Child(string name)
{
    public string Name { get; } = name;
}

#region doc:migrate-watch
sealed class Watched
{
    readonly List<Ret<Unit>> _watchers = [];

    // Kept and never answered: each one answers "no value" when this actor ends.
    public void Watch(Cx<Watched> cx, Ret<Unit> watcher) => _watchers.Add(watcher);
}

sealed class Watcher
{
    public string Heard { get; private set; } = "";

    public Watcher(Cx<Watcher> cx, Actor<Watched> target) =>
        target.Call(static (t, cx, r) => t.Watch(cx, r),
            cx.Ret<Unit>(static (w, cx, _) => w.Heard = $"target ended at {cx.Now}"));
}
#endregion

#region doc:migrate-timers
sealed class Heartbeat
{
    static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    readonly Fwd<Instant> _beats;

    public Heartbeat(Cx<Heartbeat> cx, Fwd<Instant> beats)
    {
        _beats = beats;
        cx.After(Interval, static (h, cx) => h.Beat(cx));
    }

    void Beat(Cx<Heartbeat> cx)
    {
        _beats.Send(cx.Now);
        cx.After(Interval, static (h, cx) => h.Beat(cx));   // the next beat; none once this actor ends
    }
}
#endregion

public class FromAkkaTests
{
    [Fact]
    public void TellIsACall()
    {
        #region doc:migrate-tell-use
        var core = new Core(Instant.Zero);
        using var greeter = core.Spawn<Greeter>(static cx => new Greeter(), Ret.Shutdown(core));
        greeter.Call(static (g, cx, who) => g.Greet(cx, who), "Ada");
        core.Run(core.Now, idle: false);    // Greeted: ["Hello, Ada"]
        #endregion
        Assert.Equal(["Hello, Ada"], greeter.Actor.Query(static (g, cx) => g.Greeted.ToList()));
    }

    [Fact]
    public void AskIsARet()
    {
        var core = new Core(Instant.Zero);
        using var account = core.Spawn<Account>(static cx => new Account(), Ret.Nop<StopCause>());
        using var teller = core.Spawn<Teller, Actor<Account>>(static (cx, a) => new Teller(cx, a), account.Actor, Ret.Nop<StopCause>());
        core.Run(core.Now, idle: false);
        Assert.Equal("balance 100", teller.Actor.Query(static (t, cx) => t.Said));

        account.Kill("closed");
        using var late = core.Spawn<Teller, Actor<Account>>(static (cx, a) => new Teller(cx, a), account.Actor, Ret.Nop<StopCause>());
        core.Run(core.Now, idle: false);
        Assert.Equal("account closed", late.Actor.Query(static (t, cx) => t.Said));
    }

    [Fact]
    public void BecomeIsAField()
    {
        var core = new Core(Instant.Zero);
        using var gate = core.Spawn<Turnstile>(static cx => new Turnstile(), Ret.Nop<StopCause>());
        gate.Call(static (t, cx) => t.Push(cx));
        gate.Call(static (t, cx) => t.Coin(cx));
        gate.Call(static (t, cx) => t.Push(cx));
        gate.Call(static (t, cx) => t.Push(cx));
        core.Run(core.Now, idle: false);
        Assert.Equal(1, gate.Actor.Query(static (t, cx) => t.Passed));
    }

    [Fact]
    public void AChildEndsWithItsParentAndItsFailureEscalates()
    {
        var core = new Core(Instant.Zero);
        var ends = new List<string>();
        core.ActorEnded += e => ends.Add($"{e.StateType.Name} {e.Cause.Kind}");
        var parent = core.Spawn<Parent>(static cx => new Parent(cx), Ret.Nop<StopCause>());
        core.Run(core.Now, idle: false);
        parent.Dispose();
        core.Run(core.Now, idle: false);
        Assert.Equal(["Child Dropped", "Parent Dropped"], ends);
    }

    [Fact]
    public void AWatcherHearsTheEnd()
    {
        var core = new Core(Instant.Zero);
        using var target = core.Spawn<Watched>(static cx => new Watched(), Ret.Nop<StopCause>());
        using var watcher = core.Spawn<Watcher, Actor<Watched>>(static (cx, t) => new Watcher(cx, t), target.Actor, Ret.Nop<StopCause>());
        core.RunUntil(Instant.Zero + TimeSpan.FromSeconds(3));
        Assert.Equal("", watcher.Actor.Query(static (w, cx) => w.Heard));
        target.Kill("done");
        core.Run(core.Now, idle: false);
        Assert.Equal("target ended at T+00:00:03", watcher.Actor.Query(static (w, cx) => w.Heard));
    }

    [Fact]
    public void APeriodicTimerIsReArmedAndEndsWithItsActor()
    {
        var core = new Core(Instant.Zero);
        var beats = new List<double>();
        var heart = core.Spawn<Heartbeat, Fwd<Instant>>(static (cx, f) => new Heartbeat(cx, f),
            Fwd.From<Instant>(core, t => beats.Add((t - Instant.Zero).TotalSeconds)), Ret.Nop<StopCause>());
        core.RunUntil(Instant.Zero + TimeSpan.FromSeconds(16));
        heart.Dispose();
        core.RunUntil(Instant.Zero + TimeSpan.FromMinutes(1));
        Assert.Equal([5.0, 10.0, 15.0], beats);
    }
}
