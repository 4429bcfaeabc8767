using System.Diagnostics;
using Stakker.Diagnostics;

namespace Stakker.Hosting.Dashboard;

/// <summary>One snapshot per interval, shared by every open page</summary>
/// <remarks>However many tabs are open, each Core builds one snapshot per interval and it is written
/// to JSON once. Sampling (decision 094) is on while at least one page is open and off when the last
/// one closes, so with no page open the Cores do no dashboard work at all.</remarks>
internal sealed class DashboardBroadcast(StakkerDiagnostics diagnostics, DashboardOptions options)
{
    readonly Lock _sync = new();
    readonly List<DashboardStream> _streams = [];
    readonly Dictionary<string, (long Calls, long Wakes, TimeSpan Handler, bool Sampling, long At)> _previous = [];
    IDisposable? _sampling;

    /// <summary>Snapshots taken for the live streams (tests count them)</summary>
    internal int Rounds;

    internal int StreamCount
    {
        get { lock (_sync) return _streams.Count; }
    }

    internal void Add(DashboardStream stream)
    {
        lock (_sync)
        {
            _streams.Add(stream);
            _sampling ??= diagnostics.StartSampling();
        }
    }

    internal void Remove(DashboardStream stream)
    {
        lock (_sync)
        {
            _streams.Remove(stream);
            if (_streams.Count > 0 || _sampling is null) return;
            _sampling.Dispose();
            _sampling = null;
        }
    }

    internal async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(options.Interval);
        while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
        {
            DashboardStream[] streams;
            lock (_sync) streams = [.. _streams];
            if (streams.Length == 0) continue;
            byte[] json;
            try { json = await Take(stop).ConfigureAwait(false); }
            // A Core too busy to answer in time, or stopping: this round is skipped, the next may do.
            catch (Exception) when (!stop.IsCancellationRequested) { continue; }
            foreach (DashboardStream s in streams)
            {
                if (!s.TryPost(json)) Remove(s);
            }
        }
    }

    async Task<byte[]> Take(CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(options.Interval * 2 + TimeSpan.FromSeconds(1));
        IReadOnlyList<CoreSnapshot> cores = await diagnostics.SnapshotAsync(null, 0, timeout.Token).ConfigureAwait(false);
        Interlocked.Increment(ref Rounds);
        long at = Stopwatch.GetTimestamp();
        var rates = new DashboardJson.Rates[cores.Count];
        for (int i = 0; i < cores.Count; i++)
        {
            CoreSnapshot c = cores[i];
            if (_previous.TryGetValue(c.Core, out var p))
            {
                double seconds = Math.Max(Stopwatch.GetElapsedTime(p.At, at).TotalSeconds, 1e-3);
                double? idle = p.Sampling && c.Sampling
                    ? Math.Clamp(1 - (c.HandlerTime - p.Handler).TotalSeconds / seconds, 0, 1)
                    : null;
                rates[i] = new((c.CallsTaken - p.Calls) / seconds, (c.Wakes - p.Wakes) / seconds, idle);
            }
            _previous[c.Core] = (c.CallsTaken, c.Wakes, c.HandlerTime, c.Sampling, at);
        }
        return DashboardJson.Event(cores, rates, options.AllowActions);
    }
}
