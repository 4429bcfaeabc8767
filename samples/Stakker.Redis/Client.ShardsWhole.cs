using System.Globalization;
using System.Text;

namespace Stakker.Redis;

// On a server of several Cores: commands about the whole keyspace or server that need every shard
// (SCAN, RANDOMKEY, SWAPDB, INFO). Decisions 099, 100, 101.
internal sealed partial class Client
{
    static readonly CommandInfo s_dbSizeCommand = Commands.Find("dbsize"u8.ToArray())!;
    static readonly byte[][] s_dbSizeArgs = ["dbsize"u8.ToArray()];

    /// <summary>Takes <paramref name="cmd"/> if it is one of this file's; false leaves it to the routing by key</summary>
    bool RouteWhole(Cx<Client> cx, CommandInfo cmd, List<byte[]> args, Shards shards)
    {
        switch (cmd.Id)
        {
            case Cmd.Scan:
                ScanShards(cx, cmd, args, shards);
                return true;
            case Cmd.RandomKey:
                RandomKeyOfShards(cx, cmd, args, shards);
                return true;
            case Cmd.SwapDb:
                // Every shard swaps its two databases; the reply waits for all (an error: each shard refuses alike).
                FanOutToAll(cx, cmd, args, shards);
                return true;
            case Cmd.Info:
                InfoOfShards(cx, args, shards);
                return true;
            default:
                return false;
        }
    }

    /// <summary>RANDOMKEY: every shard tells its size and draws a key of its own; one of the shards that has a key
    /// is chosen with a weight of its size, so a key is about as likely as on one Core</summary>
    void RandomKeyOfShards(Cx<Client> cx, CommandInfo cmd, List<byte[]> args, Shards shards)
    {
        var answers = new FromEveryShard<Reply>(Reserve(), 2 * shards.Count, PickRandomKey);
        byte[][] a = args.ToArray();
        for (int s = 0; s < shards.Count; s++)
        {
            // Calls from one Core to one shard run in the order made: the size, then the draw, with nothing between.
            shards.Execute(s, s_dbSizeCommand, s_dbSizeArgs, _id, _db, AnswerFrom(cx, answers, 2 * s));
            shards.Execute(s, cmd, a, _id, _db, AnswerFrom(cx, answers, 2 * s + 1));
        }
    }

    /// <summary>From each shard's size and key (in pairs), a key of a shard drawn with the weight of its size; nil if none has one</summary>
    static Reply PickRandomKey(Reply[] answers)
    {
        long total = 0;
        for (int i = 0; i < answers.Length; i += 2)
        {
            if (answers[i].Kind == ReplyKind.Error) return answers[i];
            if (answers[i + 1].Kind == ReplyKind.Error) return answers[i + 1];
            if (answers[i + 1].Kind == ReplyKind.Bulk) total += Math.Max(1, answers[i].Integer);
        }
        if (total == 0) return Reply.Nil;
        long draw = Random.Shared.NextInt64(total);
        for (int i = 0; i < answers.Length; i += 2)
        {
            if (answers[i + 1].Kind != ReplyKind.Bulk) continue;
            draw -= Math.Max(1, answers[i].Integer);
            if (draw < 0) return answers[i + 1];
        }
        return Reply.Nil;   // not reached: the draw is below the total
    }

    /// <summary>INFO: each shard's INFO and figures, merged into the server's (<see cref="InfoMerge"/>)</summary>
    void InfoOfShards(Cx<Client> cx, List<byte[]> args, Shards shards)
    {
        bool withShards = InfoMerge.WantsShards(args);
        var answers = new FromEveryShard<ShardFigures>(Reserve(), shards.Count, all => Reply.Verbatim(InfoMerge.Merge(all, withShards)));
        byte[][] a = args.ToArray();
        for (int s = 0; s < shards.Count; s++)
            shards.Figures(s, a, AnswerFrom(cx, answers, s));
    }

    /// <summary>The Ret for answer <paramref name="index"/> of <paramref name="answers"/>: the client's reply once all are in</summary>
    static Ret<T> AnswerFrom<T>(Cx<Client> cx, FromEveryShard<T> answers, int index) =>
        cx.Ret<(FromEveryShard<T> Answers, int Index), T>((answers, index), static (c, cx, p, answer) =>
        {
            if (p.Answers.Add(p.Index, answer)) c.Answered(cx, p.Answers.Seq, p.Answers.Combine());
        });

    /// <summary>One answer per shard (or per call) for one client command, combined into its reply once all are in</summary>
    sealed class FromEveryShard<T>(long seq, int count, Func<T[], Reply> combine)
    {
        public readonly long Seq = seq;
        readonly T[] _answers = new T[count];
        int _waiting = count;
        bool _missing;

        /// <summary>Keeps answer <paramref name="index"/>; true when it was the last</summary>
        public bool Add(int index, Answer<T> answer)
        {
            if (answer.TryGetValue(out var value)) _answers[index] = value;
            else _missing = true;
            return --_waiting == 0;
        }

        /// <summary>The client's reply: a shard that ended without answering means the server is shutting down</summary>
        public Reply Combine() => _missing ? s_shuttingDown : combine(_answers);
    }
}
