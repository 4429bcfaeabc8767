namespace Stakker.Redis.Tests;

/// <summary>Replies crossing NATS between the processes of a distributed server: every kind comes back as it went,
/// in both protocols, and bytes that are not a reply are refused before anything is allocated from their lengths</summary>
public sealed class ReplyWireTests
{
    public static TheoryData<string> Kinds() => [.. Samples.Keys];

    static readonly byte[] s_stored = "xxkeyvalue"u8.ToArray();

    static readonly Dictionary<string, Reply> Samples = new()
    {
        ["simple"] = Reply.Ok,
        ["error"] = Reply.Error("ERR é and \r\n inside"),
        ["integer"] = Reply.Int(long.MinValue),
        ["bulk"] = Reply.Bulk("value"u8.ToArray()),
        ["bulk-after-key"] = Reply.Bulk(s_stored, 5, 5),
        ["bulk-with-room"] = Reply.Bulk("valueXXXX"u8.ToArray(), 5),
        ["empty-bulk"] = Reply.Bulk([]),
        ["nil"] = Reply.Nil,
        ["null-array"] = Reply.NullArray,
        ["raw"] = Reply.Raw("*1\r\n:5\r\n"u8.ToArray()),
        ["array"] = Reply.Array(["a"u8.ToArray(), null, []]),
        ["empty-array"] = Reply.EmptyArray,
        ["pairs"] = Reply.Pairs(["f"u8.ToArray(), "1"u8.ToArray(), "g"u8.ToArray(), null]),
        ["double"] = Reply.Double(-0.1),
        ["infinity"] = Reply.Double(double.PositiveInfinity),
        ["set"] = Reply.Set(["m"u8.ToArray()]),
        ["map"] = Reply.Map(["k"u8.ToArray(), "v"u8.ToArray()]),
        ["verbatim"] = Reply.Verbatim("# Server\r\nredis_version:7.2.4\r\n"),
        ["shaped"] = Reply.Shaped("*0\r\n"u8.ToArray(), "%0\r\n"u8.ToArray()),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryKind_ComesBackAsItWent_InBothProtocols(string kind)
    {
        Reply sent = Samples[kind];
        Reply got = ReplyWire.Decode(ReplyWire.Encode(sent));
        Assert.Equal(sent.Kind, got.Kind);
        Assert.Equal(Resp(sent, resp3: false), Resp(got, resp3: false));
        Assert.Equal(Resp(sent, resp3: true), Resp(got, resp3: true));
    }

    static string Resp(Reply reply, bool resp3)
    {
        var w = new System.Buffers.ArrayBufferWriter<byte>();
        reply.WriteTo(w, resp3);
        return System.Text.Encoding.UTF8.GetString(w.WrittenSpan);
    }

    [Fact]
    public void Figures_ComeBackAsTheyWent()
    {
        var sent = new ShardFigures("# Keyspace\r\ndb0:keys=3\r\n", 3, 1, 7, 1000, 4, 2);
        Assert.Equal(sent, ReplyWire.DecodeFigures(ReplyWire.Encode(sent)));
    }

    [Fact]
    public void MalformedBytes_AreRefused_WithoutAllocatingWhatTheyClaim()
    {
        byte[] array = ReplyWire.Encode(Reply.Array(["abc"u8.ToArray()]));
        Assert.Throws<FormatException>(() => ReplyWire.Decode([]));
        Assert.Throws<FormatException>(() => ReplyWire.Decode([200]));                      // no such kind
        Assert.Throws<FormatException>(() => ReplyWire.Decode(array.AsSpan(0, array.Length - 1)));   // cut short
        Assert.Throws<FormatException>(() => ReplyWire.Decode([.. array, 0]));              // bytes after the end
        // A count of two billion items in a nine-byte message: refused before an array of that size is made.
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<FormatException>(() => ReplyWire.Decode([(byte)ReplyKind.BulkArray, 0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0]));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024);
        // A length past the end, a negative one, a null where bytes belong.
        Assert.Throws<FormatException>(() => ReplyWire.Decode([(byte)ReplyKind.Bulk, 0xff, 0xff, 0xff, 0x7f]));
        Assert.Throws<FormatException>(() => ReplyWire.Decode([(byte)ReplyKind.Bulk, 0xfe, 0xff, 0xff, 0xff]));
        Assert.Throws<FormatException>(() => ReplyWire.Decode([(byte)ReplyKind.Raw, 0xff, 0xff, 0xff, 0xff]));
        Assert.Throws<FormatException>(() => ReplyWire.DecodeFigures([1, 0, 0, 0, (byte)'x']));
    }
}
