using System.Text;

namespace Stakker.Redis.Tests.Fuzz;

/// <summary>Feeds a <see cref="RespParser"/> the way a connection does (unconsumed bytes kept, new ones
/// appended) and records what it makes of them, checking the parser's contract at every step</summary>
internal sealed class ParserConnection
{
    /// <summary>Most unconsumed bytes the parser may leave waiting when it cannot say how many it
    /// needs: one length or inline line (64 KiB) and the byte that shows it is too long</summary>
    const int MaxUnannounced = 64 * 1024 + 1;

    readonly RespParser _parser = new();
    byte[] _buffer = new byte[256];
    int _length;

    /// <summary>What came out: "cmd" lines with the arguments in hex, "empty", "error ...", "too large"</summary>
    public readonly List<string> Events = [];

    /// <summary>True once the parser said the connection must close</summary>
    public bool Closed { get; private set; }

    /// <summary>Largest number of bytes left unconsumed after a step</summary>
    public int MaxHeld { get; private set; }

    public void Feed(ReadOnlySpan<byte> chunk)
    {
        if (Closed) return;
        if (_length + chunk.Length > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + chunk.Length));
        chunk.CopyTo(_buffer.AsSpan(_length));
        _length += chunk.Length;
        for (;;)
        {
            ParseResult r = _parser.Parse(_buffer.AsSpan(0, _length), out int used);
            if (used < 0 || used > _length) throw new FuzzFailure($"consumed {used} of {_length} bytes");
            if (r is ParseResult.Command or ParseResult.Empty && used == 0 && _parser.Args.Count == 0)
                throw new FuzzFailure($"{r} without consuming anything");
            if (used > 0)
            {
                Buffer.BlockCopy(_buffer, used, _buffer, 0, _length - used);
                _length -= used;
            }
            MaxHeld = Math.Max(MaxHeld, _length);
            switch (r)
            {
                case ParseResult.Command:
                    if (_parser.Args.Count == 0) throw new FuzzFailure("a command of no arguments");
                    Events.Add("cmd " + string.Join(' ', _parser.Args.Select(Convert.ToHexString)));
                    continue;
                case ParseResult.Empty:
                    Events.Add("empty");
                    continue;
                case ParseResult.Incomplete:
                    // Held input must be announced (one argument, NeedBytes) or bounded by the line limit:
                    // otherwise a client could make the server keep any amount of junk.
                    if (_length > MaxUnannounced && _length > _parser.NeedBytes)
                        throw new FuzzFailure($"holds {_length} bytes unconsumed, announced {_parser.NeedBytes}");
                    return;
                case ParseResult.Error:
                    Events.Add("error " + _parser.Error);
                    Closed = true;
                    return;
                case ParseResult.TooLarge:
                    Events.Add("too large");
                    Closed = true;
                    return;
            }
        }
    }

    /// <summary>The events a correct parser gives for <paramref name="pieces"/>, where all are known</summary>
    public static List<string> Expected(IEnumerable<FuzzPiece> pieces)
    {
        var events = new List<string>();
        foreach (FuzzPiece p in pieces)
        {
            if (p.Command is { } args) events.Add("cmd " + string.Join(' ', args.Select(Convert.ToHexString)));
            else if (p.Error is { } e) events.Add("error " + e);
        }
        return events;
    }

    public static string Show(List<string> events) =>
        string.Join("\n", events.Select(e => e.Length > 120 ? e[..120] + "..." : e));
}

/// <summary>The parser broke its contract</summary>
internal sealed class FuzzFailure(string message) : Exception(message);

/// <summary>Text helpers for failure messages</summary>
internal static class FuzzText
{
    public static string Preview(byte[] bytes) =>
        Encoding.Latin1.GetString(bytes, 0, Math.Min(bytes.Length, 200)).Replace("\r", "\\r").Replace("\n", "\\n");
}
