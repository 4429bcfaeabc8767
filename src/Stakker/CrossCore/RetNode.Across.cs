using Stakker.CrossCore;

// The Ret end-points' namespace, in the cross-Core folder: how a pending Ret gets its stand-in on
// another Core (decision 051). Kept here so that Returns does not depend on this folder.
namespace Stakker.Returns;

internal abstract partial class RetNodeBase
{
    /// <summary>Makes, on <paramref name="here"/> (another Core), the end-point that stands in for
    /// this Ret (pending at <paramref name="version"/>) and sends its answer back through <paramref name="back"/></summary>
    internal abstract RetNodeBase Across(Core here, CrossLink back, int version);
}

internal abstract partial class RetNode<T>
{
    internal sealed override RetNodeBase Across(Core here, CrossLink back, int version) => RetAcross<T>.Make(here, this, version, back);
}
