using BenchmarkDotNet.Attributes;

namespace Stakker.Benchmarks;

/// <summary>A case measured on Stakker alone: its driver is made before, and disposed after, the Stakker benchmark</summary>
public abstract class StakkerCase<TStakker> where TStakker : class, IDisposable
{
    /// <summary>The Stakker side's driver, made by <see cref="NewStakker"/></summary>
    protected TStakker StakkerDriver = null!;

    /// <summary>Makes the Stakker side's driver</summary>
    protected abstract TStakker NewStakker();

    [GlobalSetup(Target = "Stakker")] public void SetupStakker() => StakkerDriver = NewStakker();
    [GlobalCleanup(Target = "Stakker")] public void CleanupStakker() => StakkerDriver.Dispose();
}

/// <summary>A case measured on Stakker, Akka.NET and Proto.Actor</summary>
/// <remarks>Each framework's driver is made only for its own benchmark (targeted setup), so a peer's
/// threads never run while another framework is measured.</remarks>
public abstract class PeerCase<TStakker, TAkka, TProto> : StakkerCase<TStakker>
    where TStakker : class, IDisposable where TAkka : class, IDisposable where TProto : class, IDisposable
{
    /// <summary>The Akka.NET side's driver</summary>
    protected TAkka AkkaDriver = null!;
    /// <summary>The Proto.Actor side's driver</summary>
    protected TProto ProtoDriver = null!;

    /// <summary>Makes the Akka.NET side's driver</summary>
    protected abstract TAkka NewAkka();
    /// <summary>Makes the Proto.Actor side's driver</summary>
    protected abstract TProto NewProto();

    [GlobalSetup(Target = "AkkaNet")] public void SetupAkkaNet() => AkkaDriver = NewAkka();
    [GlobalCleanup(Target = "AkkaNet")] public void CleanupAkkaNet() => AkkaDriver.Dispose();
    [GlobalSetup(Target = "ProtoActor")] public void SetupProtoActor() => ProtoDriver = NewProto();
    [GlobalCleanup(Target = "ProtoActor")] public void CleanupProtoActor() => ProtoDriver.Dispose();
}
