namespace Stakker.Tests.Sharing;

public class ShareTests
{
    sealed class Tracked : IDisposable
    {
        public int Value;
        public int Disposals;
        public void Dispose() => Disposals++;
    }

    /// <summary>An actor that reads and writes shares through its context</summary>
    sealed class User
    {
        public readonly List<uint> Seen = [];
        public void Add(Cx<User> cx, Share<uint> s, uint n) => s.Rw(cx) += n;
        public void Read(Cx<User> cx, Share<uint> s) => Seen.Add(s.Ro(cx));
        public void Mix(Cx<User> cx, Share<uint> p1, Share<uint> p2, Share<ulong> p3)
        {
            (p1.Rw(cx), p2.Rw(cx)) = (p2.Ro(cx), p1.Ro(cx));
            p3.Rw(cx) += p2.Ro(cx) * 3UL + p1.Ro(cx);
        }
    }

    [Fact]
    public void RoRw_ThroughCore_ReadAndWriteTheSharedValue()
    {
        var core = new Core(Instant.Zero);
        using var p1 = new Share<uint>(core, 12345);
        Assert.Equal(12345u, p1.Ro(core));
        p1.Rw(core) += 11111;
        Assert.Equal(23456u, p1.Ro(core));

        using var p2 = new Share<uint>(core, 98765);
        (p1.Rw(core), p2.Rw(core)) = (p2.Ro(core), p1.Ro(core));
        Assert.Equal(98765u, p1.Ro(core));
        Assert.Equal(23456u, p2.Ro(core));

        using var p3 = new Share<ulong>(core, 13579);
        p3.Rw(core) += p2.Ro(core) * 3UL + p1.Ro(core);
        Assert.Equal(13579UL + 23456UL * 3 + 98765UL, p3.Ro(core));
    }

    [Fact]
    public void RoRw_ThroughCx_SeeEachOthersWritesInCallOrder()
    {
        var core = new Core(Instant.Zero);
        using var p1 = new Share<uint>(core, 23456);
        using var p2 = new Share<uint>(core, 98765);
        using var p3 = new Share<ulong>(core, 13579);
        using var a = core.Spawn<User>(static cx => new User(), Ret.Nop<StopCause>());
        using var b = core.Spawn<User>(static cx => new User(), Ret.Nop<StopCause>());
        b.Call(static (u, cx, s) => u.Read(cx, s), p1);
        a.Call(static (u, cx, s, n) => u.Add(cx, s, n), p1, 1u);
        b.Call(static (u, cx, s) => u.Read(cx, s), p1);
        a.Call(static (u, cx, x, y, z) => u.Mix(cx, x, y, z), p1, p2, p3);
        b.Call(static (u, cx, s) => u.Read(cx, s), p1);
        core.Run(core.Now, false);
        Assert.Equal([23456u, 23457u, 98765u], b.Actor.Query(static (u, cx) => u.Seen.ToList()));
        Assert.Equal(23457u, p2.Ro(core));
        Assert.Equal(13579UL + 23457UL * 3 + 98765UL, p3.Ro(core));
    }

    [Fact]
    public void RoRw_ReferenceType_SharesTheSameObject()
    {
        var core = new Core(Instant.Zero);
        var list = new List<int>();
        using var s = new Share<List<int>>(core, list);
        using var c = s.Clone();
        c.Rw(core).Add(1);
        Assert.Same(list, s.Ro(core));
        Assert.Equal([1], s.Ro(core));
    }

    [Fact]
    public void Clone_AndDispose_CountStrongReferences()
    {
        var core = new Core(Instant.Zero);
        var s = new Share<int>(core, 7);
        Assert.Equal(1, s.StrongCount);
        Assert.Equal(0, s.WeakCount);
        var c1 = s.Clone();
        var c2 = c1.Clone();
        Assert.Equal(3, s.StrongCount);
        Assert.Equal(3, c2.StrongCount);
        c1.Rw(core) = 8;
        Assert.Equal(8, c2.Ro(core));
        c1.Dispose();
        c1.Dispose();   // a second dispose of the same reference gives up nothing more
        Assert.Equal(2, s.StrongCount);
        s.Dispose();
        Assert.Equal(1, c2.StrongCount);
        Assert.Equal(8, c2.Ro(core));
        c2.Dispose();
        Assert.Equal(0, c2.StrongCount);
    }

    [Fact]
    public void Downgrade_AndTryUpgrade_WhileStrongRemains()
    {
        var core = new Core(Instant.Zero);
        var s = new Share<uint>(core, 12345);
        Assert.Equal(1, s.StrongCount);
        Assert.Equal(0, s.WeakCount);
        var w = s.Downgrade();
        Assert.Equal(1, s.StrongCount);
        Assert.Equal(1, s.WeakCount);
        Assert.Equal(1, w.StrongCount);
        Assert.Equal(1, w.WeakCount);

        Assert.True(w.TryUpgrade(out var up));
        Assert.Equal(12345u, up!.Ro(core));
        Assert.Equal(2, s.StrongCount);
        up.Dispose();
        Assert.Equal(1, s.StrongCount);

        s.Dispose();
        Assert.Equal(0, w.StrongCount);
        Assert.False(w.TryUpgrade(out var none));
        Assert.Null(none);
        w.Dispose();
        Assert.Equal(0, w.WeakCount);
    }

    [Fact]
    public void ShareWeak_Disposed_DoesNotUpgradeAndCountDrops()
    {
        var core = new Core(Instant.Zero);
        using var s = new Share<int>(core, 1);
        var w1 = s.Downgrade();
        var w2 = s.Downgrade();
        Assert.Equal(2, s.WeakCount);
        w1.Dispose();
        w1.Dispose();
        Assert.Equal(1, s.WeakCount);
        Assert.False(w1.TryUpgrade(out _));
        Assert.True(w2.TryUpgrade(out var up));
        up!.Dispose();
    }

    [Fact]
    public void Dispose_LastStrongReference_DisposesValueOnceAtThatMoment()
    {
        var core = new Core(Instant.Zero);
        var value = new Tracked { Value = 3 };
        var s = new Share<Tracked>(core, value);
        var c = s.Clone();
        var w = s.Downgrade();
        s.Dispose();
        Assert.Equal(0, value.Disposals);
        Assert.Same(value, c.Ro(core));
        c.Dispose();
        Assert.Equal(1, value.Disposals);   // at once, not at a garbage collection
        c.Dispose();
        Assert.Equal(1, value.Disposals);
        Assert.False(w.TryUpgrade(out _));
        w.Dispose();
        Assert.Equal(1, value.Disposals);   // weak references never dispose the value
    }

    [Fact]
    public void Dispose_UpgradedReferenceLast_DisposesValue()
    {
        var core = new Core(Instant.Zero);
        var value = new Tracked();
        var s = new Share<Tracked>(core, value);
        var w = s.Downgrade();
        Assert.True(w.TryUpgrade(out var up));
        s.Dispose();
        Assert.Equal(0, value.Disposals);
        up!.Dispose();
        Assert.Equal(1, value.Disposals);
    }

    [Fact]
    public void Access_AfterDispose_Throws()
    {
        var core = new Core(Instant.Zero);
        var s = new Share<int>(core, 1);
        using var keep = s.Clone();
        s.Dispose();
        Assert.Throws<InvalidOperationException>(() => s.Ro(core));
        Assert.Throws<InvalidOperationException>(() => s.Rw(core));
        Assert.Throws<InvalidOperationException>(() => s.Clone());
        Assert.Throws<InvalidOperationException>(() => s.Downgrade());
        Assert.Equal(1, keep.Ro(core));   // the other reference is unaffected
    }

    [Fact]
    public void Access_FromAnotherCore_Throws()
    {
        var core = new Core(Instant.Zero);
        var other = new Core(Instant.Zero);
        using var s = new Share<int>(core, 1);
        Assert.Throws<InvalidOperationException>(() => s.Ro(other));
        Assert.Throws<InvalidOperationException>(() => s.Rw(other));
        Assert.Throws<ArgumentNullException>(() => s.Ro(null!));
    }

    sealed class OtherCoreUser
    {
        public Exception? Caught;
        public void Touch(Cx<OtherCoreUser> cx, Share<int> s)
        {
            try { s.Rw(cx) = 99; }
            catch (Exception ex) { Caught = ex; }
        }
    }

    [Fact]
    public void Access_FromActorOfAnotherCore_Throws()
    {
        var core = new Core(Instant.Zero);
        var other = new Core(Instant.Zero);
        using var s = new Share<int>(core, 1);
        using var u = other.Spawn<OtherCoreUser>(static cx => new OtherCoreUser(), Ret.Nop<StopCause>());
        u.Call(static (a, cx, sh) => a.Touch(cx, sh), s);
        other.Run(other.Now, false);
        Assert.IsType<InvalidOperationException>(u.Actor.Query(static (a, cx) => a.Caught));
        Assert.Equal(1, s.Ro(core));
    }

    [Fact]
    public void Access_FromAnotherThread_Throws()
    {
        var core = new Core(Instant.Zero);
        using var s = new Share<int>(core, 1);
        var caught = new Exception?[5];
        var t = new Thread(() =>
        {
            caught[0] = Record(() => s.Ro(core));
            caught[1] = Record(() => s.Rw(core) = 2);
            caught[2] = Record(() => s.Clone());
            caught[3] = Record(() => s.Downgrade());
            caught[4] = Record(() => new Share<int>(core, 5));
        });
        t.Start();
        Assert.True(t.Join(TimeSpan.FromSeconds(30)));
        Assert.All(caught, e => Assert.IsType<InvalidOperationException>(e));
        Assert.Equal(1, s.Ro(core));
        Assert.Equal(1, s.StrongCount);
        Assert.Equal(0, s.WeakCount);

        static Exception? Record(Func<object?> f)
        {
            try { f(); return null; }
            catch (Exception ex) { return ex; }
        }
    }

    [Fact]
    public void Constructor_NullCore_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new Share<int>(null!, 1));
    }
}
