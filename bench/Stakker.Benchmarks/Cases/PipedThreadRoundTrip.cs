using System.Threading.Channels;
using BenchmarkDotNet.Attributes;

namespace Stakker.Benchmarks;

/// <summary>Items sent by an actor to a <see cref="PipedThread{TIn, TOut}"/>, echoed by the worker and received back as calls: figures per round trip</summary>
/// <remarks>
/// Stakker: an actor keeps the input pipe (capacity 1,024) full with <c>TrySend</c>, the worker echoes
/// each int, each echo arrives as a call and makes room for the next send; the Core runs on the
/// benchmark's thread, sleeping in <c>WaitForWake</c> when it has nothing to do. The reference is the
/// same loop over two bounded <see cref="Channel"/>s (capacity 1,024) with the worker on its own thread.
/// Both check that the echoes come back in order.
/// </remarks>
[MemoryDiagnoser]
[Case(12, "PipedThread round trip (actor -> worker thread -> actor)", "item",
    Reference = "two bounded Channel<int>s and a worker thread")]
[NotApplicable("AkkaNet", "no piped-thread construct; a dedicated-dispatcher actor would be a different measurement")]
[NotApplicable("ProtoActor", "no piped-thread construct")]
public class PipedThreadRoundTrip : StakkerCase<PipedThreadRoundTrip.EchoDriver>
{
    public const int Items = 100_000;

    protected override EchoDriver NewStakker() => new();

    [Benchmark(Baseline = true, OperationsPerInvoke = Items)]
    public void Stakker() => StakkerDriver.Run(Items);

    /// <summary>BCL reference point, not an actor framework</summary>
    [Benchmark(OperationsPerInvoke = Items)]
    public void Bcl() => ChannelEcho.Run(Items);

    /// <summary>One Core and one echoing piped thread, kept for every iteration</summary>
    public sealed class EchoDriver : IDisposable
    {
        readonly Core _core = new(Instant.Zero);
        readonly ActorOwn<Pump> _pump;

        public EchoDriver()
        {
            _pump = _core.Spawn<Pump>(static cx => new Pump(cx), Ret.Nop<StopCause>());
            Run(1_000);
        }

        public void Run(int items)
        {
            _core.Run(_core.Now, idle: false);
            _pump.Actor.Query(static (p, cx) => p).Total = items;
            Task<int> done = _pump.Actor.Query(static (p, cx) => p.Begin());
            while (!done.IsCompleted)
            {
                _core.Run(_core.Now, idle: false);
                if (!done.IsCompleted) _core.WaitForWake(TimeSpan.FromSeconds(1));
            }
            if (done.Result != items) throw new InvalidOperationException($"PipedThread: {done.Result} of {items}");
        }

        public void Dispose()
        {
            _pump.Dispose();
            _core.Run(_core.Now, idle: false);
            _core.Dispose();
        }
    }

    public sealed class Pump
    {
        readonly PipedThread<int, int> _pipe;
        TaskCompletionSource<int>? _done;
        public int Total;
        int _sent;
        int _next;

        public Pump(Cx<Pump> cx) =>
            _pipe = PipedThread<int, int>.Start(cx, static link =>
                {
                    while (link.TryReceive(out int x))
                        if (!link.Send(x)) return;
                },
                cx.Fwd<int>(static (a, cx, v) => a.Got(v)), capacity: 1024, name: "bench echo");

        public Task<int> Begin()
        {
            _done = new TaskCompletionSource<int>();
            _sent = _next = 0;
            Fill();
            return _done.Task;
        }

        void Fill()
        {
            while (_sent < Total && _pipe.TrySend(_sent)) _sent++;
        }

        void Got(int v)
        {
            if (v != _next) _done!.TrySetException(new InvalidOperationException($"echo {v}, expected {_next}"));
            if (++_next == Total) _done!.TrySetResult(_next);
            else Fill();
        }
    }
}

/// <summary>The same echo over two bounded channels and a worker thread</summary>
static class ChannelEcho
{
    public static void Run(int items)
    {
        var opts = new BoundedChannelOptions(1024) { SingleReader = true, SingleWriter = true };
        var toWorker = Channel.CreateBounded<int>(opts);
        var back = Channel.CreateBounded<int>(opts);
        var worker = new Thread(() =>
        {
            var r = toWorker.Reader;
            var w = back.Writer;
            for (;;)
            {
                while (r.TryRead(out int x))
                    while (!w.TryWrite(x)) w.WaitToWriteAsync().AsTask().GetAwaiter().GetResult();
                if (!r.WaitToReadAsync().AsTask().GetAwaiter().GetResult()) break;
            }
            w.Complete();
        }) { IsBackground = true };
        worker.Start();
        int sent = 0, next = 0;
        var reader = back.Reader;
        while (next < items)
        {
            while (sent < items && toWorker.Writer.TryWrite(sent)) sent++;
            if (!reader.TryRead(out int v))
            {
                reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult();
                continue;
            }
            if (v != next) throw new InvalidOperationException($"echo {v}, expected {next}");
            next++;
        }
        toWorker.Writer.Complete();
        worker.Join();
    }
}
