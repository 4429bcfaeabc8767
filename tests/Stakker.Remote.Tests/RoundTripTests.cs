using Stakker.Remote.TestHost;

namespace Stakker.Remote.Tests;

/// <summary>Every supported argument type crosses a real NATS server and back unchanged</summary>
public sealed class RoundTripTests(ServerFixture f) : IClassFixture<ServerFixture>
{
    async Task<RemoteActor<IEcho>> EchoAsync(string name)
    {
        await f.B.PublishAsync<IEcho, Echo>(EchoRemote.Interface, name, static cx => new Echo());
        return await f.A.On(core => f.A.Node.Proxy(EchoRemote.Interface, name));
    }

    async Task<T> Through<T>(RemoteActor<IEcho> echo, Action<IEcho, Ret<T>> call)
    {
        Answer<T> a = await f.A.Ask<T>((core, r) => call(echo.Proxy, r)).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(a.HasValue);
        return a.Value;
    }

    [Fact]
    public async Task EveryArgumentType_ComesBackEqual()
    {
        var echo = await EchoAsync("echo-types");
        Assert.Equal(-42, await Through<int>(echo, (e, r) => e.Int(-42, r)));
        Assert.Equal(long.MinValue, await Through<long>(echo, (e, r) => e.Long(long.MinValue, r)));
        Assert.Equal(double.NaN, await Through<double>(echo, (e, r) => e.Double(double.NaN, r)));
        Assert.Equal("héllo ✓", await Through<string?>(echo, (e, r) => e.Text("héllo ✓", r)));
        Assert.Null(await Through<string?>(echo, (e, r) => e.Text(null, r)));
        Assert.Equal(new byte[] { 0, 1, 255 }, await Through<byte[]?>(echo, (e, r) => e.Bytes([0, 1, 255], r)));
        Assert.Equal(Colour.Blue, await Through<Colour>(echo, (e, r) => e.Colour(Colour.Blue, r)));
        Assert.Equal("7/seven/3/three", await Through<string>(echo, (e, r) => e.Many(7, "seven", new Inner(3, "three"), r)));

        var all = new Everything(true, 200, -100, -30000, 60000, int.MinValue, uint.MaxValue, long.MaxValue, ulong.MaxValue,
            1.5f, Math.PI, 12345.6789m, 'λ', "text", [9, 8], [1, -1], ["a", "b"], new() { ["k"] = 5 }, Guid.NewGuid(),
            new DateTime(2026, 12, 3, 8, 0, 0, DateTimeKind.Utc), TimeSpan.FromTicks(123456789),
            new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)), Colour.Green, null, new Inner(-1, null), (5, "five"));
        Everything back = await Through<Everything>(echo, (e, r) => e.All(all, r));
        // Records compare arrays and collections by reference: compare those element by element.
        Assert.Equal(all with { Bytes = null, Ints = null, Names = null, Map = null }, back with { Bytes = null, Ints = null, Names = null, Map = null });
        Assert.Equal(all.Bytes, back.Bytes);
        Assert.Equal(all.Ints, back.Ints);
        Assert.Equal(all.Names, back.Names);
        Assert.Equal(all.Map, back.Map);
    }

    [Fact]
    public async Task OlderSender_MissingTrailingArgument_GetsTheDefault_NewerSender_ExtraArgumentIgnored()
    {
        var echo = await EchoAsync("echo-versions");
        string subject = echo.Subject;
        // An older interface had Versioned(int a, Ret<string> back): two arguments on the wire.
        Answer<string> older = await f.A.Ask<string>((core, r) =>
        {
            var w = new RemoteSender(f.A.Node, subject, default).BeginCall(EchoRemote.MethodIds.Versioned, 2, 1);
            w.Value(5);
            w.Ret(r);
            w.Send();
        }).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("5:none", older.Value);
        // A newer interface added a trailing argument to Int: this receiver ignores it.
        Answer<int> newer = await f.A.Ask<int>((core, r) =>
        {
            var w = new RemoteSender(f.A.Node, subject, default).BeginCall(EchoRemote.MethodIds.Int, 3, 1);
            w.Value(7);
            w.Ret(r);
            w.Value("added later");
            w.Send();
        }).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(7, newer.Value);
    }
}
