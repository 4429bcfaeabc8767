using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Stakker.Internal;

/// <summary>Throws for misuse, keeping the throwing code out of the callers' bodies</summary>
/// <remarks>Each message states the rule that was broken and, where there is one, the actor.</remarks>
internal static class ThrowHelper
{
    [DoesNotReturn]
    internal static void ThrowEndPointInTuple(Type argType) => throw new ArgumentException(
        "A cross-Core call's argument of type " + argType + " carries a Ret or Fwd inside a tuple: it would reach the other Core as it is, " +
        "and fail there when used. Pass each Ret or Fwd as an argument of its own (a call takes up to four); the runtime then carries its answers back.");

    [DoesNotReturn]
    internal static void ThrowWrongThread(int ownerThread, string? actorName = null) => throw CreateWrongThread(ownerThread, actorName);
    [MethodImpl(MethodImplOptions.NoInlining)]
    static Exception CreateWrongThread(int ownerThread, string? actorName) => new InvalidOperationException(
        (actorName is null ? "A Core" : $"{actorName} (on a Core)") +
        $" was used from thread {Environment.CurrentManagedThreadId}, but it belongs to thread {ownerThread}: a Core and its actors may only be touched on their own thread. From an actor on another Core, call it through a CrossCoreActor<T> (made on its own Core by actor.CrossCore()); from any other thread, use a CrossCoreActor<T>, a Waker or Core.PostFromAnyThread.");

    [DoesNotReturn]
    internal static void ThrowRunFromHandler(string? currentActor = null) => throw new InvalidOperationException(
        "Core.Run was called while the Core was already running (" +
        (currentActor is null ? "from inside a handler or a callback" : "from inside a handler of " + currentActor) +
        "): a handler must return before the queue runs again.");

    [DoesNotReturn]
    internal static void ThrowQueryFromHandler(string actorName) => throw new InvalidOperationException(
        $"Query on {actorName} was called from inside a handler: a handler never runs inside another; queue a call and pass a Ret instead.");

    [DoesNotReturn]
    internal static void ThrowNotReady(string actorName, string state) => throw new InvalidOperationException(
        $"Query on {actorName} failed: the actor is {state}, and only a Ready actor can be queried.");

    [DoesNotReturn]
    internal static void ThrowRetAnswered(Type t) => throw new InvalidOperationException(
        $"Ret<{t.Name}> was answered twice (or after it was disposed or abandoned): a Ret is answered at most once.");

    [DoesNotReturn]
    internal static void ThrowRetFromOtherCore() => throw new InvalidOperationException(
        "A Ret made on one Core was passed in a call to another Core from a third: a Ret crosses only from the Core that made it (pass it back to its own Core first, or make a new one here).");


    [DoesNotReturn]
    internal static void ThrowCrossNoCore(string what) => throw new InvalidOperationException(
        $"A {what} was passed in a cross-Core call made outside any Core's Run: a Ret or Fwd can cross only in a call made by an actor (or a callback) running on the Core that made it.");

    [DoesNotReturn]
    internal static void ThrowRetPassedAfterAnswer() => throw new InvalidOperationException(
        "A Ret that was already answered or disposed was passed to a call: a Ret is answered at most once.");

    [DoesNotReturn]
    internal static void ThrowFwdEnded(Type t) => throw new InvalidOperationException(
        $"Fwd<{t.Name}> was used after its stream ended: nothing may be sent after End or Fail.");

    [DoesNotReturn]
    internal static void ThrowDefaultActor(Type t) => throw new InvalidOperationException(
        $"Actor<{t.Name}> is the default value and refers to no actor: use the reference returned by Spawn or Create.");

    [DoesNotReturn]
    internal static void ThrowOwnerDisposed(string actorName) => throw new ObjectDisposedException(
        $"ActorOwn of {actorName}", "This owner was disposed: take a new owner from one that is still held.");

    [DoesNotReturn]
    internal static void ThrowDisposed() => throw new ObjectDisposedException(nameof(Core), "The Core was disposed: nothing more can be queued or run on it.");

    [DoesNotReturn]
    internal static void ThrowStateOutsideTurn(string actorName) => throw new InvalidOperationException(
        $"The state of {actorName} was touched outside its turn (after ConfigureAwait(false), or from another actor's handler): a coroutine reaches its actor's state only in code that resumes on the actor.");

    [DoesNotReturn]
    internal static void ThrowArgumentNull(string name) => throw new ArgumentNullException(name);

    [DoesNotReturn]
    internal static void Rethrow(Exception ex) => ExceptionDispatchInfo.Capture(ex).Throw();
}
