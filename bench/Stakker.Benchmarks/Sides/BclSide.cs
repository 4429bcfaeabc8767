using System.Threading.Channels;

namespace Stakker.Benchmarks.BclSide;

// Plain .NET reference points for the async-boundary cases that have no actor-framework peer: the
// nearest BCL construct doing the same logical work, run the ordinary .NET way (thread pool, no
// SynchronizationContext). They are not actor runtimes; they give a scale for Stakker's figure.

/// <summary>A TaskCompletionSource&lt;int&gt; made, set, then awaited, in a loop on a thread-pool thread</summary>
/// <remarks>The nearest .NET equivalent of a Ret-backed ValueTask answered then awaited: the result is
/// in before the await, so the await completes at once; each iteration allocates the source and its Task.</remarks>
public static class TcsAwait
{
    public static async Task Run(int awaits)
    {
        long sum = await Task.Run(() => Loop(awaits)).ConfigureAwait(false);
        long expected = (long)awaits * (awaits - 1) / 2;
        if (sum != expected) throw new InvalidOperationException($"TcsAwait: sum {sum}, expected {expected}");
    }

    static async Task<long> Loop(int n)
    {
        long sum = 0;
        for (int i = 0; i < n; i++)
        {
            var tcs = new TaskCompletionSource<int>();
            tcs.SetResult(i);
            sum += await tcs.Task.ConfigureAwait(false);
        }
        return sum;
    }
}

/// <summary>A bounded System.Threading.Channels channel: one producer task writes N ints, one consumer reads them with await foreach</summary>
/// <remarks>Capacity equal to Stakker's batch size; single reader, single writer, full mode Wait. The
/// producer runs on the thread pool; the consumer starts on the calling thread and continues on the
/// thread pool after its first wait.</remarks>
public static class ChannelStream
{
    public static async Task Run(int items, int capacity)
    {
        Channel<int> channel = Channel.CreateBounded<int>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        ChannelWriter<int> writer = channel.Writer;
        Task producer = Task.Run(async () =>
        {
            for (int i = 0; i < items; i++) await writer.WriteAsync(i).ConfigureAwait(false);
            writer.Complete();
        });
        int expect = 0;
        long sum = 0;
        await foreach (int v in channel.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (v != expect) throw new InvalidOperationException($"ChannelStream: item {v}, expected {expect}");
            expect++;
            sum += v;
        }
        await producer.ConfigureAwait(false);
        long expected = (long)items * (items - 1) / 2;
        if (expect != items || sum != expected) throw new InvalidOperationException($"ChannelStream: {expect} items, sum {sum}; expected {items}, {expected}");
    }
}

/// <summary>The floor for a request/response between two dedicated threads: each side blocks on a
/// SemaphoreSlim until the other releases it (no queue, no message, nothing else)</summary>
/// <remarks>What any cross-thread request/response pays on this machine for the two wake-ups alone.</remarks>
public sealed class ThreadPingPong : IDisposable
{
    readonly SemaphoreSlim _request = new(0);
    readonly SemaphoreSlim _answer = new(0);
    readonly Thread _server;
    volatile bool _stop;

    public ThreadPingPong()
    {
        _server = new Thread(() =>
        {
            for (;;)
            {
                _request.Wait();
                if (_stop) return;
                _answer.Release();
            }
        }) { IsBackground = true, Name = "floor server" };
        _server.Start();
    }

    public void Run(int requests)
    {
        for (int i = 0; i < requests; i++)
        {
            _request.Release();
            _answer.Wait();
        }
    }

    public void Dispose()
    {
        _stop = true;
        _request.Release();
        _server.Join();
    }
}
