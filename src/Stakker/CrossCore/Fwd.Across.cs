using Stakker.CrossCore;

namespace Stakker;

// How a Fwd passed in a call to another Core gets its stand-in there (decision 051). Kept with the
// cross-Core code so that Returns does not depend on this folder.
public abstract partial class Fwd<T> : IFwdAcross
{
    object IFwdAcross.Across(Core here, CrossLink back) => this is FwdNop<T> ? this : new FwdAcross<T>(this, here, back);
}
