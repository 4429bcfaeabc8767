using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Stakker.Hosting.Tests;

public class StopTests
{
    internal sealed class Child(EventLog log, string name) : IDisposable
    {
        public void Dispose() => log.Add(name + " child ended");
    }

    /// <summary>A root actor that owns a child and logs its end</summary>
    internal abstract class Recorder : IDisposable
    {
        readonly EventLog _log;
        readonly ActorOwn<Child> _child;
        protected Recorder(EventLog log, Core core, string name)
        {
            _log = log;
            Name = name;
            _child = core.Spawn<Child, (EventLog, string)>(static (cx, s) => new Child(s.Item1, s.Item2), (log, name), Ret.Nop<StopCause>());
        }

        public string Name { get; }

        public void Dispose()
        {
            _child.Dispose();
            _log.Add(Name + " disposed");
        }
    }

    internal sealed class First(EventLog log, Core core) : Recorder(log, core, "first");
    internal sealed class Second(EventLog log, Core core) : Recorder(log, core, "second");
    internal sealed class Third(EventLog log, Core core) : Recorder(log, core, "third");

    static IHost BuildThree(EventLog log) => Hosts.Build(b =>
    {
        b.Services.AddSingleton(log);
        b.AddStakker(s => s.AddRootActor<First>().AddRootActor<Second>().AddRootActor<Third>());
    });

    [Fact]
    public async Task Stop_EndsRootActorsLastAddedFirst_EachAfterItsChildren()
    {
        var log = new EventLog();
        using IHost host = BuildThree(log);
        await host.StartAsync().Within();
        await host.StopAsync().Within();

        // Each root's Dispose runs to its end, then the child it dropped ends, before the next root stops
        // (docs/semantics.md section 6).
        Assert.Equal(["third disposed", "third child ended", "second disposed", "second child ended", "first disposed", "first child ended"], log.Snapshot());
        Assert.Equal(StopKind.Stopped, (await host.Stakker().Completion.Within()).Kind);
    }

    /// <summary>Holds Rets that only its end can answer</summary>
    internal sealed class Keeper
    {
        Ret<int> _kept;

        /// <summary>Keeps the Ret in a field</summary>
        public void Keep(Ret<int> ret) => _kept = ret;

        /// <summary>Leaves the Ret in an hour-long timer</summary>
        public static void Later(Cx<Keeper> cx, Ret<int> ret) =>
            cx.After(TimeSpan.FromHours(1), static (a, cx, r) => r.Answer(1), ret);

        public bool Holds => _kept.IsPending;
    }

    [Fact]
    public async Task Stop_AnswersEveryOutstandingRet_WithNoValue()
    {
        using IHost host = Hosts.Build(b => b.AddStakker(s => s.AddRootActor<Keeper>()));
        await host.StartAsync().Within();
        Actor<Keeper> keeper = host.Stakker().GetRootActor<Keeper>();

        ValueTask<int> kept = keeper.Ask<int>(static (a, cx, r) => a.Keep(r));
        ValueTask<int> timed = keeper.Ask<int>(static (a, cx, r) => Keeper.Later(cx, r));
        Assert.True(await keeper.Ask<bool>(static (a, cx, r) => r.Answer(a.Holds)).Within());
        Assert.False(kept.IsCompleted);
        Assert.False(timed.IsCompleted);

        await host.StopAsync().Within();

        await Assert.ThrowsAsync<ActorFail>(() => kept.Within());
        await Assert.ThrowsAsync<ActorFail>(() => timed.Within());
    }
}
