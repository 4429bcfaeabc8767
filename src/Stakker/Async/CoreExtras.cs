namespace Stakker.Async;

/// <summary>What a Core needs only when async code, a TimeProvider or a wait source is used: made on first use</summary>
/// <remarks>Keeps the Core itself to what every call touches (queues, pool, timers, the running
/// actor). Touched on the Core's thread, as the rest of the Core.</remarks>
internal sealed class CoreExtras(Core core)
{
    CoreSynchronizationContext? _syncContext;
    CoreTaskScheduler? _taskScheduler;
    CoreTimeProvider? _timeProvider;

    internal CoreSynchronizationContext SynchronizationContext => _syncContext ??= new CoreSynchronizationContext(core);
    internal CoreTaskScheduler TaskScheduler => _taskScheduler ??= new CoreTaskScheduler(core);
    internal CoreTimeProvider TimeProvider => _timeProvider ??= new CoreTimeProvider(core);

    /// <summary>See <see cref="Core.UtcAtStart"/></summary>
    internal DateTimeOffset UtcAtStart = DateTimeOffset.UnixEpoch;

    /// <summary>See <see cref="Core.SetWaitSource"/></summary>
    internal ICoreWaitSource? WaitSource;
}
