using Stakker.Testing;

namespace Stakker.Testing.Tests;

// The worked example of docs/testing.md: Stakker.Docs.Tests checks that the page shows these regions.

#region doc:testing-flaky-actors
/// <summary>Squares numbers; crashes now and then (an injected fault)</summary>
sealed class Squarer
{
    readonly Simulation _sim;
    public Squarer(Simulation sim) => _sim = sim;

    public void Square(Cx<Squarer> cx, int n, Ret<int> ret)
    {
        _sim.Faults.ThrowMaybe("squarer");   // throws: this actor fails, ret answers "no value"
        ret.Answer(n * n);
    }
}

/// <summary>Owns one Squarer, restarts it after a back-off when it fails, and retries the jobs it lost</summary>
sealed class SquareService
{
    readonly Simulation _sim;
    readonly Queue<(int N, Ret<int> Client)> _parked = new();
    ActorOwn<Squarer>? _squarer;
    public int Restarts;

    public SquareService(Cx<SquareService> cx, Simulation sim)
    {
        _sim = sim;
        Start(cx);
    }

    void Start(Cx<SquareService> cx) =>
        _squarer = cx.Spawn<Squarer, Simulation>(static (cx, sim) => new Squarer(sim), _sim,
            cx.RetSome<StopCause>(static (a, cx, cause) => a.SquarerEnded(cx, cause)));

    public void Square(Cx<SquareService> cx, int n, Ret<int> client)
    {
        if (_squarer is null) { _parked.Enqueue((n, client)); return; }
        _squarer.Call(static (s, cx, n, r) => s.Square(cx, n, r), n,
            cx.Ret<(int N, Ret<int> Client), int>((n, client),
                static (a, cx, job, answer) => a.Done(cx, job.N, job.Client, answer)));
    }

    void Done(Cx<SquareService> cx, int n, Ret<int> client, Answer<int> answer)
    {
        if (answer.TryGetValue(out int v)) client.Answer(v);
        else Square(cx, n, client);        // lost with a crashed Squarer: try again
    }

    void SquarerEnded(Cx<SquareService> cx, StopCause cause)
    {
        _squarer?.Dispose();
        _squarer = null;
        Restarts++;
        cx.After(TimeSpan.FromMilliseconds(100), static (a, cx) => a.Restart(cx));
    }

    void Restart(Cx<SquareService> cx)
    {
        Start(cx);
        while (_parked.TryDequeue(out var job)) Square(cx, job.N, job.Client);
    }
}
#endregion

#region doc:testing-flaky-test
public class FlakySupervisorExample
{
    static void Program(Simulation sim)
    {
        sim.Faults.SetRate("squarer", 0.2);
        using var service = sim.Core.Spawn<SquareService, Simulation>(
            static (cx, sim) => new SquareService(cx, sim), sim, Ret.Shutdown(sim.Core));
        var answers = new Dictionary<int, int>();
        for (int i = 1; i <= 20; i++)
        {
            int n = i;
            // Clients arrive from outside at times the seed chooses; each answer is traced.
            sim.Schedule(() => service.Call(static (s, cx, n, r) => s.Square(cx, n, r), n,
                sim.Ret<int>($"square {n}", a => answers.Add(n, a.Value))), $"client {n}");
        }
        sim.RunFor(TimeSpan.FromSeconds(10));
        Assert.Equal(20, answers.Count);                    // every client answered once
        Assert.All(answers, kv => Assert.Equal(kv.Key * kv.Key, kv.Value));
        Assert.Equal(sim.Faults.Fired, service.Actor.Query(static (s, cx) => s.Restarts));
    }

    [Fact]
    public void EveryClientIsAnswered_WhateverTheSeed() => Simulation.Explore(200, Program);

    [Fact]
    public void ARunRepeatsExactlyFromItsSeed() => Simulation.CheckDeterministic(42, Program);

    [Fact]
    public void FaultsDoFireAcrossSeeds()
    {
        long fired = 0;
        Simulation.Explore(50, sim => { Program(sim); fired += sim.Faults.Fired; });
        Assert.True(fired > 50, $"only {fired} faults in 50 seeds at rate 0.2");
    }
}
#endregion
