using Microsoft.CodeAnalysis;

namespace Stakker.Analyzers;

/// <summary>The diagnostics Stakker's analyzers report, one per actor mistake</summary>
/// <remarks>Each id has a help page, docs/analyzers/STKnnnn.md: the mistake, why it hurts, the fix.
/// Ids are never reused; a retired rule keeps its number.</remarks>
internal static class Rules
{
    /// <summary>Where the help pages live, relative to the repository root (the project has no public home yet)</summary>
    const string HelpBase = "docs/analyzers/";

    static DiagnosticDescriptor Rule(string id, string category, string title, string message, string description,
        DiagnosticSeverity severity = DiagnosticSeverity.Warning) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, description: description,
            helpLinkUri: HelpBase + id + ".md");

    public static readonly DiagnosticDescriptor BlockingCall = Rule("STK0001", "Stakker.Blocking",
        "Blocking call inside an actor handler",
        "'{0}' blocks the Core's thread inside {1}: every actor on this Core waits with it",
        "A handler, Ret end-point or coroutine runs on the Core's only thread. A blocking wait stops every actor of that Core and can deadlock when the awaited work needs the same thread.");

    public static readonly DiagnosticDescriptor AsyncVoidHandler = Rule("STK0002", "Stakker.Async",
        "async void used as a handler",
        "{0} is async void: the runtime cannot see when it ends, and an exception from it escapes the actor",
        "An async void method or lambda returns at its first await. Its failure is thrown on the synchronization context instead of failing the actor, and nothing waits for the rest of it. Use a coroutine (cx.StartAsync) or a Task-returning method.");

    public static readonly DiagnosticDescriptor DiscardedOwner = Rule("STK0003", "Stakker.Ownership",
        "ActorOwn discarded",
        "The ActorOwn<{0}> returned by '{1}' is discarded: nobody can end this actor, and its end is never reported",
        "Only an ActorOwn ends an actor, when its last owner is disposed. A discarded owner is never disposed, so the actor lives until the Core goes, unreachable for cleanup.");

    public static readonly DiagnosticDescriptor UnansweredRet = Rule("STK0004", "Stakker.Ret",
        "Ret neither answered, passed on nor stored on some path",
        "Ret<{0}> '{1}' is neither answered, passed on nor stored on some path through '{2}': the caller waits until this actor ends",
        "A Ret must be answered exactly once. One left unanswered stays with the actor that received it, and its caller hears nothing until that actor ends.");

    public static readonly DiagnosticDescriptor CapturingHandler = Rule("STK0005", "Stakker.Performance",
        "Handler lambda captures state",
        "This handler lambda captures {0}: it allocates a closure on every call, and runs later with whatever the captured state is then",
        "Handlers given to Call, Ret, Fwd, timers and inits are queued and run later. A capturing lambda allocates a closure each time and may carry another actor's state into this one. Make it static and pass the values as call arguments.");

    public static readonly DiagnosticDescriptor ForeignState = Rule("STK0006", "Stakker.Isolation",
        "Actor state handed to another actor",
        "{0} hands this actor's state ({1}) to {2}: two actors would then touch the same object",
        "An actor's state belongs to its handlers alone. Passing it (or a lambda capturing it) to another actor lets that actor read and change it at any time. Pass cx.This (an Actor<T>) or a copy of the data instead.");

    public static readonly DiagnosticDescriptor HandlerEscape = Rule("STK0007", "Stakker.Reentrancy",
        "Driver call inside a handler, or a handler context that outlives its turn",
        "{0}",
        "Run, Query and WaitForWake drive a Core from outside and throw inside a handler. An AsyncCx belongs to one coroutine's turns: stored in a field or captured by code that runs later, it is used when the actor is not running.");

    public static readonly DiagnosticDescriptor TimerWakerLeak = Rule("STK0008", "Stakker.Leak",
        "Timer key or waker dropped",
        "{0}",
        "A max or min timer key kept in a local is lost when the handler returns, so the next call makes another timer instead of moving the pending one. A Waker nobody keeps is never disposed, so its Core counts it live until a garbage collection finds it.");

    public static readonly DiagnosticDescriptor ForeignThread = Rule("STK0009", "Stakker.Threads",
        "Actor handle used on another thread",
        "'{0}' uses an Actor<{1}> inside {2}, which runs on another thread than the actor's Core: make a CrossCoreActor<{1}> on the Core with actor.CrossCore() and call that, or post back to the Core",
        "An Actor<T> or ActorOwn<T> may only be used on its Core's thread; from anywhere else the call throws at run time. A CrossCoreActor<T> (actor.CrossCore(), made on the actor's Core) is the handle for other threads and other Cores: its calls read the same and are queued safely.");
}
