namespace Stakker.Redis;

// On a server of several Cores: a subcommand on a key that Redis's command table does not give as a key
// (the table describes MEMORY as a whole, with none) runs on that key's shard, not on the client's own.
internal sealed partial class Client
{
    /// <summary>Takes MEMORY USAGE key; false leaves every other command to the routing by key</summary>
    bool RouteKeyedSubcommand(Cx<Client> cx, CommandInfo cmd, List<byte[]> args, Shards shards)
    {
        if (cmd.Id != Cmd.Memory || args.Count < 3 || !Commands.Is(args[1], "usage")) return false;
        long seq = Reserve();
        shards.Execute(shards.Of(args[2]), cmd, args.ToArray(), _id, _db, AnswerFor(cx, seq));
        return true;
    }
}
