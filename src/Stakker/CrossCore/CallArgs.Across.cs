using Stakker.CrossCore;

// The call shapes' namespace, in the cross-Core folder: these parts of Actors/CallArgs.cs say how each
// shape's arguments cross to another Core (Rets and Fwds among them are checked and held on the way
// out, and become stand-ins on arrival: decision 051). Kept here so that the call shapes themselves
// know nothing of other Cores, and the Actors folder does not depend on this one.
namespace Stakker.Actors;

internal partial struct CallArgs<TActor> : ICrossArgs
{
    public readonly void Depart(Core from) { }

    public readonly void Arrive(Core here, CrossLink back) { }

    public readonly void Undelivered(ref Exception? error) { }
}

internal partial struct CallArgs<TActor, T1> : ICrossArgs
{
    public void Depart(Core from)
    {
        CrossArg<T1>.Depart(ref A1, from);
    }

    public void Arrive(Core here, CrossLink back)
    {
        CrossArg<T1>.Arrive(ref A1, here, back);
    }

    public void Undelivered(ref Exception? error)
    {
        CrossArg<T1>.Undelivered(ref A1, ref error);
    }
}

internal partial struct CallArgs<TActor, T1, T2> : ICrossArgs
{
    public void Depart(Core from)
    {
        CrossArg<T1>.Depart(ref A1, from);
        CrossArg<T2>.Depart(ref A2, from);
    }

    public void Arrive(Core here, CrossLink back)
    {
        CrossArg<T1>.Arrive(ref A1, here, back);
        CrossArg<T2>.Arrive(ref A2, here, back);
    }

    public void Undelivered(ref Exception? error)
    {
        CrossArg<T1>.Undelivered(ref A1, ref error);
        CrossArg<T2>.Undelivered(ref A2, ref error);
    }
}

internal partial struct CallArgs<TActor, T1, T2, T3> : ICrossArgs
{
    public void Depart(Core from)
    {
        CrossArg<T1>.Depart(ref A1, from);
        CrossArg<T2>.Depart(ref A2, from);
        CrossArg<T3>.Depart(ref A3, from);
    }

    public void Arrive(Core here, CrossLink back)
    {
        CrossArg<T1>.Arrive(ref A1, here, back);
        CrossArg<T2>.Arrive(ref A2, here, back);
        CrossArg<T3>.Arrive(ref A3, here, back);
    }

    public void Undelivered(ref Exception? error)
    {
        CrossArg<T1>.Undelivered(ref A1, ref error);
        CrossArg<T2>.Undelivered(ref A2, ref error);
        CrossArg<T3>.Undelivered(ref A3, ref error);
    }
}

internal partial struct CallArgs<TActor, T1, T2, T3, T4> : ICrossArgs
{
    public void Depart(Core from)
    {
        CrossArg<T1>.Depart(ref A1, from);
        CrossArg<T2>.Depart(ref A2, from);
        CrossArg<T3>.Depart(ref A3, from);
        CrossArg<T4>.Depart(ref A4, from);
    }

    public void Arrive(Core here, CrossLink back)
    {
        CrossArg<T1>.Arrive(ref A1, here, back);
        CrossArg<T2>.Arrive(ref A2, here, back);
        CrossArg<T3>.Arrive(ref A3, here, back);
        CrossArg<T4>.Arrive(ref A4, here, back);
    }

    public void Undelivered(ref Exception? error)
    {
        CrossArg<T1>.Undelivered(ref A1, ref error);
        CrossArg<T2>.Undelivered(ref A2, ref error);
        CrossArg<T3>.Undelivered(ref A3, ref error);
        CrossArg<T4>.Undelivered(ref A4, ref error);
    }
}
