namespace Stakker.Redis;

/// <summary>What <see cref="RespParser.Parse"/> found at the start of the input</summary>
internal enum ParseResult : byte
{
    /// <summary>A command is in <see cref="RespParser.Args"/></summary>
    Command,
    /// <summary>An empty frame (blank inline line, <c>*0</c>, <c>*-1</c>) was skipped</summary>
    Empty,
    /// <summary>More bytes are needed; what was consumed is kept by the parser. <see cref="RespParser.NeedBytes"/>
    /// says how many bytes the input must hold (after the consumed ones) for the next step, when known.</summary>
    Incomplete,
    /// <summary>The frame is malformed; <see cref="RespParser.Error"/> has Redis's message. The connection must close.</summary>
    Error,
    /// <summary>The command being received passed <see cref="RespParser.MaxQueryBytes"/>: the connection must
    /// close without a reply, as Redis closes a client over its query buffer limit.</summary>
    TooLarge,
}

/// <summary>Splits a connection's input into commands: RESP multi-bulk frames and inline (telnet) lines</summary>
/// <remarks>
/// <para>Incremental: each argument of a multi-bulk frame is copied out and consumed as soon as its
/// bytes are there, so the input never holds more than one argument (plus what follows it), however
/// large the frame. A frame with a million small arguments is parsed in one pass, never again from
/// its start; an argument longer than the input buffer is announced through
/// <see cref="NeedBytes"/>. Limits and error texts follow Redis 7: 512 MB per argument
/// (<c>proto-max-bulk-len</c>), <see cref="int.MaxValue"/> arguments, 64 KiB for an inline line or a
/// length line, and <see cref="MaxQueryBytes"/> for one command in all.</para>
/// </remarks>
internal sealed class RespParser
{
    const int MaxInline = 64 * 1024;
    const long MaxBulk = 512L * 1024 * 1024;
    /// <summary>Memory counted per argument besides its bytes (the array object and its reference)</summary>
    const int ArgOverhead = 32;
    /// <summary>Argument lists longer than this are not kept for the next command</summary>
    const int KeptArgsCapacity = 1024;

    /// <summary>Most bytes one command may hold while it is received (Redis's <c>client-query-buffer-limit</c>, 1 GB)</summary>
    public long MaxQueryBytes = 1L << 30;

    /// <summary>Arguments of the multi-bulk frame in progress still to come; 0 between frames</summary>
    long _argsLeft;
    /// <summary>Length of the argument whose <c>$n</c> line was read and whose bytes are awaited; -1 if none</summary>
    long _bulkLength = -1;
    /// <summary>Memory held by the arguments of the frame in progress</summary>
    long _frameBytes;

    /// <summary>The arguments of the last command (name first)</summary>
    public List<byte[]> Args { get; private set; } = [];

    /// <summary>The error of the last <see cref="ParseResult.Error"/></summary>
    public string? Error;

    /// <summary>For <see cref="ParseResult.Incomplete"/>: bytes the input must hold, after the consumed ones, for
    /// the next argument; 0 if unknown (a length line not complete yet)</summary>
    public long NeedBytes;

    /// <summary>Parses what it can from <paramref name="input"/>; <paramref name="consumed"/> bytes were used
    /// (also for <see cref="ParseResult.Incomplete"/>) and must not be passed again</summary>
    public ParseResult Parse(ReadOnlySpan<byte> input, out int consumed)
    {
        consumed = 0;
        NeedBytes = 0;
        if (_argsLeft == 0)
        {
            // A list grown by a huge command is not kept for the small ones after it.
            if (Args.Capacity > KeptArgsCapacity) Args = [];
            else Args.Clear();
            if (input.IsEmpty) return ParseResult.Incomplete;
            if (input[0] != (byte)'*') return ParseInline(input, out consumed);
            ParseResult header = ParseCount(input, out consumed);
            if (header != ParseResult.Command) return header;
        }
        return ParseArgs(input, ref consumed);
    }

    ParseResult Fail(string message)
    {
        Error = "ERR Protocol error: " + message;
        _argsLeft = 0;
        _bulkLength = -1;
        return ParseResult.Error;
    }

    /// <summary>Reads <c>*count</c>; Command means "arguments follow"</summary>
    ParseResult ParseCount(ReadOnlySpan<byte> input, out int consumed)
    {
        consumed = 0;
        int cr = input.IndexOf((byte)'\r');
        if (cr < 0 || cr + 1 >= input.Length)
            return input.Length > MaxInline ? Fail("too big mbulk count string") : ParseResult.Incomplete;
        if (!TryParseLong(input[1..cr], out long count) || count > int.MaxValue) return Fail("invalid multibulk length");
        consumed = cr + 2;
        if (count <= 0) return ParseResult.Empty;
        _argsLeft = count;
        _bulkLength = -1;
        _frameBytes = 0;
        return ParseResult.Command;
    }

    /// <summary>Copies out every argument whose bytes are all there, consuming as it goes</summary>
    ParseResult ParseArgs(ReadOnlySpan<byte> input, ref int pos)
    {
        while (_argsLeft > 0)
        {
            if (_bulkLength < 0)
            {
                if (pos >= input.Length) return ParseResult.Incomplete;
                if (input[pos] != (byte)'$') return Fail("expected '$', got '" + (char)input[pos] + "'");
                int rel = input[pos..].IndexOf((byte)'\r');
                if (rel < 0 || pos + rel + 1 >= input.Length)
                    return input.Length - pos > MaxInline ? Fail("too big bulk count string") : ParseResult.Incomplete;
                if (!TryParseLong(input.Slice(pos + 1, rel - 1), out long len) || len < 0 || len > MaxBulk) return Fail("invalid bulk length");
                _frameBytes += len + ArgOverhead;
                if (_frameBytes > MaxQueryBytes)
                {
                    _argsLeft = 0;
                    _bulkLength = -1;
                    return ParseResult.TooLarge;
                }
                _bulkLength = len;
                pos += rel + 2;
            }
            if (input.Length - pos < _bulkLength + 2)
            {
                NeedBytes = _bulkLength + 2;
                return ParseResult.Incomplete;
            }
            int length = (int)_bulkLength;
            Args.Add(length == 0 ? [] : input.Slice(pos, length).ToArray());
            pos += length + 2;
            _bulkLength = -1;
            _argsLeft--;
        }
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
