using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Stakker.Internal;

namespace Stakker.Tests.Stress;

/// <summary>How long each stress scenario runs, and the random yields injected at the runtime's
/// hand-over points while it does</summary>
/// <remarks>
/// <para>CI runs each scenario for <see cref="DefaultSeconds"/>; <c>STAKKER_STRESS_SECONDS</c> sets a
/// longer run. Yields exist only in builds with the points compiled in (Debug:
/// <c>dotnet test tests/Stakker.Tests -c Debug --filter Stress</c>); a Release run is the same
/// stress without them.</para>
/// <para>Which thread yields where cannot be replayed (the OS schedules the threads), so a seed
/// would promise nothing: each thread draws from its own generator, and what a failure needs to be
/// found again is the scenario and the volume, which the test prints.</para>
/// </remarks>
internal sealed class Yields : IDisposable
{
    const double DefaultSeconds = 2.5;

    internal static TimeSpan Budget =>
        TimeSpan.FromSeconds(double.TryParse(Environment.GetEnvironmentVariable("STAKKER_STRESS_SECONDS"), NumberStyles.Float, CultureInfo.InvariantCulture, out double s) ? s : DefaultSeconds);

    /// <summary>One scenario at a time owns the hook (xunit runs test classes in parallel)</summary>
    static readonly SemaphoreSlim Exclusive = new(1, 1);

    [ThreadStatic] static ulong t_state;
    readonly ConcurrentDictionary<(string, int), long> _sites = new();
    long _yields, _hits;

    Yields() { }

    /// <summary>Installs the hook; disposing removes it</summary>
    internal static Yields Inject()
    {
        Exclusive.Wait();
        var y = new Yields();
        YieldPoint.Hook = y.At;
        return y;
    }

    /// <summary>Points passed (0 in a build without them)</summary>
    internal long Hits => Interlocked.Read(ref _hits);

    /// <summary>Distinct points passed</summary>
    internal int Sites => _sites.Count;

    internal long Yielded => Interlocked.Read(ref _yields);

    void At(string file, int line)
    {
        Interlocked.Increment(ref _hits);
        _sites.AddOrUpdate((Path.GetFileName(file), line), 1, static (_, n) => n + 1);
        ulong x = t_state;
        if (x == 0) x = (ulong)Environment.CurrentManagedThreadId * 0x9E3779B97F4A7C15UL | 1;
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        t_state = x;
        // Mostly nothing, often a yield of the time slice, now and then a real sleep: a thread
        // descheduled between two steps of a hand-over is what a loaded machine does at random.
        switch (x % 64)
        {
            case < 8: Thread.Yield(); break;
            case < 10: Thread.Sleep(0); break;
            case 10 when (x >> 32) % 64 == 0: Thread.Sleep(1); break;
            case 11: Thread.SpinWait((int)((x >> 40) % 200)); break;
            default: return;
        }
        Interlocked.Increment(ref _yields);
    }

    /// <summary>The line a scenario prints: volume, time, yields</summary>
    internal string Report(string scenario, string volume, Stopwatch clock) =>
        $"{scenario}: {volume} in {clock.Elapsed.TotalSeconds:F1} s; yield points {(YieldPoint.Compiled ? $"{Hits:N0} passed at {Sites} sites, {Yielded:N0} yields" : "not compiled in (Release)")}";

    /// <summary>With the points compiled in, the scenario must have passed through them (or it tested nothing extra)</summary>
    internal void AssertReached(int minSites)
    {
        if (YieldPoint.Compiled) Assert.True(Sites >= minSites, $"only {Sites} yield points reached");
    }

    public void Dispose()
    {
        YieldPoint.Hook = null;
        Exclusive.Release();
    }
}
