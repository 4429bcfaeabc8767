using System.Globalization;

namespace Stakker.Redis;

/// <summary>The sizes past which Redis 7.0 stores a small hash, set or sorted set in its general form rather
/// than its compact one (<c>hash-max-listpack-*</c>, <c>set-max-intset-entries</c>, <c>zset-max-listpack-*</c>): values here change form at
/// the same points, so OBJECT ENCODING answers as Redis would and small values stay small</summary>
/// <remarks>Set by CONFIG SET, read by the keyspace on every write; both run on the server's Core.
/// The <c>ziplist</c> names are Redis's aliases of the <c>listpack</c> ones.</remarks>
internal sealed class EncodingThresholds
{
    /// <summary>Most fields a hash keeps in its packed form (<c>hash-max-listpack-entries</c>)</summary>
    public long HashMaxEntries = 512;
    /// <summary>Longest field or value a packed hash holds (<c>hash-max-listpack-value</c>)</summary>
    public long HashMaxValue = 64;
    /// <summary>Most members a set of integers keeps as a sorted array (<c>set-max-intset-entries</c>)</summary>
    public long SetMaxIntsetEntries = 512;
    /// <summary>Most members a sorted set keeps in its packed form (<c>zset-max-listpack-entries</c>)</summary>
    public long ZsetMaxEntries = 128;
    /// <summary>Longest member a packed sorted set holds (<c>zset-max-listpack-value</c>)</summary>
    public long ZsetMaxValue = 64;

    /// <summary>Redis caps the integer set at 2^30 members whatever the setting</summary>
    public long IntsetCap => Math.Min(SetMaxIntsetEntries, 1 << 30);

    /// <summary>The settings this class owns, each with its alias (or null)</summary>
    static readonly (string Name, string? Alias, bool Memory, bool Signed)[] s_names =
    [
        ("hash-max-listpack-entries", "hash-max-ziplist-entries", false, false),
        ("hash-max-listpack-value", "hash-max-ziplist-value", true, false),
        ("set-max-intset-entries", null, false, false),
        ("zset-max-listpack-entries", "zset-max-ziplist-entries", false, false),
        ("zset-max-listpack-value", "zset-max-ziplist-value", true, false),
        // Negative sizes count kilobytes per quicklist node; every list here is a quicklist (Redis 7.0),
        // so the setting is only kept, under both names.
        ("list-max-listpack-size", "list-max-ziplist-size", false, true),
    ];

    /// <summary>The canonical name and whether it takes a memory size, for a setting this class owns</summary>
    static (string Name, string? Alias, bool Memory, bool Signed)? Owned(string name)
    {
        foreach (var n in s_names)
            if (string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase) || string.Equals(n.Alias, name, StringComparison.OrdinalIgnoreCase)) return n;
        return null;
    }

    /// <summary>Why <paramref name="value"/> cannot be set for <paramref name="name"/> (Redis's words), or null if it can
    /// or the setting is not one of these</summary>
    public static string? Check(string name, string value) => Owned(name) is { } n && !TryParse(value, n.Memory, n.Signed, out _, out string? why) ? why : null;

    /// <summary>Sets a checked value (under both names); false if the setting is not one of these</summary>
    public bool Apply(string name, string value, Dictionary<string, string> values)
    {
        if (Owned(name) is not { } n || !TryParse(value, n.Memory, n.Signed, out long v, out _)) return false;
        string text = v.ToString(CultureInfo.InvariantCulture);
        values[n.Name] = text;
        if (n.Alias is not null) values[n.Alias] = text;
        switch (n.Name)
        {
            case "hash-max-listpack-entries": HashMaxEntries = v; break;
            case "hash-max-listpack-value": HashMaxValue = v; break;
            case "zset-max-listpack-entries": ZsetMaxEntries = v; break;
            case "zset-max-listpack-value": ZsetMaxValue = v; break;
            case "set-max-intset-entries": SetMaxIntsetEntries = v; break;
        }
        return true;
    }

    static bool TryParse(string text, bool memory, bool signed, out long value, out string? why)
    {
        why = null;
        if (memory)
        {
            if (!Settings.TryParseBytes(text, out value)) { why = "argument must be a memory value"; return false; }
            return true;
        }
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            why = "argument couldn't be parsed into an integer";
            return false;
        }
        if (signed)
        {
            if (value is < int.MinValue or > int.MaxValue)
            {
                why = "argument must be between -2147483648 and 2147483647 inclusive";
                return false;
            }
            return true;
        }
        if (value < 0)
        {
            why = "argument must be between 0 and 9223372036854775807 inclusive";
            return false;
        }
        return true;
    }
}
