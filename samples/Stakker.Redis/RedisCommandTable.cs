namespace Stakker.Redis;

/// <summary>One command as redis-server 7.0.15's COMMAND describes it</summary>
internal sealed record RedisCommandSpec(string Name, int Arity, string[] Flags, int FirstKey, int LastKey, int Step, string[] AclCategories)
{
    public bool Has(string flag) => Array.IndexOf(Flags, flag) >= 0;

    /// <summary>Redis finds some of its keys by reading the arguments (a count, a STORE option): the key
    /// positions alone do not name them all. Looked at for every command on a server of several Cores.</summary>
    public bool Movable { get; } = Array.IndexOf(Flags, "movablekeys") >= 0;

    /// <summary>The position of the last key at a fixed position in a command of <paramref name="argc"/> arguments</summary>
    public int LastKeyAt(int argc) => LastKey < 0 ? argc + LastKey : Math.Min(LastKey, argc - 1);
}

/// <summary>Redis's own command descriptions (flags, key positions, ACL categories), kept as data in
/// <c>redis-commands.tsv</c> (taken from redis-server 7.0.15's COMMAND reply) rather than as code</summary>
internal static class RedisCommandTable
{
    static readonly Dictionary<string, RedisCommandSpec> s_specs = Load();

    public static RedisCommandSpec? Find(string name) => s_specs.GetValueOrDefault(name);

    static Dictionary<string, RedisCommandSpec> Load()
    {
        var specs = new Dictionary<string, RedisCommandSpec>(StringComparer.OrdinalIgnoreCase);
        using Stream? s = typeof(RedisCommandTable).Assembly.GetManifestResourceStream("Stakker.Redis.redis-commands.tsv");
        if (s is null) return specs;
        using var reader = new StreamReader(s);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            string[] f = line.Split('\t');
            specs[f[0]] = new RedisCommandSpec(f[0], int.Parse(f[1]), List(f[2]), int.Parse(f[3]), int.Parse(f[4]), int.Parse(f[5]), List(f[6]));
        }
        return specs;
    }

    static System.Text.Json.JsonDocument? s_docs;

    /// <summary>COMMAND DOCS of redis-server 7.0.15 for <paramref name="name"/> (summary, since, group, complexity,
    /// arguments...), kept as data in <c>redis-command-docs.json</c>; loaded on first use</summary>
    public static System.Text.Json.JsonElement? Docs(string name)
    {
        if (s_docs is null)
        {
            using Stream? s = typeof(RedisCommandTable).Assembly.GetManifestResourceStream("Stakker.Redis.redis-command-docs.json");
            if (s is null) return null;
            s_docs = System.Text.Json.JsonDocument.Parse(s);
        }
        return s_docs.RootElement.TryGetProperty(name, out var e) ? e : null;
    }

    /// <summary>Writes a JSON value as RESP: objects as maps (flat arrays in RESP2), strings as bulk (the items of
    /// "flags" and "doc_flags" as simple strings, as Redis sends them and redis-cli insists), numbers as integers</summary>
    public static void WriteJson(System.Buffers.IBufferWriter<byte> w, System.Text.Json.JsonElement e, bool resp3, bool simple = false)
    {
        switch (e.ValueKind)
        {
            case System.Text.Json.JsonValueKind.Object:
                int n = e.EnumerateObject().Count();
                Resp.WriteHeader(w, resp3 ? (byte)'%' : (byte)'*', resp3 ? n : n * 2);
                foreach (var p in e.EnumerateObject())
                {
                    Resp.WriteBulk(w, p.Name);
                    WriteJson(w, p.Value, resp3, p.Name is "flags" or "doc_flags");
                }
                break;
            case System.Text.Json.JsonValueKind.Array:
                Resp.WriteHeader(w, (byte)'*', e.GetArrayLength());
                foreach (var item in e.EnumerateArray()) WriteJson(w, item, resp3, simple);
                break;
            case System.Text.Json.JsonValueKind.Number:
                Resp.WriteInteger(w, e.GetInt64());
                break;
            default:
                if (simple) Resp.WriteSimple(w, e.ToString());
                else Resp.WriteBulk(w, e.ToString());
                break;
        }
    }

    static string[] List(string field) => field == "-" ? [] : field.Split(',');

    /// <summary>The argument positions that are keys, by the spec's first/last/step (a negative last counts from the end)</summary>
    public static IEnumerable<int> KeyPositions(RedisCommandSpec spec, int argc)
    {
        if (spec.FirstKey <= 0 || spec.Step <= 0) yield break;
        for (int i = spec.FirstKey, last = spec.LastKeyAt(argc); i <= last; i += spec.Step) yield return i;
    }
}
