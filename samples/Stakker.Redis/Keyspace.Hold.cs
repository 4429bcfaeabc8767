namespace Stakker.Redis;

/// <summary>The coordinator of a transaction across shards, as a shard sees it: told when the shard is held for
/// it, whether its watched keys there changed, and given the end-point that releases the shard</summary>
/// <remarks>The release end-point is a Ret into the shard, passed as an argument of its own: the coordinator's
/// actor holds it, so if that actor ends without answering it (connection closed, killed, dropped for its
/// output) the runtime answers it "no value" on the shard's Core, which releases the shard (decision 103).</remarks>
internal interface IShardHolder<TSelf> where TSelf : class, IShardHolder<TSelf>
{
    /// <summary>The shard asked for is held for <paramref name="transaction"/> (the coordinator's own object, carried as it is); <paramref name="dirty"/> when a key the
    /// coordinator watched there was written since its WATCH</summary>
    void ShardHeld(Cx<TSelf> cx, object transaction, bool dirty, Ret<bool> release);
}

/// <summary>One shard's part of the steps of a transaction across shards, run while the shard is held</summary>
internal sealed class HeldSteps(CommandInfo[] cmds, byte[][][] args, int[] dbs)
{
    public readonly CommandInfo[] Cmds = cmds;
    public readonly byte[][][] Args = args;
    public readonly int[] Dbs = dbs;
    public readonly Reply[] Replies = new Reply[cmds.Length];
    public int Pending;
    public Ret<Reply[]> Done;
}

// The shard's side of a transaction across shards (decision 103). A shard held for a transaction runs only
// that transaction's steps; every other call that reads or writes keys (commands, WATCH, the entry points
// of commands across shards, another hold, the expiry timer) waits in arrival order in the parked queue and
// runs when the hold is released, where a replayed call may meet the next hold and wait again, its order
// kept. Nothing waits on a thread: a parked call is an object in a queue.
internal sealed partial class Keyspace
{
    sealed class Hold(long client)
    {
        public readonly long Client = client;
    }

    abstract class Parked
    {
        public abstract void Run(Keyspace k, Cx<Keyspace> cx);
    }

    sealed class Parked<TState>(Action<Keyspace, Cx<Keyspace>, TState> run, TState state) : Parked
    {
        public override void Run(Keyspace k, Cx<Keyspace> cx) => run(k, cx, state);
    }

    /// <summary>The transaction this shard is held for, or null (the one field the entry points test)</summary>
    Hold? _hold;
    /// <summary>A step of the holder is running: the one call a held shard lets through</summary>
    bool _runningHeld;
    /// <summary>Calls that arrived while held, in arrival order; empty whenever the shard is not held</summary>
    Queue<Parked>? _parked;

    /// <summary>True while a transaction holds this shard (tests, INFO)</summary>
    public bool IsHeld => _hold is not null;

    /// <summary>Calls waiting for the hold to end</summary>
    public int ParkedCount => _parked?.Count ?? 0;

    /// <summary>Keeps a call that arrived while held, to be run at the release in arrival order</summary>
    /// <remarks>A Ret in <paramref name="state"/> stays held by this actor meanwhile (it answers "no value" if
    /// the keyspace ends).</remarks>
    void Park<TState>(Action<Keyspace, Cx<Keyspace>, TState> run, TState state) =>
        (_parked ??= new()).Enqueue(new Parked<TState>(run, state));

    /// <summary>First step of EXEC across shards, sent to each shard in ascending order, each after the previous
    /// one answered: holds this shard for <paramref name="clientId"/>'s transaction once the holds before it end</summary>
    public void HoldFor<THolder>(Cx<Keyspace> cx, long clientId, CrossCoreActor<THolder> holder, object run)
        where THolder : class, IShardHolder<THolder>
    {
        if (_hold is not null)
        {
            Park(static (k, cx, p) => k.HoldFor(cx, p.clientId, p.holder, p.run), (clientId, holder, run));
            return;
        }
        var hold = new Hold(clientId);
        _hold = hold;
        // As inside one EXEC: blocking commands do not wait, and ready keys are served at the release.
        _inExec = true;
        // Nobody else can write a key here until the release: what the watch says now holds at every step.
        bool dirty = _dirty.Contains(clientId);
        UnwatchNow(clientId);
        Ret<bool> release = cx.Ret<Hold, bool>(hold, static (k, cx, h, _) => k.Release(cx, h));
        holder.Call(static (c, cx, run, dirty, release) => c.ShardHeld(cx, run, dirty, release), run, dirty, release);
    }

    /// <summary>The steps of the holder that belong to this shard, run back to back in their order; one answer with every reply</summary>
    public void RunHeld(Cx<Keyspace> cx, long clientId, HeldSteps steps, Ret<Reply[]> done)
    {
        if (_hold?.Client != clientId)
        {
            // Released meanwhile (its coordinator is gone): nothing of the transaction may run any more.
            done.Dispose();
            return;
        }
        steps.Done = done;
        steps.Pending = steps.Cmds.Length;
        if (steps.Pending == 0) { done.Answer(steps.Replies); return; }
        for (int i = 0; i < steps.Cmds.Length; i++)
        {
            Ret<Reply> ret = cx.Ret<(HeldSteps Steps, int Index), Reply>((steps, i), static (k, cx, p, answer) =>
            {
                p.Steps.Replies[p.Index] = answer.HasValue ? answer.Value : Reply.Error("ERR server is shutting down");
                if (--p.Steps.Pending == 0) p.Steps.Done.Answer(p.Steps.Replies);
            });
            _runningHeld = true;
            try
            {
                Execute(cx, steps.Cmds[i], steps.Args[i], clientId, steps.Dbs[i], ret);
            }
            finally
            {
                _runningHeld = false;
            }
        }
    }

    /// <summary>The holder answered its release end-point, or it ended and the runtime answered it "no value":
    /// clients blocked on keys the transaction filled are served, then the parked calls run in order</summary>
    void Release(Cx<Keyspace> cx, Hold hold)
    {
        if (!ReferenceEquals(_hold, hold)) return;
        _hold = null;
        _inExec = false;
        ServeReady(cx);
        while (_hold is null && _parked is { Count: > 0 } parked) parked.Dequeue().Run(this, cx);
    }
}
