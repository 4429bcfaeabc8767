using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Stakker.Hosting.Tests;

public class RootActorTests
{
    internal sealed record Greeting(string Text);

    internal sealed class Greeter
    {
        readonly Greeting _greeting;
        readonly Actor<Greeter> _self;
        readonly Core _core;
        readonly string _thread;

        public Greeter(Greeting greeting, Actor<Greeter> self, Core core)
        {
            _greeting = greeting;
            _self = self;
            _core = core;
            _thread = Thread.CurrentThread.Name ?? "";
        }

        public void Greet(Cx<Greeter> cx, string who, Ret<string> ret) =>
            ret.Answer($"{_greeting.Text}, {who} (self ok: {_self == cx.This}, core ok: {ReferenceEquals(_core, cx.Core)}, thread: {_thread})");
    }

    [Fact]
    public async Task AddRootActor_BuildsTheStateFromServicesItsOwnHandleAndCore_OnTheCoreThread()
    {
        using IHost host = Hosts.Build(b =>
        {
            b.Services.AddSingleton(new Greeting("Hello"));
            b.AddStakker(s => s.AddRootActor<Greeter>());
        });
        await host.StartAsync().Within();

        string reply = await host.Stakker().GetRootActor<Greeter>()
            .Ask<string, string>(static (a, cx, who, r) => a.Greet(cx, who, r), "host").Within();

        Assert.Equal("Hello, host (self ok: True, core ok: True, thread: Stakker Core)", reply);
        await host.StopAsync().Within();
    }

    internal sealed class Counter : IDisposable
    {
        static int s_next;
        public readonly int Id = Interlocked.Increment(ref s_next);
        public bool Disposed;
        public void Dispose() => Disposed = true;
    }

    internal sealed class Worker
    {
        public readonly Counter Scoped;
        public readonly long ActorId;

        public Worker(Cx<Worker> cx, Counter scoped)
        {
            Scoped = scoped;
            ActorId = cx.This.Id;
        }
    }

    internal sealed class OtherWorker(Counter scoped)
    {
        public readonly Counter Scoped = scoped;
    }

    [Fact]
    public async Task Factory_GetsTheContextAndAScopeOfItsOwn_DisposedWhenTheActorEnds()
    {
        using IHost host = Hosts.Build(b =>
        {
            b.Services.AddScoped<Counter>();
            b.AddStakker(s => s
                .AddRootActor<Worker>(static (cx, sp) => new Worker(cx, sp.GetRequiredService<Counter>()))
                .AddRootActor<OtherWorker>());
        });
        await host.StartAsync().Within();
        StakkerRuntime stakker = host.Stakker();

        Counter first = await stakker.GetRootActor<Worker>().Ask<Counter>(static (a, cx, r) => r.Answer(a.Scoped)).Within();
        long id = await stakker.GetRootActor<Worker>().Ask<long>(static (a, cx, r) => r.Answer(a.ActorId)).Within();
        Counter second = await stakker.GetRootActor<OtherWorker>().Ask<Counter>(static (a, cx, r) => r.Answer(a.Scoped)).Within();

        Assert.Equal(stakker.GetRootActor<Worker>().Id, id);
        Assert.NotSame(first, second);
        Assert.False(first.Disposed);
        await host.StopAsync().Within();
        Assert.True(first.Disposed);
        Assert.True(second.Disposed);
    }

    internal sealed class NeedsCx
    {
        public NeedsCx(Cx<NeedsCx> cx) { _ = cx; }
    }

    [Fact]
    public void ConstructorTakingCx_IsRefusedAtRegistration_NamingTheWayOut()
    {
        var services = new ServiceCollection();
        var ex = Assert.Throws<InvalidOperationException>(() => services.AddStakker(s => s.AddRootActor<NeedsCx>()));
        Assert.Contains("NeedsCx", ex.Message);
        Assert.Contains("Cx`1", ex.Message);
        Assert.Contains("AddRootActor<NeedsCx>((cx, services) =>", ex.Message);
    }

    [Fact]
    public async Task GetRootActor_OfATypeNotAdded_NamesTheType()
    {
        using IHost host = Hosts.Build(b => b.AddStakker(s => s.AddRootActor<OtherWorker>()).Services.AddScoped<Counter>());
        await host.StartAsync().Within();
        var ex = Assert.Throws<InvalidOperationException>(() => host.Stakker().GetRootActor<Greeter>());
        Assert.Contains("Greeter", ex.Message);
        await host.StopAsync().Within();
    }

    [Fact]
    public void Runtime_BeforeTheHostStarts_SaysSo()
    {
        using IHost host = Hosts.Build(b => b.AddStakker());
        Assert.False(host.Stakker().IsRunning);
        var ex = Assert.Throws<InvalidOperationException>(() => host.Stakker().Post(static _ => { }));
        Assert.Contains("not been started", ex.Message);
    }

    [Fact]
    public async Task AddStakkerTwice_AddsToOneCore()
    {
        using IHost host = Hosts.Build(b =>
        {
            b.Services.AddScoped<Counter>();
            b.Services.AddSingleton(new Greeting("Hi"));
            b.AddStakker(s => s.AddRootActor<Greeter>());
            b.Services.AddStakker(s => s.AddRootActor<OtherWorker>());
        });
        Assert.Single(host.Services.GetServices<IHostedService>());
        await host.StartAsync().Within();
        Core a = await host.Stakker().GetRootActor<Greeter>().Ask<Core>(static (a, cx, r) => r.Answer(cx.Core)).Within();
        Core b = await host.Stakker().GetRootActor<OtherWorker>().Ask<Core>(static (a, cx, r) => r.Answer(cx.Core)).Within();
        Assert.Same(a, b);
        await host.StopAsync().Within();
    }
}
