using Xunit.Abstractions;
using System.Diagnostics;

#pragma warning disable STK0005 // the test reads the nodes' counters on their own Cores

namespace Stakker.Tests.Stress;

/// <summary>Cores calling each other (one-way calls and Rets, some dropped) while threads that run
/// no Core call them too: per sender every call arrives once and in order, every Ret is answered
/// once, in order, with its value or "no value" where it was dropped</summary>
public class CrossCoreStress(ITestOutputHelper output)
{
    const int Cores = 3, Foreign = 2, Senders = Cores + Foreign;

    sealed class Flags
    {
        public volatile bool Stop;
    }

    sealed class Node(int me, Flags flags)
    {
        CrossCoreActor<Node>[] _peers = [];
        readonly Random _rng = new(me);
        public readonly long[] SentMsg = new long[Cores], SentAsk = new long[Cores], Answers = new long[Cores];
        public readonly long[] NextMsg = new long[Senders], NextAnswer = new long[Cores];
        public long Errors, NoValue;
        public string? FirstError;

        public void Meet(Cx<Node> cx, CrossCoreActor<Node>[] peers) => _peers = peers;

        void Error(string what)
        {
            Errors++;
            FirstError ??= $"node {me}: {what}";
        }

        public void Pump(Cx<Node> cx)
        {
            if (flags.Stop) return;
            for (int t = 0; t < Cores; t++)
            {
                if (t == me) continue;
                CrossCoreActor<Node> peer = _peers[t];
                int n = _rng.Next(1, 600);
                for (int i = 0; i < n && peer.HasRoom; i++)
                {
                    long seq = SentMsg[t]++;
                    peer.Call(static (p, cx, m) => p.Msg(cx, m), (me, seq));
                    if ((seq & 3) != 0 || !peer.HasRoom) continue;
                    long ask = SentAsk[t]++;
                    peer.Call(static (p, cx, m, r) => p.Ask(cx, m, r), (me, ask),
                        cx.Ret<(int T, long Seq), long>((t, ask), static (a, cx, k, v) => a.Answered(k.T, k.Seq, v)));
                }
            }
            cx.After(TimeSpan.Zero, static (a, cx) => a.Pump(cx));
        }

        public void Msg(Cx<Node> cx, (int From, long Seq) m)
        {
            if (m.Seq != NextMsg[m.From]) Error($"call from {m.From}: got {m.Seq}, expected {NextMsg[m.From]}");
            NextMsg[m.From] = m.Seq + 1;
        }

        public void Ask(Cx<Node> cx, (int From, long Seq) m, Ret<long> ret)
        {
            if (m.Seq % 16 == 5) ret.Dispose();   // dropped: the asker hears "no value"
            else ret.Answer(m.Seq * 10 + m.From);
        }

        void Answered(int t, long seq, Answer<long> a)
        {
            Answers[t]++;
            if (seq != NextAnswer[t]) Error($"answer from {t}: got {seq}, expected {NextAnswer[t]}");
            NextAnswer[t] = seq + 1;
            if (seq % 16 == 5)
            {
                if (a.HasValue) Error($"dropped Ret {seq} answered with a value");
                else NoValue++;
            }
            else if (!a.TryGetValue(out long v) || v != seq * 10 + me) Error($"Ret {seq} from {t}: wrong answer");
        }
    }

    [Fact]
    public async Task Stress_CrossCoreCallsAndRets_NothingLostNothingDuplicated()
    {
        using var yields = Yields.Inject();
        var clock = Stopwatch.StartNew();
        var flags = new Flags();
        await using var set = new CoreSet(new CoreSetOptions { Count = Cores, CrossCoreCapacity = 2048 });
        var nodes = new Node[Cores];
        var peers = new CrossCoreActor<Node>[Cores];
        for (int i = 0; i < Cores; i++)
        {
            int index = i;
            peers[i] = await set.SpawnAsync<Node>(i, cx => nodes[index] = new Node(index, flags));
        }
        foreach (CrossCoreActor<Node> p in peers)
        {
            p.Call(static (n, cx, all) => n.Meet(cx, all), peers);
            p.Call(static (n, cx) => n.Pump(cx));
        }
        // Threads that run no Core: each call is handed over on its own.
        var foreignSent = new long[Foreign, Cores];
        long refused = 0;
        var foreign = Enumerable.Range(0, Foreign).Select(f => Task.Factory.StartNew(() =>
        {
            var rng = new Random(100 + f);
            while (!flags.Stop)
            {
                int t = rng.Next(Cores);
                if (!peers[t].HasRoom) { Thread.Yield(); continue; }
                long seq = foreignSent[f, t];
                try
                {
                    peers[t].Call(static (p, cx, m) => p.Msg(cx, m), (Cores + f, seq));
                    foreignSent[f, t] = seq + 1;
                }
                catch (CrossCoreFullException)
                {
                    // The foreign threads share one allowance per Core: the other thread can take the
                    // last room between HasRoom and Call. A refused call must leave no trace (the next
                    // one reuses its number, and the receiver checks the sequence).
                    Interlocked.Increment(ref refused);
                    Thread.Yield();
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        await Task.Delay(Yields.Budget);
        flags.Stop = true;
        await Task.WhenAll(foreign);

        // Let everything in flight arrive, then compare what each sender sent with what arrived.
        var deadline = Stopwatch.StartNew();
        long calls, asks, noValue;
        for (;;)
        {
            var snap = await Task.WhenAll(Enumerable.Range(0, Cores).Select(i => set.InvokeAsync(i, _ =>
                (Sent: (long[])nodes[i].SentMsg.Clone(), Asks: (long[])nodes[i].SentAsk.Clone(), Answers: (long[])nodes[i].Answers.Clone(),
                 Next: (long[])nodes[i].NextMsg.Clone(), nodes[i].Errors, nodes[i].FirstError, nodes[i].NoValue))));
            Assert.All(snap, s => Assert.True(s.Errors == 0, s.FirstError));
            bool settled = true;
            calls = asks = noValue = 0;
            for (int r = 0; r < Cores; r++)
            {
                for (int s = 0; s < Cores; s++)
                {
                    if (s == r) continue;
                    settled &= snap[r].Next[s] == snap[s].Sent[r];
                    settled &= snap[s].Answers[r] == snap[s].Asks[r];
                    calls += snap[s].Sent[r];
                    asks += snap[s].Asks[r];
                }
                for (int f = 0; f < Foreign; f++)
                {
                    settled &= snap[r].Next[Cores + f] == foreignSent[f, r];
                    calls += foreignSent[f, r];
                }
                noValue += snap[r].NoValue;
            }
            if (settled) break;
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "calls or answers still missing after 60 s");
            await Task.Delay(20);
        }
        await set.StopAsync();
        Assert.True(set.Completion.IsCompletedSuccessfully);
        Assert.True(noValue > 0 || asks < 16);
        output.WriteLine(yields.Report("cross-Core", $"{Cores} Cores + {Foreign} foreign threads, {calls:N0} calls, {asks:N0} Rets across ({noValue:N0} dropped, answered \"no value\"), {refused:N0} foreign calls refused for capacity", clock));
        yields.AssertReached(5);
    }
}
