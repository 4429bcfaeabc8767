namespace Stakker.Returns;

/// <summary>Something that holds Rets in a list, and answers them "no value" when it ends: an actor,
/// or a Core's links to other Cores (the Rets it sent across and is waiting to hear back on)</summary>
/// <remarks>The list is intrusive (<see cref="RetNodeBase.HeldPrev"/>, <see cref="RetNodeBase.HeldNext"/>),
/// so taking a Ret in or out costs a few stores; only <see cref="RetHolding"/> changes it.</remarks>
internal abstract class RetHolder
{
    /// <summary>Head of the doubly linked list of unanswered Rets held here</summary>
    internal RetNodeBase? HeldRets;
}
