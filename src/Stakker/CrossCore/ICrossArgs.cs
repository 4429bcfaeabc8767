using Stakker.Actors;

namespace Stakker.CrossCore;

/// <summary>What crossing to another Core does to a call's arguments (per argument: <see cref="CrossArg{T}"/>)</summary>
/// <remarks>Implemented by each arity's <see cref="Actors.CallArgs{TActor, T1}"/> struct.</remarks>
internal interface ICrossArgs
{
    /// <summary>The call leaves <paramref name="from"/> for another Core; its Rets are checked and
    /// held by <paramref name="from"/>'s links until answered</summary>
    void Depart(Core from);

    /// <summary>The call reached <paramref name="here"/>; its Rets and Fwds become end-points on
    /// <paramref name="here"/> that relay back through <paramref name="back"/></summary>
    void Arrive(Core here, CrossLink back);

    /// <summary>The call never reached its Core; on the sending Core, its Rets answer "no value"</summary>
    void Undelivered(ref Exception? error);
}
