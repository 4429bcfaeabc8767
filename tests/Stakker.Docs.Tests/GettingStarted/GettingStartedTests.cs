using Microsoft.Extensions.Hosting;

namespace Stakker.Docs.Tests.GettingStarted;

/// <summary>The package README's light, as docs/getting-started.md runs it on real time</summary>
sealed class Light
{
    int _flips;
    public List<Instant> Flips { get; } = [];

    public void Set(Cx<Light> cx, bool on)
    {
        Flips.Add(cx.Now);
        if (++_flips == 6) cx.Stop();
        else cx.After(TimeSpan.FromSeconds(1), static (a, cx) => a.Set(cx, a._flips % 2 == 0));
    }
}

#region doc:getting-started-ret
sealed class Thermometer
{
    public void Read(Cx<Thermometer> cx, Ret<double> ret) => ret.Answer(21.5);
}

sealed class Display
{
    public Display(Cx<Display> cx, Actor<Thermometer> t) =>
        t.Call(static (a, cx, r) => a.Read(cx, r), cx.Ret<double>(static (d, cx, v) => d.Show(v)));

    void Show(Answer<double> v) => Console.WriteLine(v.HasValue ? $"{v.Value} °C" : "no reading");
}
#endregion

/// <summary>The root actor of the host example: counts down three ticks 100 ms apart, then stops</summary>
public sealed class Countdown
{
    int _left = 3;

    public Countdown(Actor<Countdown> self) => self.Call(static (a, cx) => a.Tick(cx));

    void Tick(Cx<Countdown> cx)
    {
        if (--_left == 0) cx.Stop();
        else cx.After(TimeSpan.FromMilliseconds(100), static (a, cx) => a.Tick(cx));
    }
}

[Collection(nameof(ConsoleOutput))]
public class GettingStartedTests
{
    [Fact]
    public void TheDisplayShowsTheReadingOrNoReading()
    {
        string printed = ConsoleOutput.Capture(() =>
        {
            var core = new Core(Instant.Zero);
            using var thermometer = core.Spawn<Thermometer>(static cx => new Thermometer(), Ret.Nop<StopCause>());
            using var display = core.Spawn<Display, Actor<Thermometer>>(static (cx, t) => new Display(cx, t), thermometer.Actor, Ret.Nop<StopCause>());
            core.Run(core.Now, idle: false);
            thermometer.Kill("broken");
            using var second = core.Spawn<Display, Actor<Thermometer>>(static (cx, t) => new Display(cx, t), thermometer.Actor, Ret.Nop<StopCause>());
            core.Run(core.Now, idle: false);
        });
        Assert.Equal($"21.5 °C{Environment.NewLine}no reading{Environment.NewLine}", printed);
    }

    [Fact]
    public async Task OnACoreThreadTheLightTakesFiveRealSeconds()
    {
        var started = DateTime.UtcNow;
        #region doc:getting-started-real-time
        using var thread = new CoreThread(core =>
            core.Spawn<Light>(static cx => new Light(), Ret.Shutdown(core))
                .Call(static (a, cx, on) => a.Set(cx, on), true));
        Console.WriteLine(await thread.Completion);   // five real seconds later: "Actor stopped"
        #endregion
        Assert.Equal(StopKind.Stopped, (await thread.Completion).Kind);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(4.9), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task TheHostRunsTheRootActorAndStopsWhenItEnds()
    {
        string[] args = ["--Logging:LogLevel:Default=None"];   // the host's own log lines stay out of the test output
        var run = Task.Run(async () =>
        {
            #region doc:getting-started-host
            var builder = Host.CreateApplicationBuilder(args);
            builder.AddStakker(stakker => stakker.AddRootActor<Countdown>());   // constructor injection
            await builder.Build().RunAsync();
            #endregion
        });
        await run.WaitAsync(TimeSpan.FromSeconds(30));   // returns: the root actor's end stopped the host
        Assert.True(run.IsCompletedSuccessfully);
    }
}
