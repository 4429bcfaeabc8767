using CsCheck;

namespace Stakker.Testing.Tests.Model;

/// <summary>One step of a random program: what it does and to which actor slots</summary>
/// <remarks>Slots alternate between two Cores (slot % 2). <see cref="OpKind.Chain"/> passes a Ret
/// through a second actor, across Cores when the two are on different ones; <see cref="OpKind.XAsk"/>
/// asks a second actor through a <c>CrossCoreActor</c> with an actor's own Ret end-point;
/// <see cref="OpKind.Burst"/> sends up to N calls across until the receiver's capacity refuses them;
/// <see cref="OpKind.XStop"/> sends a stop and then a call across in one batch; <see cref="OpKind.XKill"/>
/// is a chain whose second actor is killed while the call is on the way.</remarks>
public enum OpKind { Spawn, Call, CallRet, Chain, Fwd, Stop, Fail, Kill, Drop, SetTimer, CancelTimer, Advance, Coroutine, Ask, MaxTimer, XAsk, Burst, XStop, XKill, XFwd }

/// <summary>A step: <see cref="A"/> and <see cref="B"/> are actor slots, <see cref="N"/> a value or a delay in ms</summary>
public readonly record struct Op(OpKind Kind, int A, int B, int N)
{
    public override string ToString() => $"{Kind}({A},{B},{N})";

    public const int Slots = 6;

    /// <summary>Cores the slots are spread over</summary>
    public const int Cores = 2;

    /// <summary>Calls one Core may have on the way to another: small, so bursts reach it</summary>
    public const int CrossCapacity = 8;

    public static int CoreOf(int slot) => slot % Cores;

    static readonly Gen<OpKind> Kinds = Gen.Frequency(
        (3, Gen.Const(OpKind.Spawn)), (4, Gen.Const(OpKind.Call)), (3, Gen.Const(OpKind.CallRet)),
        (3, Gen.Const(OpKind.Chain)), (2, Gen.Const(OpKind.Fwd)), (1, Gen.Const(OpKind.Stop)),
        (1, Gen.Const(OpKind.Fail)), (1, Gen.Const(OpKind.Kill)), (1, Gen.Const(OpKind.Drop)),
        (3, Gen.Const(OpKind.SetTimer)), (2, Gen.Const(OpKind.CancelTimer)), (3, Gen.Const(OpKind.Advance)),
        (2, Gen.Const(OpKind.Coroutine)), (2, Gen.Const(OpKind.Ask)), (2, Gen.Const(OpKind.MaxTimer)),
        (3, Gen.Const(OpKind.XAsk)), (2, Gen.Const(OpKind.Burst)), (2, Gen.Const(OpKind.XStop)), (2, Gen.Const(OpKind.XKill)), (2, Gen.Const(OpKind.XFwd)));

    public static readonly Gen<Op> One = Gen.Select(Kinds, Gen.Int[0, Slots - 1], Gen.Int[0, Slots - 1], Gen.Int[1, 40],
        static (k, a, b, n) => new Op(k, a, b, n));

    public static Gen<Op[]> Program(int maxSteps) => One.Array[1, maxSteps];
}
