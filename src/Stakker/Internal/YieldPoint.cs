using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Stakker.Internal;

/// <summary>The places where one thread hands something to another (wakes, batches, pipes): a stress
/// test can make a thread give up its processor there, to open race windows that a fast, idle machine
/// almost never shows</summary>
/// <remarks>Only in builds with <c>STAKKER_YIELDS</c> defined (Debug, or <c>-p:StakkerYields=true</c>):
/// elsewhere the calls are removed by the compiler, so a release build pays nothing.</remarks>
internal static class YieldPoint
{
    /// <summary>Called at every point with the point's file and line; null: no injection</summary>
    internal static volatile Action<string, int>? Hook;

    /// <summary>True when the points are compiled in</summary>
#if STAKKER_YIELDS
    internal static readonly bool Compiled = true;
#else
    internal static readonly bool Compiled = false;
#endif

    [Conditional("STAKKER_YIELDS")]
    internal static void Here([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Hook?.Invoke(file, line);
}
