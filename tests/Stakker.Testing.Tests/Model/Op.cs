using CsCheck;

namespace Stakker.Testing.Tests.Model;

/// <summary>One step of a random program: what it does and to which actor slots</summary>
public enum OpKind { Spawn, Call, CallRet, Chain, Fwd, Stop, Fail, Kill, Drop, SetTimer, CancelTimer, Advance, Coroutine, Ask, MaxTimer }

/// <summary>A step: <see cref="A"/> and <see cref="B"/> are actor slots, <see cref="N"/> a value or a delay in ms</summary>
public readonly record struct Op(OpKind Kind, int A, int B, int N)
{
    public override string ToString() => $"{Kind}({A},{B},{N})";

    public const int Slots = 6;

    static readonly Gen<OpKind> Kinds = Gen.Frequency(
        (3, Gen.Const(OpKind.Spawn)), (4, Gen.Const(OpKind.Call)), (3, Gen.Const(OpKind.CallRet)),
        (2, Gen.Const(OpKind.Chain)), (2, Gen.Const(OpKind.Fwd)), (1, Gen.Const(OpKind.Stop)),
        (1, Gen.Const(OpKind.Fail)), (1, Gen.Const(OpKind.Kill)), (1, Gen.Const(OpKind.Drop)),
        (3, Gen.Const(OpKind.SetTimer)), (2, Gen.Const(OpKind.CancelTimer)), (3, Gen.Const(OpKind.Advance)),
        (2, Gen.Const(OpKind.Coroutine)), (2, Gen.Const(OpKind.Ask)), (2, Gen.Const(OpKind.MaxTimer)));

    public static readonly Gen<Op> One = Gen.Select(Kinds, Gen.Int[0, Slots - 1], Gen.Int[0, Slots - 1], Gen.Int[1, 40],
        static (k, a, b, n) => new Op(k, a, b, n));

    public static Gen<Op[]> Program(int maxSteps) => One.Array[1, maxSteps];
}
