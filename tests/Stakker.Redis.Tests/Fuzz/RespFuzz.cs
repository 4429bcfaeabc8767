using System.Text;

namespace Stakker.Redis.Tests.Fuzz;

/// <summary>One piece of a fuzzed input: its bytes and what a correct server makes of it</summary>
/// <param name="Bytes">What is sent.</param>
/// <param name="Command">For a well-formed command: its arguments; null otherwise.</param>
/// <param name="Error">For a frame with a known fault: the protocol error Redis gives; null otherwise.</param>
/// <param name="Known">False for a random mutation, whose outcome is not predicted.</param>
internal sealed record FuzzPiece(byte[] Bytes, byte[][]? Command, string? Error, bool Known);

/// <summary>Seeded generator of RESP input: well-formed frames (binary arguments, inline lines) and
/// malformed, truncated, oversized and random ones; a seed always gives the same bytes</summary>
internal sealed class RespFuzz(int seed)
{
    readonly Random _rng = new(seed);

    public int Seed { get; } = seed;

    public Random Random => _rng;

    /// <summary>Put before every generated command name (a live server then answers each with
    /// "unknown command", whatever bytes the name has)</summary>
    public string NamePrefix { get; init; } = "";

    /// <summary>Up to <paramref name="pieces"/> pieces; well-formed ones first drawn with probability
    /// <paramref name="validShare"/>; a piece with a fault ends the list (the connection closes there)</summary>
    public List<FuzzPiece> Stream(int pieces, double validShare)
    {
        var list = new List<FuzzPiece>();
        for (int i = 0; i < pieces; i++)
        {
            FuzzPiece p = _rng.NextDouble() < validShare ? Valid() : Faulty();
            list.Add(p);
            if (p.Command is null && !(p.Known && p.Error is null)) break;
        }
        return list;
    }

    /// <summary>A well-formed command: mostly a multi-bulk frame, sometimes an inline line</summary>
    public FuzzPiece Valid()
    {
        if (_rng.Next(6) == 0)
        {
            // Inline: plain words (the quoting rules have their own unit tests).
            var words = new byte[_rng.Next(1, 6)][];
            for (int i = 0; i < words.Length; i++) words[i] = Encoding.ASCII.GetBytes((i == 0 ? NamePrefix : "") + Word());
            string line = string.Join(' ', words.Select(w => Encoding.ASCII.GetString(w))) + (_rng.Next(2) == 0 ? "\r\n" : "\n");
            return new FuzzPiece(Encoding.ASCII.GetBytes(line), words, null, true);
        }
        var args = new byte[_rng.Next(1, 9)][];
        for (int i = 0; i < args.Length; i++) args[i] = Binary();
        if (NamePrefix.Length > 0) args[0] = [.. Encoding.ASCII.GetBytes(NamePrefix), .. args[0]];
        return new FuzzPiece(RawClient.Frame(args), args, null, true);
    }

    string Word()
    {
        var sb = new StringBuilder();
        int n = _rng.Next(1, 12);
        for (int i = 0; i < n; i++) sb.Append((char)_rng.Next('a', 'z' + 1));
        return sb.ToString();
    }

    /// <summary>Any bytes, CR and LF included; now and then longer than the 64 KiB line limit</summary>
    byte[] Binary()
    {
        int len = _rng.Next(100) switch
        {
            < 10 => 0,
            < 85 => _rng.Next(1, 40),
            < 99 => _rng.Next(40, 2000),
            _ => _rng.Next(60_000, 140_000),
        };
        var b = new byte[len];
        _rng.NextBytes(b);
        return b;
    }

    /// <summary>A frame with a fault: either one whose error is known, or a random mutation of a good one</summary>
    public FuzzPiece Faulty()
    {
        switch (_rng.Next(12))
        {
            case 0: return Known("*" + Big() + "\r\n", "ERR Protocol error: invalid multibulk length");
            case 1: return Known("*1\r\n$" + (512L * 1024 * 1024 + 1 + _rng.Next(1000)) + "\r\n", "ERR Protocol error: invalid bulk length");
            case 2: return Known("*1\r\n$-" + _rng.Next(1, 100) + "\r\n", "ERR Protocol error: invalid bulk length");
            case 3: return Known("*" + _rng.Next(1, 5) + "\r\n$0" + _rng.Next(1, 9) + "\r\n", "ERR Protocol error: invalid bulk length");   // leading zero
            case 4:
            {
                char c = (char)_rng.Next(33, 127);
                if (c == '$') c = '+';
                return Known("*2\r\n" + c + "3\r\nGET\r\n", "ERR Protocol error: expected '$', got '" + c + "'");
            }
            case 5: return Known("*" + new string('1', 70_000), "ERR Protocol error: too big mbulk count string");
            case 6: return Known("*1\r\n$" + new string('2', 70_000), "ERR Protocol error: too big bulk count string");
            case 7: return Known(Word() + new string('x', 70_000), "ERR Protocol error: too big inline request");
            case 8: return Known("set \"" + Word() + "\r\n", "ERR Protocol error: unbalanced quotes in request");
            case 9: return Known("*+" + _rng.Next(1, 9) + "\r\n", "ERR Protocol error: invalid multibulk length");
            default:
            {
                // A good frame with bytes flipped, cut, or garbage spliced in: the outcome is not predicted,
                // only that it is the same however the bytes arrive, and that nothing else breaks.
                byte[] b = Valid().Bytes;
                var list = b.ToList();
                int edits = _rng.Next(1, 4);
                for (int e = 0; e < edits && list.Count > 0; e++)
                {
                    int at = _rng.Next(list.Count);
                    switch (_rng.Next(4))
                    {
                        case 0: list[at] = (byte)_rng.Next(256); break;
                        case 1: list.RemoveRange(at, Math.Min(list.Count - at, _rng.Next(1, 8))); break;
                        case 2: list.InsertRange(at, Enumerable.Range(0, _rng.Next(1, 8)).Select(_ => (byte)_rng.Next(256))); break;
                        default: list.Insert(at, (byte)"\r\n*$-0123456789"[_rng.Next(15)]); break;
                    }
                }
                return new FuzzPiece([.. list], null, null, false);
            }
        }
    }

    string Big() => _rng.Next(3) switch
    {
        0 => ((long)int.MaxValue + 1 + _rng.Next(1000)).ToString(System.Globalization.CultureInfo.InvariantCulture),
        1 => "99999999999999999999999",
        _ => "12x",
    };

    static FuzzPiece Known(string text, string error) => new(Encoding.Latin1.GetBytes(text), null, error, true);

    /// <summary>Cuts <paramref name="bytes"/> into chunks as a network might deliver them</summary>
    public List<ArraySegment<byte>> Chunks(byte[] bytes)
    {
        var chunks = new List<ArraySegment<byte>>();
        // Byte by byte only for short input: the point is every cut position, not the time it takes.
        int style = _rng.Next(4);
        if (style == 0 && bytes.Length > 20_000) style = 2;
        for (int pos = 0; pos < bytes.Length;)
        {
            int n = style switch
            {
                0 => 1,
                1 => _rng.Next(1, 16),
                2 => _rng.Next(1, 4096),
                _ => _rng.Next(1, 70_000),
            };
            n = Math.Min(n, bytes.Length - pos);
            chunks.Add(new ArraySegment<byte>(bytes, pos, n));
            pos += n;
        }
        return chunks;
    }
}
