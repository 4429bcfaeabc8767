namespace Stakker.Redis;

/// <summary>What <see cref="RespParser.Parse"/> found at the start of the input</summary>
internal enum ParseResult : byte
{
    /// <summary>A command is in <see cref="RespParser.Args"/></summary>
    Command,
    /// <summary>An empty frame (blank inline line, <c>*0</c>, <c>*-1</c>) was skipped</summary>
    Empty,
    /// <summary>More bytes are needed; <see cref="RespParser.NeedBytes"/> says how many in total, when known</summary>
    Incomplete,
    /// <summary>The frame is malformed; <see cref="RespParser.Error"/> has Redis's message. The connection must close.</summary>
    Error,
}

/// <summary>Splits a connection's input into commands: RESP multi-bulk frames and inline (telnet) lines</summary>
/// <remarks>
/// Stateless between calls: an incomplete frame is parsed again from its start when more bytes
/// arrive. The first pass records where each argument lies; arguments are copied out only once the
/// whole frame is present. Limits and error texts follow Redis 7.
/// </remarks>
internal sealed class RespParser
{
    const int MaxInline = 64 * 1024;
    const long MaxBulk = 512L * 1024 * 1024;

    readonly List<(int Start, int Length)> _ranges = [];

    /// <summary>The arguments of the last command (name first)</summary>
    public readonly List<byte[]> Args = [];

    /// <summary>The error of the last <see cref="ParseResult.Error"/></summary>
    public string? Error;

    /// <summary>For <see cref="ParseResult.Incomplete"/>: total bytes the frame needs, or 0 if unknown</summary>
    public long NeedBytes;

    public ParseResult Parse(ReadOnlySpan<byte> input, out int consumed)
    {
        consumed = 0;
        NeedBytes = 0;
        Args.Clear();
        if (input.IsEmpty) return ParseResult.Incomplete;
        return input[0] == (byte)'*' ? ParseMultiBulk(input, out consumed) : ParseInline(input, out consumed);
    }

    ParseResult Fail(string message)
    {
        Error = "ERR Protocol error: " + message;
        return ParseResult.Error;
    }

    ParseResult ParseMultiBulk(ReadOnlySpan<byte> input, out int consumed)
    {
        consumed = 0;
        int cr = input.IndexOf((byte)'\r');
        if (cr < 0 || cr + 1 >= input.Length)
            return input.Length > MaxInline ? Fail("too big mbulk count string") : ParseResult.Incomplete;
        if (!TryParseLong(input[1..cr], out long count) || count > int.MaxValue) return Fail("invalid multibulk length");
        int pos = cr + 2;
        if (count <= 0)
        {
            consumed = pos;
            return ParseResult.Empty;
        }
        _ranges.Clear();
        for (long i = 0; i < count; i++)
        {
            if (pos >= input.Length) return ParseResult.Incomplete;
            if (input[pos] != (byte)'$') return Fail("expected '$', got '" + (char)input[pos] + "'");
            int rel = input[pos..].IndexOf((byte)'\r');
            if (rel < 0 || pos + rel + 1 >= input.Length)
                return input.Length - pos > MaxInline ? Fail("too big bulk count string") : ParseResult.Incomplete;
            if (!TryParseLong(input.Slice(pos + 1, rel - 1), out long len) || len < 0 || len > MaxBulk) return Fail("invalid bulk length");
            int start = pos + rel + 2;
            long end = start + len + 2;
            if (end > input.Length)
            {
                NeedBytes = end;
                return ParseResult.Incomplete;
            }
            _ranges.Add((start, (int)len));
            pos = (int)end;
        }
        foreach (var (start, length) in _ranges) Args.Add(input.Slice(start, length).ToArray());
        consumed = pos;
        return ParseResult.Command;
    }

    ParseResult ParseInline(ReadOnlySpan<byte> input, out int consumed)
    {
        consumed = 0;
        int nl = input.IndexOf((byte)'\n');
        if (nl < 0) return input.Length > MaxInline ? Fail("too big inline request") : ParseResult.Incomplete;
        ReadOnlySpan<byte> line = input[..nl];
        if (!line.IsEmpty && line[^1] == (byte)'\r') line = line[..^1];
        consumed = nl + 1;
        if (!SplitArgs(line, Args)) return Fail("unbalanced quotes in request");
        return Args.Count == 0 ? ParseResult.Empty : ParseResult.Command;
    }

    /// <summary>Splits an inline line like Redis's sdssplitargs: blanks separate, "..." with C escapes, '...' literal</summary>
    static bool SplitArgs(ReadOnlySpan<byte> line, List<byte[]> args)
    {
        int p = 0;
        var current = new List<byte>();
        for (;;)
        {
            while (p < line.Length && IsSpace(line[p])) p++;
            if (At(line, p) == 0) return true;
            bool inq = false, insq = false, done = false;
            current.Clear();
            while (!done)
            {
                byte c = At(line, p);
                if (inq)
                {
                    if (c == '\\' && At(line, p + 1) == 'x' && IsHex(At(line, p + 2)) && IsHex(At(line, p + 3)))
                    {
                        current.Add((byte)(HexValue(At(line, p + 2)) * 16 + HexValue(At(line, p + 3))));
                        p += 3;
                    }
                    else if (c == '\\' && At(line, p + 1) != 0)
                    {
                        p++;
                        current.Add(At(line, p) switch
                        {
                            (byte)'n' => (byte)'\n',
                            (byte)'r' => (byte)'\r',
                            (byte)'t' => (byte)'\t',
                            (byte)'b' => (byte)'\b',
                            (byte)'a' => (byte)'\a',
                            var other => other,
                        });
                    }
                    else if (c == '"')
                    {
                        // The closing quote must be followed by a blank or the end.
                        if (At(line, p + 1) != 0 && !IsSpace(At(line, p + 1))) return false;
                        done = true;
                    }
                    else if (c == 0) return false;
                    else current.Add(c);
                }
                else if (insq)
                {
                    if (c == '\\' && At(line, p + 1) == '\'')
                    {
                        p++;
                        current.Add((byte)'\'');
                    }
                    else if (c == '\'')
                    {
                        if (At(line, p + 1) != 0 && !IsSpace(At(line, p + 1))) return false;
                        done = true;
                    }
                    else if (c == 0) return false;
                    else current.Add(c);
                }
                else
                {
                    switch (c)
                    {
                        case (byte)' ': case (byte)'\n': case (byte)'\r': case (byte)'\t': case 0: done = true; break;
                        case (byte)'"': inq = true; break;
                        case (byte)'\'': insq = true; break;
                        default: current.Add(c); break;
                    }
                }
                if (At(line, p) != 0) p++;
            }
            args.Add([.. current]);
        }
    }

    static byte At(ReadOnlySpan<byte> line, int i) => i < line.Length ? line[i] : (byte)0;

    static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\v' or (byte)'\f';
    static bool IsHex(byte c) => c is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';
    static int HexValue(byte c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    /// <summary>Parses a decimal integer the way Redis's string2ll does: optional '-', no '+', no leading zeros, no blanks</summary>
    public static bool TryParseLong(ReadOnlySpan<byte> s, out long value)
    {
        value = 0;
        if (s.IsEmpty || s.Length > 20) return false;
        if (s.Length == 1 && s[0] == '0') return true;
        bool negative = s[0] == '-';
        int i = negative ? 1 : 0;
        if (i >= s.Length || s[i] < '1' || s[i] > '9') return false;
        ulong v = 0;
        for (; i < s.Length; i++)
        {
            uint d = (uint)(s[i] - '0');
            if (d > 9) return false;
            if (v > (ulong.MaxValue - d) / 10) return false;
            v = v * 10 + d;
        }
        if (negative)
        {
            if (v > (ulong)long.MaxValue + 1) return false;
            value = (long)(0 - v);
        }
        else
        {
            if (v > long.MaxValue) return false;
            value = (long)v;
        }
        return true;
    }
}
