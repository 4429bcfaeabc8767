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
public class RequestResponse
{
    public const int StakkerRequests = 10_000;
    public const int PeerRequests = 1_000;

    StakkerSide.RequestResponseDriver _stakker = null!;
    AkkaSide.RequestResponseDriver _akka = null!;
    ProtoSide.RequestResponseDriver _proto = null!;

    [GlobalSetup(Target = nameof(Stakker))] public void SetupStakker() => _stakker = new();
    [GlobalCleanup(Target = nameof(Stakker))] public void CleanupStakker() => _stakker.Dispose();
    [GlobalSetup(Target = nameof(AkkaNet))] public void SetupAkkaNet() => _akka = new();
    [GlobalCleanup(Target = nameof(AkkaNet))] public void CleanupAkkaNet() => _akka.Dispose();
    [GlobalSetup(Target = nameof(ProtoActor))] public void SetupProtoActor() => _proto = new();
    [GlobalCleanup(Target = nameof(ProtoActor))] public void CleanupProtoActor() => _proto.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = StakkerRequests)]
    public void Stakker() => _stakker.RunInActor(StakkerRequests);

    [Benchmark(OperationsPerInvoke = PeerRequests)]
    public Task AkkaNet() => _akka.RunAsk(PeerRequests);

    [Benchmark(OperationsPerInvoke = PeerRequests)]
    public Task ProtoActor() => _proto.RunRequestAsync(PeerRequests);
}

/// <summary>Request/response between two actors in every framework: figures per request</summary>
/// <remarks>
/// Stakker: as in <see cref="RequestResponse"/>. Akka.NET: Tell with Self as sender, the server
/// replies to Sender. Proto.Actor: <c>context.Request</c>, the server calls <c>context.Respond</c>.
/// </remarks>
[MemoryDiagnoser]
[Case(3, "RequestResponse, actor to actor (all in-actor)", "request", GoalNs = 40)]
public class RequestResponseInActor
{
    public const int Requests = 10_000;

    StakkerSide.RequestResponseDriver _stakker = null!;
    AkkaSide.RequestResponseDriver _akka = null!;
    ProtoSide.RequestResponseDriver _proto = null!;

    [GlobalSetup(Target = nameof(Stakker))] public void SetupStakker() => _stakker = new();
    [GlobalCleanup(Target = nameof(Stakker))] public void CleanupStakker() => _stakker.Dispose();
    [GlobalSetup(Target = nameof(AkkaNet))] public void SetupAkkaNet() => _akka = new();
    [GlobalCleanup(Target = nameof(AkkaNet))] public void CleanupAkkaNet() => _akka.Dispose();
    [GlobalSetup(Target = nameof(ProtoActor))] public void SetupProtoActor() => _proto = new();
    [GlobalCleanup(Target = nameof(ProtoActor))] public void CleanupProtoActor() => _proto.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Requests)]
    public void Stakker() => _stakker.RunInActor(Requests);

    [Benchmark(OperationsPerInvoke = Requests)]
    public Task AkkaNet() => _akka.RunInActor(Requests);

    [Benchmark(OperationsPerInvoke = Requests)]
    public Task ProtoActor() => _proto.RunInActor(Requests);
}

/// <summary>Request/response from code outside the actors (a driver, a test): figures per request</summary>
/// <remarks>
/// Stakker: the driver calls B with a <c>Ret.From</c> callback and runs the Core until the answer
/// is in, once per request. Akka.NET: <c>Ask&lt;int&gt;</c>. Proto.Actor: <c>RequestAsync&lt;int&gt;</c>.
/// </remarks>
[MemoryDiagnoser]
[Case(4, "RequestResponse from outside (Stakker Ret.From+Run; peers Ask/RequestAsync)", "request")]
public class RequestResponseFromOutside
{
    public const int StakkerRequests = 10_000;
    public const int PeerRequests = 1_000;

    StakkerSide.RequestResponseDriver _stakker = null!;
    AkkaSide.RequestResponseDriver _akka = null!;
    ProtoSide.RequestResponseDriver _proto = null!;

    [GlobalSetup(Target = nameof(Stakker))] public void SetupStakker() => _stakker = new();
    [GlobalCleanup(Target = nameof(Stakker))] public void CleanupStakker() => _stakker.Dispose();
    [GlobalSetup(Target = nameof(AkkaNet))] public void SetupAkkaNet() => _akka = new();
    [GlobalCleanup(Target = nameof(AkkaNet))] public void CleanupAkkaNet() => _akka.Dispose();
    [GlobalSetup(Target = nameof(ProtoActor))] public void SetupProtoActor() => _proto = new();
    [GlobalCleanup(Target = nameof(ProtoActor))] public void CleanupProtoActor() => _proto.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = StakkerRequests)]
    public void Stakker() => _stakker.RunFromOutside(StakkerRequests);

    [Benchmark(OperationsPerInvoke = PeerRequests)]
    public Task AkkaNet() => _akka.RunAsk(PeerRequests);

    [Benchmark(OperationsPerInvoke = PeerRequests)]
    public Task ProtoActor() => _proto.RunRequestAsync(PeerRequests);
}
