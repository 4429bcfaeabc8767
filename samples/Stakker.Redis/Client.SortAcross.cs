namespace Stakker.Redis;

// SORT/SORT_RO with BY or GET patterns on a server of several Cores (decision 106): the keys the patterns name
// for the source's elements can be on any shard. The source's shard lists them; the command then runs on one
// shard (STORE's destination's, else the source's) with copies of the others lent in, so the sorting, LIMIT,
// GET and STORE are Keyspace.Sort.cs's own, and so are the replies and errors.
internal sealed partial class Client
{
    void SortAcross(Cx<Client> cx, CommandInfo cmd, List<byte[]> args, Shards shards, int store)
    {
        Across op = Start(cmd, args);
        int source = shards.Of(args[1]);
        op.RunOn = store > 0 ? shards.Of(args[store]) : source;
        if (!shards.IsLocal(source)) { Finish(cx, op, Reply.Error(CrossProcess)); return; }
        shards.All[source].Call(static (k, cx, db, a, r) => k.SortPatternKeys(cx, db, a, r), op.Db, op.Args,
            Then<byte[][]>(cx, op, static (c, cx, op, named) => c.Borrow(cx, op, [op.Args[1], .. named])));
    }
}
