using Stakker;
using Stakker.Demo;

// Two small systems, each on its own Core and driven in virtual time: the whole run takes
// milliseconds of real time, and prints the same lines on every machine.

Console.WriteLine("== (a) light flasher: Flasher toggles its Light every second, 6 times ==");
using (var core = new Core(Instant.Zero))
{
    // Ret.Shutdown: when the top actor ends, its cause shuts the Core down and ends the loop.
    using ActorOwn<Flasher> flasher = core.Spawn<Flasher, TimeSpan, int>(
        static (cx, interval, count) => new Flasher(cx, interval, count),
        TimeSpan.FromSeconds(1), 6, Ret.Shutdown(core));
    Drive(core);
}

Console.WriteLine();
Console.WriteLine("== (b) supervision: Supervisor restarts a failing Worker, then gives up ==");
using (var core = new Core(Instant.Zero))
{
    using ActorOwn<Supervisor> supervisor = core.Spawn<Supervisor>(static cx => new Supervisor(cx), Ret.Shutdown(core));
    Drive(core);
}

// The virtual-time driver: jump straight to the next timer instead of sleeping until it.
static void Drive(Core core)
{
    Instant now = core.Now;
    // A guard, not part of the pattern: should a bug keep the Core alive, stop after a virtual hour.
    Instant limit = now + TimeSpan.FromHours(1);
    int runs = 1;
    core.Run(now, idle: false);
    while (!core.IsShutdown && now < limit)
    {
        now += core.NextWait(now, TimeSpan.FromSeconds(60));
        core.Run(now, idle: false);
        runs++;
    }
    string cause = core.ShutdownCause?.ToString() ?? "none (virtual time limit reached)";
    Log.Line(core.Now, "driver", $"shut down after {runs} runs: {cause}");
}
