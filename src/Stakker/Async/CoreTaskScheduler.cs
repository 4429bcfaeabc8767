namespace Stakker.Async;

/// <summary>A <see cref="TaskScheduler"/> that runs each task as a plain call on its Core</summary>
/// <remarks>Tasks queued from any thread run on the Core's thread at its next <see cref="Core.Run"/>.
/// Inline execution is allowed only on the Core's thread outside handlers, so a task never runs in
/// the middle of an actor's handler.</remarks>
internal sealed class CoreTaskScheduler(Core core) : TaskScheduler
{
    protected override void QueueTask(Task task) =>
        core.PostAnyThread(static s => s.Scheduler.TryExecuteTask(s.Task), (Scheduler: this, Task: task));

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        core.IsOnThread && !core.InHandler && TryExecuteTask(task);

    protected override IEnumerable<Task>? GetScheduledTasks() => null;

    public override int MaximumConcurrencyLevel => 1;
}
