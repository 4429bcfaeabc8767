using Stakker.Redis;

namespace Stakker.Redis.Tests;

/// <summary>After a burst, an idle keyspace runs one compacting collection; never while commands keep
/// arriving, and not again until as much has been allocated as was live after the last (decision 097)</summary>
public class HeapTrimTests
{
    const long MiB = 1024 * 1024;

    sealed class World
    {
        public readonly Core Core = new(Instant.Zero);
        public long Allocated, Live;
        public int Compactions;
        public readonly ActorOwn<Keyspace> Keyspace;

        public World()
        {
            var trim = new HeapTrim(() => Allocated, () => Live, () => Compactions++);
            var info = new Share<ServerInfo>(Core, new ServerInfo(0));
            Keyspace = Core.Spawn<Keyspace, (Share<ServerInfo>, HeapTrim)>(
                static (cx, p) => new Keyspace(cx, p.Item1, new Settings(), p.Item2), (info, trim), Ret.Shutdown(Core));
            Core.Run(Core.Now, idle: false);
        }

        public void Send(string name, params string[] args)
        {
            CommandInfo cmd = Commands.Find(System.Text.Encoding.ASCII.GetBytes(name))!;
            byte[][] a = [.. args.Prepend(name).Select(System.Text.Encoding.UTF8.GetBytes)];
            Keyspace.Actor.Call(static (k, cx, p) => k.Execute(cx, p.cmd, p.a, 1, 0, p.ret), (cmd, a, ret: Ret.From<Reply>(Core, _ => { })));
            Core.Run(Core.Now, idle: false);
        }

        /// <summary>Moves virtual time on, running every timer due on the way</summary>
        public void Wait(TimeSpan span)
        {
            Instant end = Core.Now + span;
            while (true)
            {
                TimeSpan next = Core.NextWait(Core.Now, end - Core.Now);
                Core.Run(Core.Now + next, idle: false);
                if (Core.Now >= end) return;
            }
        }

        public bool TimerSet => Core.NextWait(Core.Now, TimeSpan.FromHours(1)) < TimeSpan.FromHours(1);
    }

    [Fact]
    public void AnIdleServerAfterABurst_CompactsOnce_AndSetsNoTimerWhenIdle()
    {
        var w = new World();
        Assert.False(w.TimerSet);   // nothing arrived yet: no check is waiting

        w.Allocated = 100 * MiB;
        w.Send("SET", "k", "v");
        w.Wait(TimeSpan.FromMilliseconds(500));
        Assert.Equal(0, w.Compactions);   // not idle for a second yet
        w.Wait(TimeSpan.FromSeconds(2));
        Assert.Equal(1, w.Compactions);
        Assert.Equal(1, w.Keyspace.Actor.Query(static (k, cx) => k.HeapTrims));
        Assert.False(w.TimerSet);   // idle: the check does not keep a timer going

        // Idle again with nothing allocated since: no second collection.
        w.Send("GET", "k");
        w.Wait(TimeSpan.FromSeconds(5));
        Assert.Equal(1, w.Compactions);
    }

    [Fact]
    public void CommandsArrivingEveryHalfSecond_NeverSeeACollection()
    {
        var w = new World();
        for (int i = 0; i < 40; i++)
        {
            w.Allocated += 50 * MiB;
            w.Send("SET", "k" + i, "v");
            w.Wait(TimeSpan.FromMilliseconds(500));
        }
        Assert.Equal(0, w.Compactions);
        w.Wait(TimeSpan.FromSeconds(3));
        Assert.Equal(1, w.Compactions);
    }

    [Fact]
    public void TheNextCollection_WaitsForAsMuchAllocationAsWasLive()
    {
        var w = new World();
        w.Allocated = 500 * MiB;
        w.Live = 200 * MiB;   // what the collection finds live
        w.Send("SET", "k", "v");
        w.Wait(TimeSpan.FromSeconds(3));
        Assert.Equal(1, w.Compactions);

        w.Allocated += 150 * MiB;   // less than the 200 MiB live after the last one
        w.Send("SET", "k", "v2");
        w.Wait(TimeSpan.FromSeconds(3));
        Assert.Equal(1, w.Compactions);

        w.Allocated += 60 * MiB;   // 210 MiB since the last: enough
        w.Send("SET", "k", "v3");
        w.Wait(TimeSpan.FromSeconds(3));
        Assert.Equal(2, w.Compactions);
    }

    [Fact]
    public void LittleAllocation_IsNeverWorthACollection()
    {
        var w = new World();
        w.Allocated = HeapTrim.MinAllocated - 1;
        w.Send("SET", "k", "v");
        w.Wait(TimeSpan.FromSeconds(3));
        Assert.Equal(0, w.Compactions);
    }
}
