using System.Globalization;

namespace Stakker.Redis;

/// <summary>One client class's output buffer limit: disconnect at <see cref="Hard"/> bytes pending, or after
/// more than <see cref="SoftSeconds"/> spent at or above <see cref="Soft"/>; 0 turns a limit off</summary>
internal readonly record struct OutputLimit(long Hard, long Soft, long SoftSeconds)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Hard} {Soft} {SoftSeconds}");
}

/// <summary>Redis's <c>client-output-buffer-limit</c>: a limit per client class, shared by every connection</summary>
/// <remarks>
/// Defaults as Redis 7: normal <c>0 0 0</c> (none: a normal client is held back by back-pressure
/// instead), pubsub <c>32mb 8mb 60</c>. The replica class is kept only so CONFIG GET reads as Redis's
/// (there are no replicas). Changed by <c>CONFIG SET client-output-buffer-limit</c> or the
/// <c>--client-output-buffer-limit</c> option, in Redis's syntax; lives on the server's Core thread.
/// </remarks>
internal sealed class OutputLimits
{
    public OutputLimit Normal { get; private set; } = new(0, 0, 0);
    public OutputLimit Replica { get; private set; } = new(256L << 20, 64L << 20, 60);
    public OutputLimit PubSub { get; private set; } = new(32L << 20, 8L << 20, 60);

    /// <summary>Output below this cannot break any limit: the per-write check stops there</summary>
    public long Floor { get; private set; }

    public OutputLimits() => Floor = ComputeFloor();

    public OutputLimit For(bool pubsub) => pubsub ? PubSub : Normal;

    /// <summary>As CONFIG GET shows it</summary>
    public string Format() => $"normal {Normal} slave {Replica} pubsub {PubSub}";

    /// <summary>Applies <c>class hard soft seconds [class hard soft seconds ...]</c>; nothing changes on an error</summary>
    /// <returns>Null, or Redis's description of what is wrong.</returns>
    public string? TrySet(string spec)
    {
        string[] words = spec.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length % 4 != 0) return "Wrong number of arguments in buffer limit configuration.";
        OutputLimit normal = Normal, replica = Replica, pubsub = PubSub;
        for (int i = 0; i < words.Length; i += 4)
        {
            string cls = words[i].ToLowerInvariant();
            if (cls is not ("normal" or "slave" or "replica" or "pubsub")) return "Invalid client class specified in buffer limit configuration.";
            if (!TryParseMemory(words[i + 1], out long hard) || !TryParseMemory(words[i + 2], out long soft)
                || !long.TryParse(words[i + 3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long seconds) || seconds < 0)
                return "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
            var limit = new OutputLimit(hard, soft, seconds);
            if (cls == "normal") normal = limit;
            else if (cls == "pubsub") pubsub = limit;
            else replica = limit;
        }
        (Normal, Replica, PubSub) = (normal, replica, pubsub);
        Floor = ComputeFloor();
        return null;
    }

    long ComputeFloor()
    {
        long floor = long.MaxValue;
        foreach (long v in (ReadOnlySpan<long>)[Normal.Hard, Normal.Soft, PubSub.Hard, PubSub.Soft])
            if (v > 0 && v < floor) floor = v;
        return floor;
    }

    /// <summary>A byte count as Redis's memtoull reads it: digits, then b, k (1000), kb (1024), m, mb, g or gb</summary>
    static bool TryParseMemory(string text, out long bytes)
    {
        bytes = 0;
        int digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits])) digits++;
        if (digits == 0 || !long.TryParse(text.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out long n)) return false;
        long unit = text[digits..].ToLowerInvariant() switch
        {
            "" or "b" => 1,
            "k" => 1000,
            "kb" => 1024,
            "m" => 1000 * 1000,
            "mb" => 1024 * 1024,
            "g" => 1000L * 1000 * 1000,
            "gb" => 1024L * 1024 * 1024,
            _ => 0,
        };
        if (unit == 0 || n > long.MaxValue / unit) return false;
        bytes = n * unit;
        return true;
    }
}

/// <summary>Why a connection was dropped: its pending output passed its class's limit</summary>
internal sealed class OutputBufferLimitException(string message) : Exception(message);
