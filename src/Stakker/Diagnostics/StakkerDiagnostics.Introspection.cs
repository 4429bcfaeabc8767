using Stakker.Diagnostics;

namespace Stakker;

public sealed partial class StakkerDiagnostics
{
    /// <summary>How many recent failures each Core keeps for <see cref="CoreSnapshot.Failures"/></summary>
    public const int FailuresKept = 50;

    int _samplingAll;

    /// <summary>True while every Core samples (a sampling session is open)</summary>
    internal bool SamplingAll => Volatile.Read(ref _samplingAll) > 0;

    /// <summary>Starts counting every call on the attached Cores per actor (and timing one in eight), until the
    /// returned object is disposed (sessions nest: sampling stops when the last one ends)</summary>
    /// <remarks>Sampling takes the same slow path as tracing (decision 094): with no session open,
    /// calls take the usual path, tested by one flag, and allocate nothing. A Core starts or stops
    /// sampling at its next Run; <see cref="SnapshotAsync"/> wakes it.</remarks>
    public IDisposable StartSampling()
    {
        Interlocked.Increment(ref _samplingAll);
        return new SamplingSession(this);
    }

    sealed class SamplingSession(StakkerDiagnostics owner) : IDisposable
    {
        int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0) Interlocked.Decrement(ref owner._samplingAll);
        }
    }

    /// <summary>Names of the attached Cores, in the order they were attached</summary>
    public IReadOnlyList<string> CoreNames
    {
        get
        {
            CoreDiagnostics[] cores = Cores;
            var names = new string[cores.Length];
            for (int i = 0; i < names.Length; i++) names[i] = cores[i].Name;
            return names;
        }
    }

    /// <summary>Takes a snapshot of every attached Core, each built on its own thread</summary>
    /// <param name="actorType">List the actors of this state type name; null lists all, up to the cap.</param>
    /// <param name="maxActors">The most actors listed per Core (the rest are only counted by type;
    /// <see cref="CoreSnapshot.ActorsTruncated"/> says so).</param>
    /// <param name="cancellationToken">Gives up waiting for a Core that does not answer (it may be stopping or busy).</param>
    /// <remarks>The request is posted to each Core, which builds its snapshot between calls, so reading
    /// never races with the actors. It costs the Core one pass over its living actors and timers.</remarks>
    public async Task<IReadOnlyList<CoreSnapshot>> SnapshotAsync(string? actorType = null, int maxActors = 200, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxActors);
        CoreDiagnostics[] cores = Cores;
        var pending = new Task<CoreSnapshot>[cores.Length];
        for (int i = 0; i < cores.Length; i++)
        {
            CoreDiagnostics d = cores[i];
            var done = new TaskCompletionSource<CoreSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
            pending[i] = done.Task;
            try
            {
                d.Core.PostFromAnyThread(() =>
                {
                    try { done.TrySetResult(d.Snapshot(actorType, maxActors)); }
                    catch (Exception ex) { done.TrySetException(ex); }
                });
            }
            catch (ObjectDisposedException ex) { done.TrySetException(ex); }
        }
        var snapshots = new List<CoreSnapshot>(cores.Length);
        foreach (Task<CoreSnapshot> t in pending)
        {
            try { snapshots.Add(await t.WaitAsync(cancellationToken).ConfigureAwait(false)); }
            catch (Exception) when (!cancellationToken.IsCancellationRequested && t.IsFaulted) { /* a Core that stopped: left out */ }
        }
        return snapshots;
    }

    /// <summary>Kills one actor, as <see cref="ActorOwn{T}.Kill(string)"/> would, on its Core's thread</summary>
    /// <param name="core">The Core's name (<see cref="CoreNames"/>).</param>
    /// <param name="actorId">The actor's id on that Core.</param>
    /// <param name="reason">The message of the kill's <see cref="ActorException"/>.</param>
    /// <param name="cancellationToken">Gives up waiting for the Core.</param>
    /// <returns>False if no such Core or living actor.</returns>
    public Task<bool> KillAsync(string core, long actorId, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(core);
        ArgumentNullException.ThrowIfNull(reason);
        foreach (CoreDiagnostics d in Cores)
        {
            if (d.Name != core) continue;
            var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            d.Core.PostFromAnyThread(() =>
            {
                try { done.TrySetResult(d.Kill(actorId, reason)); }
                catch (Exception ex) { done.TrySetException(ex); }
            });
            return done.Task.WaitAsync(cancellationToken);
        }
        return Task.FromResult(false);
    }
}
