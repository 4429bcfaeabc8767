namespace Stakker.Redis;

// maxmemory with an evicting maxmemory-policy: keys are deleted (with Redis's "evicted" event) until the
// estimate of what they held brings the heap under the limit (decision 077).
internal sealed partial class Keyspace
{
    /// <summary>Most keys one call evicts: a huge keyspace is evicted over several commands, never in one long stop</summary>
    internal const int MaxEvictionsPerCall = 10_000;

    /// <summary>Most keys a volatile policy looks at per database and call, looking for ones with an expiry</summary>
    const int MaxExaminedPerCall = 100_000;

    /// <summary>Deletes keys until about <paramref name="over"/> bytes are freed: any key for the <c>allkeys-*</c>
    /// policies, only keys with an expiry for <c>volatile-*</c> (those with the nearest expiry for <c>volatile-ttl</c>)</summary>
    /// <returns>How many keys were evicted</returns>
    public int Evict(Cx<Keyspace> cx, string policy, long over)
    {
        // Not inside a transaction across shards: its keys stay until it releases the shard (decision 103).
        if (_hold is not null) { Park(static (k, cx, p) => k.Evict(cx, p.policy, p.over), (policy, over)); return 0; }
        bool volatileOnly = policy.StartsWith("volatile-", StringComparison.OrdinalIgnoreCase);
        if (!volatileOnly && !policy.StartsWith("allkeys-", StringComparison.OrdinalIgnoreCase)) return 0;
        bool byTtl = policy.Equals("volatile-ttl", StringComparison.OrdinalIgnoreCase);
        int was = _dbIndex, evicted = 0;
        long freed = 0;
        Save();
        for (int db = 0; db < Databases && freed < over && evicted < MaxEvictionsPerCall; db++)
        {
            if (_dbs[db] is not { Data.Count: > 0 } d || (volatileOnly && d.Expiries.Count == 0)) continue;
            Use(db);
            // Bounded work per call: a volatile policy looks at no more than MaxExaminedPerCall keys, and
            // volatile-ttl picks the nearest expiries among those (as Redis picks among a sample).
            IEnumerable<Entry> candidates = volatileOnly ? _data.Take(MaxExaminedPerCall).Where(e => e.ExpireAt != 0) : _data;
            if (byTtl) candidates = candidates.OrderBy(e => e.ExpireAt);
            foreach (Entry e in candidates.Take(MaxEvictionsPerCall - evicted).ToArray())
            {
                if (freed >= over) break;
                freed += SizeOf(e);
                Remove(cx, e);
                Notify(KeyspaceEventTable.Evicted, e);
                evicted++;
            }
        }
        Use(was);
        return evicted;
    }

    /// <summary>A rough count of the bytes a key holds (object headers and the bytes it refers to)</summary>
    static long SizeOf(Entry e)
    {
        const long Object = 48, PerItem = 40;
        long size = Object + e.StoredLength;
        if (e.IsInline) return size;
        switch (e.Value)
        {
            case byte[] b: size += Object + b.Length; break;
            case GrownString g: size += Object + g.Buffer.Length; break;
            case ListValue l: size += Object + l.Count * PerItem; break;
            case HashValue h: size += Object + h.Count * 2 * PerItem; break;
            case SetValue s: size += Object + s.Count * PerItem; break;
            case SortedSetValue z: size += Object + z.Count * 3 * PerItem; break;
        }
        return size;
    }
}
