using System.Buffers;

namespace Stakker.Redis;

/// <summary>Builds a reply with scores in both protocols at once: RESP2 writes a score as a bulk string and
/// WITHSCORES pairs flat, RESP3 writes a double (<c>,1.5</c>) and each pair as an array of two, as Redis 7.0 does</summary>
/// <remarks>The keyspace does not know a client's protocol; the connection picks the encoding when it writes.</remarks>
internal sealed class ScoredReply
{
    readonly ArrayBufferWriter<byte> _resp2 = new(64);
    readonly ArrayBufferWriter<byte> _resp3 = new(64);

    public ScoredReply Array(long count) => Array(count, count);

    /// <summary>An array whose length differs: RESP2 counts flat pairs, RESP3 counts the pairs</summary>
    public ScoredReply Array(long resp2Count, long resp3Count)
    {
        Resp.WriteHeader(_resp2, (byte)'*', resp2Count);
        Resp.WriteHeader(_resp3, (byte)'*', resp3Count);
        return this;
    }

    /// <summary>Opens a member-score pair: an array of two in RESP3, nothing in RESP2</summary>
    public ScoredReply Pair()
    {
        Resp.WriteHeader(_resp3, (byte)'*', 2);
        return this;
    }

    public ScoredReply Bulk(ReadOnlySpan<byte> bytes)
    {
        Resp.WriteBulk(_resp2, bytes);
        Resp.WriteBulk(_resp3, bytes);
        return this;
    }

    public ScoredReply Score(double d)
    {
        string text = Scores.Format(d);
        Resp.WriteBulk(_resp2, text);
        Resp.WriteLine(_resp3, (byte)',', text);
        return this;
    }

    public ScoredReply Nil()
    {
        Resp.WriteNil(_resp2);
        Resp.WriteRaw(_resp3, "_\r\n"u8);
        return this;
    }

    public Reply ToReply() => Reply.Dual(_resp2.WrittenSpan.ToArray(), _resp3.WrittenSpan.ToArray());

    /// <summary>One score: ZSCORE, ZINCRBY, ZADD INCR</summary>
    public static Reply Of(double d) => new ScoredReply().Score(d).ToReply();
}
