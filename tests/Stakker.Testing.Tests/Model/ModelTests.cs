using CsCheck;
using Stakker.Testing.Tests.Model;

namespace Stakker.Testing.Tests;

/// <summary>Random programs run against the runtime and the reference model; CsCheck shrinks a failure
/// to a short program, which is printed and becomes a regression test below</summary>
public class ModelTests
{
    internal static bool Long => Environment.GetEnvironmentVariable("STAKKER_LONG") == "1";

    static void RunOne(Op[] program)
    {
        using var runner = new ProgramRunner((ulong)program.Length);
        runner.Run(program);
    }

    [Fact]
    public void RandomPrograms_ReachEveryKindOfEvent()
    {
        // A model test that never fires a timer or ends an actor by Kill checks little: make sure the
        // generator reaches every outcome the model knows.
        var seen = new HashSet<string>();
        Op.Program(60).Sample(p =>
        {
            using var runner = new ProgramRunner(1);
            runner.Run(p);
            foreach (var line in runner.History)
                seen.Add(line.StartsWith("stop ", StringComparison.Ordinal) ? "stop " + line.Split(' ')[2]
                    : line.EndsWith("(no value)", StringComparison.Ordinal) ? "ret none"
                    : line.Split(' ')[0] + (line.EndsWith("fail", StringComparison.Ordinal) ? " fail" : ""));
        }, iter: 300, threads: 1);
        string[] expected = ["run", "pass", "ret", "ret none", "ask", "ask fail", "stopping", "throwing", "stop Stopped", "stop Failed",
            "stop Killed", "stop Dropped", "set", "cancel", "timer", "co-start", "co"];
        Assert.All(expected, e => Assert.Contains(e, seen));
    }

    [Fact]
    public void RandomPrograms_MatchTheModel() =>
        Op.Program(60).Sample(RunOne, iter: Long ? -1 : 4_000, time: Long ? 600 : -1, threads: 1,
            print: p => string.Join(", ", p));
}
