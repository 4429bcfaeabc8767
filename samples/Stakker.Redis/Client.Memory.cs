namespace Stakker.Redis;

// maxmemory: past it, an evicting policy has the keyspace evict keys; noeviction refuses the commands
// Redis flags "denyoom" (decision 077).
internal sealed partial class Client
{
    /// <summary>True if a command that may grow memory is to be refused now; with an evicting policy, asks the
    /// keyspace to evict (ahead of the command, as the keyspace's queue is FIFO) and refuses nothing</summary>
    bool RefuseForMemory()
    {
        long max = _ctx.Settings.MaxMemory;
        if (max <= 0) return false;
        long used = GC.GetTotalMemory(false);
        if (used <= max) return false;
        string policy = _ctx.Settings.Values.TryGetValue("maxmemory-policy", out string? p) ? p : "noeviction";
        if (policy.Equals("noeviction", StringComparison.OrdinalIgnoreCase)) return true;
        if (_ctx.Shards is not { } shards)
        {
            _ctx.Keyspace.Call(static (k, cx, e) => k.Evict(cx, e.Policy, e.Over), (Policy: policy, Over: used - max));
            return false;
        }
        // The heap is the process's, every shard's keys are in it: each shard evicts its share. Evicting only
        // this Core's shard would leave the others' keys (a client whose Core's shard is empty would write on
        // past maxmemory for ever). A shard with no room for the call is passed over: the next write asks again.
        // On a distributed server the heap holds this process's shards only: they share the excess.
        long share = (used - max + shards.Held - 1) / shards.Held;
        for (int s = shards.First; s < shards.First + shards.Held; s++)
            if (shards.All[s].HasRoom)
                shards.All[s].Call(static (k, cx, e) => k.Evict(cx, e.Policy, e.Over), (Policy: policy, Over: share));
        return false;
    }
}
