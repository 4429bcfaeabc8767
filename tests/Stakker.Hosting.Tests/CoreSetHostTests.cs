using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Stakker.Hosting.Tests;

/// <summary>The host running several Cores (StakkerOptions.Cores &gt; 1)</summary>
public class CoreSetHostTests
{
    internal sealed class Adder
    {
        public static void Add(Cx<Adder> cx, int a, int b, Ret<(int Sum, int Thread)> r) =>
            r.Answer((a + b, Environment.CurrentManagedThreadId));
    }

    internal sealed record Trip(int Sum, int FrontThread, int AdderThread, int AnswerThread);

    /// <summary>On Core 0; reaches <see cref="Adder"/> on Core 1 through the runtime</summary>
    internal sealed class Front(StakkerRuntime runtime)
    {
        public void Sum(Cx<Front> cx, int a, int b, Ret<Trip> done)
        {
            int front = Environment.CurrentManagedThreadId;
            runtime.GetCrossCoreActor<Adder>().Call(static (x, cx, a, b, r) => Adder.Add(cx, a, b, r), a, b,
                cx.RetSome<(Ret<Trip> Done, int Front), (int Sum, int Thread)>((done, front),
                    static (f, cx, s, v) => s.Done.Answer(new Trip(v.Sum, s.Front, v.Thread, Environment.CurrentManagedThreadId))));
        }
    }

    static IHost TwoCores(Action<StakkerBuilder> roots, Action<IServiceCollection>? services = null) => Hosts.Build(b =>
    {
        services?.Invoke(b.Services);
        b.AddStakker(s => roots(s.Configure(o => o.Cores = 2)));
    });

    [Fact]
    public async Task RootsOnTwoCores_ExchangeCallsAndRets()
    {
        using IHost host = TwoCores(s => s.AddRootActor<Front>(0).AddRootActor<Adder>(1));
        await host.StartAsync().Within();
        StakkerRuntime stakker = host.Stakker();
        Assert.Equal(2, stakker.CoreCount);
        Assert.Equal(0, stakker.GetRootActorCore<Front>());
        Assert.Equal(1, stakker.GetRootActorCore<Adder>());

        Trip trip = await stakker.GetRootActor<Front>().Ask<(int, int), Trip>(static (a, cx, x, r) => a.Sum(cx, x.Item1, x.Item2, r), (40, 2)).Within();

        Assert.Equal(42, trip.Sum);
        Assert.NotEqual(trip.FrontThread, trip.AdderThread);
        Assert.Equal(trip.FrontThread, trip.AnswerThread);   // the Ret came back to the Core that made it
        Assert.Equal(trip.FrontThread, await stakker.InvokeAsync(0, _ => Environment.CurrentManagedThreadId).Within());
        Assert.Equal(trip.AdderThread, await stakker.InvokeAsync(1, _ => Environment.CurrentManagedThreadId).Within());
        await host.StopAsync().Within();
    }

    internal sealed class Probe
    {
        public readonly string Thread = System.Threading.Thread.CurrentThread.Name ?? "";
    }

    internal sealed class OtherProbe
    {
        public readonly string Thread = System.Threading.Thread.CurrentThread.Name ?? "";
    }

    internal sealed class ThirdProbe
    {
        public readonly string Thread = System.Threading.Thread.CurrentThread.Name ?? "";
    }

    [Fact]
    public async Task CoresAndThreadName_AreBoundFromConfiguration_AndRootsGoRoundTheCoresInTurn()
    {
        using IHost host = Hosts.Build(b =>
        {
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Stakker:Cores"] = "2",
                ["Stakker:ThreadName"] = "shard",
            });
            b.AddStakker(s => s.AddRootActor<Probe>().AddRootActor<OtherProbe>().AddRootActor<ThirdProbe>());
        });
        await host.StartAsync().Within();
        StakkerRuntime stakker = host.Stakker();
        Assert.Equal(2, stakker.CoreCount);
        Assert.Equal([0, 1, 0], new[] { stakker.GetRootActorCore<Probe>(), stakker.GetRootActorCore<OtherProbe>(), stakker.GetRootActorCore<ThirdProbe>() });
        Assert.Equal("shard 0", await stakker.GetRootActor<Probe>().Ask<string>(static (a, cx, r) => r.Answer(a.Thread)).Within());
        Assert.Equal("shard 1", await stakker.GetRootActor<OtherProbe>().Ask<string>(static (a, cx, r) => r.Answer(a.Thread)).Within());
        Assert.Equal("shard 0", await stakker.GetRootActor<ThirdProbe>().Ask<string>(static (a, cx, r) => r.Answer(a.Thread)).Within());
        await host.StopAsync().Within();
    }

    [Fact]
    public async Task CoresZero_RunsOneCorePerProcessor()
    {
        using IHost host = Hosts.Build(b => b.AddStakker(s => s.AddRootActor<Probe>().Configure(o => o.Cores = 0)));
        await host.StartAsync().Within();
        Assert.Equal(Environment.ProcessorCount, host.Stakker().CoreCount);
        await host.StopAsync().Within();
    }

    [Fact]
    public async Task ARootOnACoreThatDoesNotRun_FailsTheStart_NamingIt()
    {
        using IHost host = TwoCores(s => s.AddRootActor<Probe>(2));
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync().Within());
        Assert.Contains("Probe", ex.Message);
        Assert.Contains("Stakker:Cores", ex.Message);
        Assert.False(host.Stakker().IsRunning);
        await host.StopAsync().Within();   // a host whose start failed still stops cleanly
    }

    [Fact]
    public async Task NegativeCores_FailsTheStart_NamingTheKey()
    {
        using IHost host = Hosts.Build(b => b.AddStakker(s => s.AddRootActor<Probe>().Configure(o => o.Cores = -1)));
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync().Within());
        Assert.Contains("Stakker:Cores", ex.Message);
    }

    /// <summary>What the stop tests wait for, from the actors' threads</summary>
    internal sealed class Signals
    {
        public readonly TaskCompletionSource Kept = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly EventLog Log = new();
    }

    /// <summary>On Core 0: keeps a Ret that came from Core 1 until it ends</summary>
    internal sealed class Keeper(Signals signals) : IDisposable
    {
        Ret<int> _kept;

        public void Keep(Ret<int> r)
        {
            _kept = r;
            signals.Kept.TrySetResult();
        }

        public void Dispose() => signals.Log.Add("keeper ended holding " + (_kept.IsPending ? "a Ret" : "nothing"));
    }

    /// <summary>On Core 1: passes the Ret it is asked with to <see cref="Keeper"/> on Core 0, and
    /// leaves another in an hour-long timer</summary>
    internal sealed class Relay(StakkerRuntime runtime, Signals signals) : IDisposable
    {
        public void Pass(Cx<Relay> cx, Ret<int> r) =>
            runtime.GetCrossCoreActor<Keeper>().Call(static (k, cx, r) => k.Keep(r), r);

        public static void Later(Cx<Relay> cx, Ret<int> r) => cx.After(TimeSpan.FromHours(1), static (a, cx, r) => r.Answer(1), r);

        public void Dispose() => signals.Log.Add("relay ended");
    }

    [Fact]
    public async Task Stop_AnswersEveryOutstandingRet_AcrossCores_AndStopsRootsLastAddedFirst()
    {
        var signals = new Signals();
        using IHost host = TwoCores(s => s.AddRootActor<Keeper>(0).AddRootActor<Relay>(1), services => services.AddSingleton(signals));
        await host.StartAsync().Within();
        Actor<Relay> relay = host.Stakker().GetRootActor<Relay>();

        ValueTask<int> heldAcross = relay.Ask<int>(static (a, cx, r) => a.Pass(cx, r));
        ValueTask<int> inTimer = relay.Ask<int>(static (a, cx, r) => Relay.Later(cx, r));
        await signals.Kept.Task.Within();
        Assert.False(heldAcross.IsCompleted);
        Assert.False(inTimer.IsCompleted);

        await host.StopAsync().Within();

        await Assert.ThrowsAsync<ActorFail>(() => heldAcross.Within());
        await Assert.ThrowsAsync<ActorFail>(() => inTimer.Within());
        Assert.Equal(["relay ended", "keeper ended holding a Ret"], signals.Log.Snapshot());
        Assert.Equal(StopKind.Stopped, (await host.Stakker().Completion.Within()).Kind);
        Assert.False(host.Stakker().IsRunning);
    }

    internal sealed class Crasher
    {
        public static void Crash(Cx<Crasher> cx) => throw new InvalidOperationException("boom");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ARootFailingOnOneCore_BehavesAsOnOne_StoppingTheApplicationOrNot(bool stopHost)
    {
        using IHost host = TwoCores(s => s.AddRootActor<Probe>(0).AddRootActor<Crasher>(1)
            .Configure(o => o.StopHostWhenRootActorEnds = stopHost));
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStopping.Register(() => stopping.TrySetResult());
        await host.StartAsync().Within();
        Actor<Crasher> crasher = host.Stakker().GetRootActor<Crasher>();
        host.Stakker().Post(1, _ => crasher.Call(static (a, cx) => Crasher.Crash(cx)));

        // Queued behind the crash on its Core: it finds the actor gone.
        await Assert.ThrowsAsync<ActorFail>(() => crasher.Ask<int>(static (a, cx, r) => r.Answer(1)).Within());
        if (stopHost) await stopping.Task.Within();
        else Assert.False(lifetime.ApplicationStopping.IsCancellationRequested);
        // The other Core goes on either way until the host stops it.
        Assert.Equal("Stakker Core 0", await host.Stakker().GetRootActor<Probe>().Ask<string>(static (a, cx, r) => r.Answer(a.Thread)).Within());
        await host.StopAsync().Within();
        Assert.Equal(StopKind.Stopped, (await host.Stakker().Completion.Within()).Kind);
    }
}

[Collection(nameof(ThreadLeakTests))]
public class CoreSetThreadLeakTests
{
    internal sealed class Catcher
    {
        public static readonly List<Thread> Caught = [];

        public Catcher()
        {
            lock (Caught) Caught.Add(Thread.CurrentThread);
        }
    }

    internal sealed class OtherCatcher
    {
        public OtherCatcher()
        {
            lock (Catcher.Caught) Catcher.Caught.Add(Thread.CurrentThread);
        }
    }

    [Fact]
    public async Task StartingAndStoppingAHostOfTwoCores100Times_LeavesNoThreadBehind()
    {
        await Cycle();   // warm-up
        int before = Process.GetCurrentProcess().Threads.Count;
        lock (Catcher.Caught) Catcher.Caught.Clear();

        for (int i = 0; i < 100; i++)
        {
            Thread[] cores = await Cycle();
            Assert.NotSame(cores[0], cores[1]);
            Assert.All(cores, t => Assert.False(t.IsAlive, $"cycle {i}: a Core's thread ({t.Name}) is still running after StopAsync returned"));
        }

        lock (Catcher.Caught) Assert.Equal(200, Catcher.Caught.Distinct().Count());
        int after = Process.GetCurrentProcess().Threads.Count;
        Assert.True(after < before + 20, $"threads before: {before}, after 100 hosts of two Cores: {after}");
    }

    static async Task<Thread[]> Cycle()
    {
        using IHost host = Hosts.Build(b => b.AddStakker(s => s.AddRootActor<Catcher>().AddRootActor<OtherCatcher>().Configure(o => o.Cores = 2)));
        await host.StartAsync().Within();
        await host.Stakker().InvokeAsync(0, static _ => 0).Within();   // the root actors' inits have run
        await host.Stakker().InvokeAsync(1, static _ => 0).Within();
        await host.StopAsync().Within();
        lock (Catcher.Caught) return [Catcher.Caught[^2], Catcher.Caught[^1]];
    }
}
