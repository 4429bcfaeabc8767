using System.Buffers.Binary;
using NATS.Client.Core;
using Stakker.Remote.TestHost;
using Stakker.Remote.Wire;

namespace Stakker.Remote.Tests;

/// <summary>Frames that break the format or its bounds are rejected with a logged error; the receiving actor lives on</summary>
public sealed class MalformedFrameTests(ServerFixture f) : IClassFixture<ServerFixture>
{
    static byte[] Frame(Action<FrameWriter> records)
    {
        var w = new FrameWriter();
        records(w);
        byte[] buffer = w.Take(out int length);
        return buffer.AsSpan(0, length).ToArray();
    }

    static byte[] CallFrame(uint method, byte argCount, byte endCount, byte[] rest) => Frame(w =>
    {
        int at = w.BeginRecord(RecordKind.Call);
        w.WriteUInt32(method);
        w.WriteByte(argCount);
        w.WriteByte(endCount);
        foreach (byte b in rest) w.WriteByte(b);
        w.EndRecord(at);
    });

    [Fact]
    public async Task BadFrames_Rejected_Logged_ActorKeepsAnswering()
    {
        await f.B.PublishAsync<IEcho, Echo>(EchoRemote.Interface, "frames", static cx => new Echo());
        var echo = await f.A.On(core => f.A.Node.Proxy(EchoRemote.Interface, "frames"));

        byte[] valid = Frame(_ => { });
        byte[] wrongVersion = (byte[])valid.Clone();
        wrongVersion[2] = 99;
        byte[] tooManyRecords = (byte[])valid.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(tooManyRecords.AsSpan(4), uint.MaxValue);
        byte[] cutShort = CallFrame(EchoRemote.MethodIds.Int, 1, 0, [4, 0, 0, 0, 1, 2, 3, 4])[..^3];
        byte[] argTooLong = CallFrame(EchoRemote.MethodIds.Int, 1, 0, [0xff, 0xff, 0xff, 0x7f, 1, 2, 3, 4]);
        // A string argument whose header claims a billion UTF-16 characters in four bytes.
        byte[] hugeString = CallFrame(EchoRemote.MethodIds.Text, 2, 1, [1, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0xff, 0x3f, 1, 0, 0, 0, 0]);
        // A byte array whose header claims a billion elements.
        byte[] hugeArray = CallFrame(EchoRemote.MethodIds.Bytes, 2, 1, [2, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0xff, 0x3f, 1, 0, 0, 0, 0]);
        byte[] tooManyArgs = CallFrame(EchoRemote.MethodIds.Int, 200, 0, []);
        byte[] unknownKind = Frame(w => { int at = w.BeginRecord((RecordKind)77); w.EndRecord(at); });
        byte[][] bad = [[1, 2, 3], "hello world"u8.ToArray(), wrongVersion, tooManyRecords, cutShort, argTooLong, hugeString, hugeArray, tooManyArgs, unknownKind];

        int errorsBefore = f.B.Log.Errors.Count;
        foreach (byte[] frame in bad)
            await f.A.Nats.PublishAsync(echo.Subject, frame, replyTo: "stakker.inbox.nobody", serializer: NatsRawSerializer<byte[]>.Default);
        // Sent on the same connection after the bad frames, so handled after them.
        Answer<int> after = await f.A.Ask<int>((core, r) => echo.Proxy.Int(11, r)).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(11, after.Value);
        string[] errors = f.B.Log.Errors.Skip(errorsBefore).ToArray();
        Assert.Equal(bad.Length, errors.Length);
        Assert.Contains(errors, e => e.Contains("unknown frame version 99", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("over MaxRecordsPerFrame", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("cannot read a String", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("cannot read a Byte[]", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("over the bound of 16", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OversizedFrame_RejectedWhole()
    {
        var small = new RemoteOptions { KeepAliveInterval = TimeSpan.FromMilliseconds(100), LostAfter = TimeSpan.FromMilliseconds(600), MaxFrameBytes = 4096, MaxOutstandingBytes = 1 << 20 };
        await using var b = await Side.StartAsync(f.Server.Url, small);
        await b.PublishAsync<IEcho, Echo>(EchoRemote.Interface, "small-frames", static cx => new Echo());
        var echo = await f.A.On(core => f.A.Node.Proxy(EchoRemote.Interface, "small-frames"));
        // 5,000 bytes in one argument: A's bound is 1 MiB, B's is 4 KiB.
        Answer<byte[]?> a = await f.A.Ask<byte[]?>((core, r) => echo.Proxy.Bytes(new byte[5000], r)).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(a.HasValue); // given up by A's loss timer: B refused the frame
        Assert.Contains(b.Log.Errors, e => e.Contains("over MaxFrameBytes", StringComparison.Ordinal));
        Assert.Equal(3, (await f.A.Ask<int>((core, r) => echo.Proxy.Int(3, r)).WaitAsync(TimeSpan.FromSeconds(10))).Value);
    }
}
