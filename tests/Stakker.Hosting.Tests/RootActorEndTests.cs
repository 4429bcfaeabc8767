using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Stakker.Hosting.Tests;

public class RootActorEndTests
{
    internal sealed class Quitter
    {
        public static void Quit(Cx<Quitter> cx) => cx.Stop();
        public static void Crash(Cx<Quitter> cx) => throw new InvalidOperationException("boom");
    }

    internal sealed class Bystander
    {
        public int Answer => 42;
    }

    internal sealed class BrokenAtBirth
    {
        public BrokenAtBirth() => throw new InvalidOperationException("cannot start");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ARootActorEndingByItself_StopsTheApplication(bool crash)
    {
        using IHost host = Hosts.Build(b => b.AddStakker(s => s.AddRootActor<Quitter>().AddRootActor<Bystander>()));
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStopping.Register(() => stopping.TrySetResult());
        await host.StartAsync().Within();
        Assert.False(stopping.Task.IsCompleted);

        Actor<Quitter> quitter = host.Stakker().GetRootActor<Quitter>();
        if (crash) host.Stakker().Post(core => quitter.Call(static (a, cx) => Quitter.Crash(cx)));
        else host.Stakker().Post(core => quitter.Call(static (a, cx) => Quitter.Quit(cx)));

        await stopping.Task.Within();
        await host.StopAsync().Within();
    }

    [Fact]
    public async Task WithStopHostOff_TheOthersGoOn()
    {
        using IHost host = Hosts.Build(b => b.AddStakker(s => s
            .AddRootActor<Quitter>().AddRootActor<Bystander>()
            .Configure(o => o.StopHostWhenRootActorEnds = false)));
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        await host.StartAsync().Within();
        Actor<Quitter> quitter = host.Stakker().GetRootActor<Quitter>();
        host.Stakker().Post(core => quitter.Call(static (a, cx) => Quitter.Crash(cx)));

        // Queued behind the crash, so it finds the actor gone: its Ret answers "no value".
        await Assert.ThrowsAsync<ActorFail>(() => quitter.Ask<int>(static (a, cx, r) => r.Answer(1)).Within());
        Assert.True(await host.Stakker().InvokeAsync(_ => quitter.IsZombie).Within());
        Assert.Equal(42, await host.Stakker().GetRootActor<Bystander>().Ask<int>(static (a, cx, r) => r.Answer(a.Answer)).Within());
        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested);
        await host.StopAsync().Within();
    }

    [Fact]
    public async Task AConstructorThatThrows_FailsTheActor_AndStopsTheApplication()
    {
        using IHost host = Hosts.Build(b => b.AddStakker(s => s.AddRootActor<BrokenAtBirth>()));
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStopping.Register(() => stopping.TrySetResult());
        await host.StartAsync().Within();
        await stopping.Task.Within();
        Assert.True(await host.Stakker().InvokeAsync(_ => host.Stakker().GetRootActor<BrokenAtBirth>().IsZombie).Within());
        await host.StopAsync().Within();
    }
}
