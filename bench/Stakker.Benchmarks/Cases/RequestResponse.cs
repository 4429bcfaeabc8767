using BenchmarkDotNet.Attributes;

namespace Stakker.Benchmarks;

/// <summary>Request/response, each framework's usual way to ask: figures per request (a request and its answer)</summary>
/// <remarks>
/// Stakker: actor A calls actor B with a <c>Ret&lt;int&gt;</c> made by <c>cx.Ret</c>; B answers; the
/// answer arrives as a call to A, which asks again. Akka.NET: <c>Ask&lt;int&gt;</c> from outside the
/// actors, awaited, in a loop. Proto.Actor: <c>RequestAsync&lt;int&gt;</c> from the root, awaited,
/// in a loop. See <see cref="RequestResponseInActor"/> and <see cref="RequestResponseFromOutside"/>
/// for like-for-like variants.
/// </remarks>
[MemoryDiagnoser]
[Case(2, "RequestResponse (Stakker in-actor Ret; peers Ask/RequestAsync)", "request", GoalNs = 40)]
public class RequestResponse : PeerCase<StakkerSide.RequestResponseDriver, AkkaSide.RequestResponseDriver, ProtoSide.RequestResponseDriver>
{
    public const int StakkerRequests = 10_000;
    public const int PeerRequests = 1_000;

    protected override StakkerSide.RequestResponseDriver NewStakker() => new();
    protected override AkkaSide.RequestResponseDriver NewAkka() => new();
    protected override ProtoSide.RequestResponseDriver NewProto() => new();

    [Benchmark(Baseline = true, OperationsPerInvoke = StakkerRequests)]
    public void Stakker() => StakkerDriver.RunInActor(StakkerRequests);

    [Benchmark(OperationsPerInvoke = PeerRequests)]
    public Task AkkaNet() => AkkaDriver.RunAsk(PeerRequests);

    [Benchmark(OperationsPerInvoke = PeerRequests)]
    public Task ProtoActor() => ProtoDriver.RunRequestAsync(PeerRequests);
}

/// <summary>Request/response between two actors in every framework: figures per request</summary>
/// <remarks>
/// Stakker: as in <see cref="RequestResponse"/>. Akka.NET: Tell with Self as sender, the server
/// replies to Sender. Proto.Actor: <c>context.Request</c>, the server calls <c>context.Respond</c>.
/// </remarks>
[MemoryDiagnoser]
[Case(3, "RequestResponse, actor to actor (all in-actor)", "request", GoalNs = 40)]
public class RequestResponseInActor : PeerCase<StakkerSide.RequestResponseDriver, AkkaSide.RequestResponseDriver, ProtoSide.RequestResponseDriver>
{
    public const int Requests = 10_000;

    protected override StakkerSide.RequestResponseDriver NewStakker() => new();
    protected override AkkaSide.RequestResponseDriver NewAkka() => new();
    protected override ProtoSide.RequestResponseDriver NewProto() => new();

    [Benchmark(Baseline = true, OperationsPerInvoke = Requests)]
    public void Stakker() => StakkerDriver.RunInActor(Requests);

    [Benchmark(OperationsPerInvoke = Requests)]
    public Task AkkaNet() => AkkaDriver.RunInActor(Requests);

    [Benchmark(OperationsPerInvoke = Requests)]
    public Task ProtoActor() => ProtoDriver.RunInActor(Requests);
}

/// <summary>Request/response from code outside the actors (a driver, a test): figures per request</summary>
/// <remarks>
/// Stakker: the driver calls B with a <c>Ret.From</c> callback and runs the Core until the answer
/// is in, once per request. Akka.NET: <c>Ask&lt;int&gt;</c>. Proto.Actor: <c>RequestAsync&lt;int&gt;</c>.
/// </remarks>
[MemoryDiagnoser]
[Case(4, "RequestResponse from outside (Stakker Ret.From+Run; peers Ask/RequestAsync)", "request")]
public class RequestResponseFromOutside : PeerCase<StakkerSide.RequestResponseDriver, AkkaSide.RequestResponseDriver, ProtoSide.RequestResponseDriver>
{
    public const int StakkerRequests = 10_000;
    public const int PeerRequests = 1_000;

    protected override StakkerSide.RequestResponseDriver NewStakker() => new();
    protected override AkkaSide.RequestResponseDriver NewAkka() => new();
    protected override ProtoSide.RequestResponseDriver NewProto() => new();

    [Benchmark(Baseline = true, OperationsPerInvoke = StakkerRequests)]
    public void Stakker() => StakkerDriver.RunFromOutside(StakkerRequests);

    [Benchmark(OperationsPerInvoke = PeerRequests)]
    public Task AkkaNet() => AkkaDriver.RunAsk(PeerRequests);

    [Benchmark(OperationsPerInvoke = PeerRequests)]
    public Task ProtoActor() => ProtoDriver.RunRequestAsync(PeerRequests);
}
