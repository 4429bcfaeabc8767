namespace Stakker.Tests.CrossCore;

/// <summary>A steady stream of cross-Core calls, and of Rets answered across, allocates nothing once
/// warm: parcels and stand-ins go back to the pools of the Cores that made them with the batches that
/// carried them (CrossBatch.GiveBack). Two Cores driven by this one thread, so the thread's allocation
/// counter sees both sides.</summary>
public class CrossCoreAllocationTests
{
    const int Calls = 1000;

    sealed class Shard
    {
        public long Total;
        public void Add(Cx<Shard> cx, int n, string tag) => Total += n + tag.Length;
        public bool KeepAnswered;
        public readonly List<Ret<long>> Kept = [];
        public void Get(Cx<Shard> cx, int n, Ret<long> ret)
        {
            ret.Answer(Total += n);
            if (KeepAnswered) Kept.Add(ret);
        }

        public void Keep(Cx<Shard> cx, Ret<long> ret) => Kept.Add(ret);

        /// <summary>A subscriber's stream from another Core (a stand-in here)</summary>
        public Fwd<Message>? Subscriber;
        public void Subscribe(Cx<Shard> cx, Fwd<Message> fwd) => Subscriber = fwd;

        public void Publish(Cx<Shard> cx)
        {
            for (int i = 0; i < Calls; i++) Subscriber!.Send(new Message("channel", "payload", i));
        }
    }

    /// <summary>Too large to ride in a slot (references and an int): each value crosses as a parcel</summary>
    internal readonly record struct Message(string Channel, string Payload, int N);

    sealed class Client(CrossCoreActor<Shard> shard)
    {
        public long Received;
        public long Answers;
        public int None;
        public CrossCoreActor<Shard> Shard => shard;
        public void Send(Cx<Client> cx)
        {
            for (int i = 0; i < Calls; i++) shard.Call(static (s, cx, n, tag) => s.Add(cx, n, tag), 1, "tag");
        }

        public void Subscribe(Cx<Client> cx) =>
            shard.Call(static (s, cx, f) => s.Subscribe(cx, f), cx.Fwd<Message>(static (c, cx, m) => c.Received += m.N + 1));

        public void Ask(Cx<Client> cx)
        {
            for (int i = 0; i < Calls; i++)
                shard.Call(static (s, cx, n, r) => s.Get(cx, n, r), 1, cx.Ret<long>(static (c, cx, v) =>
                {
                    if (v.HasValue) c.Answers++;
                    else c.None++;
                }));
        }
    }

    static (Core A, Core B, ActorOwn<Client> Client, ActorOwn<Shard> Shard) Start()
    {
        Core a = new(Instant.Zero), b = new(Instant.Zero);
        var shard = b.Spawn<Shard>(static cx => new Shard(), Ret.Nop<StopCause>());
        b.RunQueued();
        var client = a.Spawn<Client, CrossCoreActor<Shard>>(static (cx, s) => new Client(s), shard.Actor.CrossCore(), Ret.Nop<StopCause>());
        a.RunQueued();
        return (a, b, client, shard);
    }

    /// <summary>The least bytes one round allocated over three warm rounds (the runtime can charge a
    /// few bytes of its own to this thread now and then; a parcel per call shows in every round)</summary>
    /// <remarks>Six rounds in all: three to warm up, three measured.</remarks>
    static long LeastOfThree(Action round)
    {
        for (int i = 0; i < 3; i++) round();   // warm up: tiering, pools, spare batches
        long least = long.MaxValue;
        for (int i = 0; i < 3; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            round();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return least;
    }

    [Fact]
    public void Calls_WithTwoArguments_AllocateNothingOnceWarm()
    {
        var (a, b, client, shard) = Start();
        long bytes = LeastOfThree(() =>
        {
            client.Actor.Call(static (c, cx) => c.Send(cx));
            a.RunQueued();
            b.RunQueued();
        });
        // A parcel per call (at least 48 bytes) would be 48,000 bytes per round.
        Assert.True(bytes < 1000, $"{bytes} bytes for {Calls} cross-Core calls");
        Assert.Equal(6 * 4L * Calls, shard.Actor.Query(static (s, cx) => s.Total));
    }

    [Fact]
    public void Calls_WithARetAnsweredBack_AllocateNothingOnceWarm()
    {
        var (a, b, client, shard) = Start();
        long bytes = LeastOfThree(() =>
        {
            client.Actor.Call(static (c, cx) => c.Ask(cx));
            a.RunQueued();
            b.RunQueued();
            a.RunQueued();
        });
        // A parcel and a stand-in per call (well over 100 bytes) would be 100,000 bytes per round.
        Assert.True(bytes < 1000, $"{bytes} bytes for {Calls} cross-Core calls answered back");
        Assert.Equal(6L * Calls, client.Actor.Query(static (c, cx) => c.Answers));
        Assert.Equal(0, client.Actor.Query(static (c, cx) => c.None));
    }

    [Fact]
    public void FwdValues_TooLargeForASlot_AllocateNothingOnceWarm()
    {
        var (a, b, client, shard) = Start();
        client.Actor.Call(static (c, cx) => c.Subscribe(cx));
        a.RunQueued();
        b.RunQueued();
        long bytes = LeastOfThree(() =>
        {
            shard.Actor.Call(static (s, cx) => s.Publish(cx));
            b.RunQueued();
            a.RunQueued();
        });
        // A parcel per value (at least 48 bytes) would be 48,000 bytes per round.
        Assert.True(bytes < 1000, $"{bytes} bytes for {Calls} values sent across");
        // Six rounds of 1 + 2 + ... + 1000, each value counted once.
        Assert.Equal(6L * Calls * (Calls + 1) / 2, client.Actor.Query(static (c, cx) => c.Received));
    }

    [Fact]
    public void ReusedStandIns_StillAnswerEachRetOnce_AndAStaleHandleIsRefused()
    {
        var (a, b, client, shard) = Start();
        void Round()
        {
            client.Actor.Call(static (c, cx) => c.Ask(cx));
            a.RunQueued();
            b.RunQueued();
            a.RunQueued();
        }
        // Round one's stand-ins are answered, and the shard keeps their handles.
        shard.Actor.Call(static (s, cx) => s.KeepAnswered = true);
        Round();
        shard.Actor.Call(static (s, cx) => s.KeepAnswered = false);
        // Round two reuses those stand-ins for other Rets.
        Round();
        Assert.Equal(2L * Calls, client.Actor.Query(static (c, cx) => c.Answers));
        // A kept handle of round one is stale: it is refused, and does not answer round two's Rets.
        int refused = shard.Actor.Query(static (s, cx) =>
        {
            int n = 0;
            foreach (Ret<long> stale in s.Kept)
            {
                Assert.False(stale.IsPending);
                try { stale.Answer(-1); }
                catch (InvalidOperationException) { n++; }
            }
            return n;
        });
        a.RunQueued();
        Assert.Equal(Calls, refused);
        Assert.Equal(2L * Calls, client.Actor.Query(static (c, cx) => c.Answers));
    }

    [Fact]
    public void KeptStandIns_AnswerNoValueWhenTheirHolderStops_AfterReuse()
    {
        var (a, b, client, shard) = Start();
        for (int round = 0; round < 2; round++)
        {
            client.Actor.Call(static (c, cx) => c.Ask(cx));
            a.RunQueued();
            b.RunQueued();
            a.RunQueued();
        }
        // Now the shard keeps every Ret it gets (stand-ins from the pool), then stops.
        client.Actor.Call(static (c, cx) =>
        {
            for (int i = 0; i < 10; i++)
                c.Shard.Call(static (s, cx, r) => s.Keep(cx, r), cx.Ret<long>(static (c, cx, v) =>
                {
                    if (v.HasValue) c.Answers++;
                    else c.None++;
                }));
        });
        a.RunQueued();
        b.RunQueued();
        Assert.Equal(10, shard.Actor.Query(static (s, cx) => s.Kept.Count));
        shard.Dispose();
        b.RunQueued();
        a.RunQueued();
        Assert.Equal(10, client.Actor.Query(static (c, cx) => c.None));
        Assert.Equal(2L * Calls, client.Actor.Query(static (c, cx) => c.Answers));
    }
}
