namespace Stakker.Tests.Load;

/// <summary>Many senders, one receiver: the single global queue keeps each sender's order</summary>
public class InterleavedCallTests
{
    sealed class Receiver(int senders)
    {
        public readonly int[] Next = new int[senders];
        public long Count;
        public int OutOfOrder;

        public void Got(Cx<Receiver> cx, int sender, int seq)
        {
            if (Next[sender] != seq) OutOfOrder++;
            Next[sender] = seq + 1;
            Count++;
        }
    }

    sealed class Sender(Actor<Receiver> to, int id)
    {
        public int Seq;

        public void Send(Cx<Sender> cx, int n)
        {
            for (int i = 0; i < n; i++) to.Call(static (r, cx, s, q) => r.Got(cx, s, q), id, Seq++);
        }
    }

    [Fact]
    public void Call_MillionFromHundredActorsInterleaved_ArriveInPerSenderOrder()
    {
        const int Senders = 100;
        const int Total = 1_000_000;
        var rnd = new Random(77);
        var core = new Core(Instant.Zero);
        using var receiver = core.Spawn<Receiver, int>(static (cx, n) => new Receiver(n), Senders, Ret.Nop<StopCause>());
        var senders = new ActorOwn<Sender>[Senders];
        for (int i = 0; i < Senders; i++)
            senders[i] = core.Spawn<Sender, Actor<Receiver>, int>(static (cx, r, id) => new Sender(r, id), receiver.Actor, i, Ret.Nop<StopCause>());

        int sent = 0;
        int sinceRun = 0;
        int runs = 0;
        while (sent < Total)
        {
            int n = Math.Min(Total - sent, 1 + rnd.Next(rnd.Next(2) == 0 ? 3 : 40));
            senders[rnd.Next(Senders)].Call(static (s, cx, n) => s.Send(cx, n), n);
            sent += n;
            sinceRun += n;
            if (sinceRun > rnd.Next(20_000))
            {
                core.Run(core.Now, false);
                sinceRun = 0;
                runs++;
            }
        }
        core.Run(core.Now, false);

        var (count, outOfOrder, next) = receiver.Actor.Query(static (r, cx) => (r.Count, r.OutOfOrder, r.Next.ToArray()));
        Assert.Equal(Total, count);
        Assert.Equal(0, outOfOrder);
        for (int i = 0; i < Senders; i++) Assert.Equal(senders[i].Actor.Query(static (s, cx) => s.Seq), next[i]);
        Assert.True(next.Min() > 5_000, "every sender took part");
        Assert.True(runs > 50);
        foreach (var s in senders) s.Dispose();
    }
}
