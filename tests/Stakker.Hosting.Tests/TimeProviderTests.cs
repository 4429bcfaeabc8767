using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Stakker.Hosting.Tests;

public class TimeProviderTests
{
    internal sealed class Alarm
    {
        public int Rings;
        public Instant RangAt;

        public Alarm(Actor<Alarm> self) =>
            self.Call(static (a, cx) => cx.After(TimeSpan.FromHours(1), static (a, cx) => { a.Rings++; a.RangAt = cx.Now; }));
    }

    [Fact]
    public async Task TheCoreRunsOnTheTimeProviderFromTheContainer()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using IHost host = Hosts.Build(b =>
        {
            b.Services.AddSingleton<TimeProvider>(clock);
            b.AddStakker(s => s.AddRootActor<Alarm>().Configure(o => o.MaxWait = TimeSpan.FromMilliseconds(50)));
        });
        await host.StartAsync().Within();
        Actor<Alarm> alarm = host.Stakker().GetRootActor<Alarm>();

        // An hour of real time would be needed on the system clock; on the fake one nothing is due yet.
        DateTimeOffset utc = await alarm.Ask<DateTimeOffset>(static (a, cx, r) => r.Answer(cx.Core.TimeProvider.GetUtcNow())).Within();
        Assert.Equal(clock.GetUtcNow(), utc);
        Assert.Equal(0, await alarm.Ask<int>(static (a, cx, r) => r.Answer(a.Rings)).Within());

        clock.Advance(TimeSpan.FromHours(1));
        // A clock moved by hand is read on the loop's next wake: a post wakes it at once (a run already
        // under way when the clock moved has read the old time, so look again after each wake).
        var deadline = DateTime.UtcNow + Hosts.Timeout;
        int rings = 0;
        while (rings == 0 && DateTime.UtcNow < deadline)
        {
            await host.Stakker().InvokeAsync(static _ => 0).Within();
            rings = await alarm.Ask<int>(static (a, cx, r) => r.Answer(a.Rings)).Within();
        }
        Assert.Equal(1, rings);
        Instant start = await host.Stakker().InvokeAsync(static core => core.StartInstant).Within();
        Instant rangAt = await alarm.Ask<Instant>(static (a, cx, r) => r.Answer(a.RangAt)).Within();
        Assert.Equal(TimeSpan.FromHours(1), rangAt - start);
        await host.StopAsync().Within();
    }
}
