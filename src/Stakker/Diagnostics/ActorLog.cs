using Microsoft.Extensions.Logging;

namespace Stakker.Diagnostics;

/// <summary>The actor lifecycle log entries, source-generated: each checks its level before it
/// formats or allocates anything</summary>
/// <remarks>Event ids 100-199 are the runtime's; they are stable, so alerts can match on them.</remarks>
internal static partial class ActorLog
{
    [LoggerMessage(100, LogLevel.Debug, "Actor {ActorType}#{ActorId} started on Core {Core}")]
    internal static partial void Started(ILogger logger, string actorType, long actorId, string core);

    [LoggerMessage(101, LogLevel.Debug, "Actor {ActorType}#{ActorId} on Core {Core} ended: {StopKind}")]
    internal static partial void Stopped(ILogger logger, string actorType, long actorId, string core, StopKind stopKind);

    [LoggerMessage(102, LogLevel.Error, "Actor {ActorType}#{ActorId} on Core {Core} failed")]
    internal static partial void Failed(ILogger logger, Exception? exception, string actorType, long actorId, string core);

    [LoggerMessage(103, LogLevel.Warning, "Actor {ActorType}#{ActorId} on Core {Core} was killed")]
    internal static partial void Killed(ILogger logger, Exception? exception, string actorType, long actorId, string core);

    [LoggerMessage(104, LogLevel.Error, "The owner of actor {ActorType}#{ActorId} on Core {Core} threw when told of its end")]
    internal static partial void NotifyFailed(ILogger logger, Exception exception, string actorType, long actorId, string core);
}
