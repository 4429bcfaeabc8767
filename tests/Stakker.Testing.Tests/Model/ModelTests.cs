using System.Diagnostics;
using System.Globalization;
using CsCheck;
using Stakker.Testing.Tests.Model;
using Xunit.Abstractions;

namespace Stakker.Testing.Tests;

/// <summary>Random programs run against the runtime and the reference model; CsCheck shrinks a failure
/// to a short program, which is printed and becomes a regression test below</summary>
public class ModelTests(ITestOutputHelper output)
{
    internal static bool Long => Environment.GetEnvironmentVariable("STAKKER_LONG") == "1";

    /// <summary>Seconds the long run takes (STAKKER_LONG_SECONDS, default 600)</summary>
    static int LongSeconds => int.TryParse(Environment.GetEnvironmentVariable("STAKKER_LONG_SECONDS"), CultureInfo.InvariantCulture, out int s) ? s : 600;

    long _programs, _steps, _batches;

    void RunOne(Op[] program)
    {
        using var runner = new ProgramRunner((ulong)program.Length);
        runner.Run(program);
        _programs++;
        _steps += runner.CheckedSteps;
        _batches += runner.CrossCoreBatches;
    }

    [Fact]
    public void RandomPrograms_ReachEveryKindOfEvent()
    {
        // A model test that never fires a timer or ends an actor by Kill checks little: make sure the
        // generator reaches every outcome the model knows.
        var seen = new HashSet<string>();
        long batches = 0;
        Op.Program(60).Sample(p =>
        {
            using var runner = new ProgramRunner(1);
            runner.Run(p);
            batches += runner.CrossCoreBatches;
            foreach (var line in runner.History)
                seen.Add(line.StartsWith("stop ", StringComparison.Ordinal) ? "stop " + line.Split(' ')[2]
                    : line.EndsWith("(no value)", StringComparison.Ordinal) ? line.Split(' ')[0] + " none"
                    : line.StartsWith("burst ", StringComparison.Ordinal) ? "burst " + line.Split(' ')[3]
                    : line.Split(' ')[0] + (line.EndsWith("fail", StringComparison.Ordinal) ? " fail" : ""));
        }, iter: 300, threads: 1);
        string[] expected = ["run", "pass", "ret", "ret none", "ask", "ask fail", "stopping", "throwing", "stop Stopped", "stop Failed",
            "stop Killed", "stop Dropped", "set", "cancel", "timer", "co-start", "co", "max", "maxfire",
            "xask", "xret", "xret none", "burst True", "burst False", "xstop", "xfwd", "feed", "fwdgot"];
        Assert.All(expected, e => Assert.Contains(e, seen));
        Assert.True(batches > 100, $"only {batches} cross-Core batches in 300 programs");
    }

    [Fact]
    public void RandomProgramsOnTwoCores_RepeatExactlyFromTheirSeed()
    {
        // The determinism check of the simulator (run twice, same trace) on programs that cross Cores.
        long batches = 0;
        Op.Program(60).Sample(p =>
        {
            using var first = new ProgramRunner((ulong)p.Length);
            first.Run(p);
            using var second = new ProgramRunner((ulong)p.Length);
            second.Run(p);
            batches += first.CrossCoreBatches;
            return first.Trace.Count == second.Trace.Count && first.Trace.Digest == second.Trace.Digest;
        }, iter: 300, threads: 1, print: p => string.Join(", ", p));
        Assert.True(batches > 100, $"only {batches} cross-Core batches in 300 programs");
    }

    [Fact]
    public void RandomPrograms_MatchTheModel()
    {
        var clock = Stopwatch.StartNew();
        Op.Program(60).Sample(RunOne, iter: Long ? -1 : 4_000, time: Long ? LongSeconds : -1, threads: 1,
            print: p => string.Join(", ", p));
        double seconds = clock.Elapsed.TotalSeconds;
        // The figure docs/reliability.md quotes: programs, checked steps, checked steps per second.
        output.WriteLine($"model: {_programs:N0} programs, {_steps:N0} checked steps ({_batches:N0} cross-Core batches) in {seconds:F1} s = {_steps / seconds:N0} steps/s");
        Assert.True(_programs >= 4_000);
    }
}
