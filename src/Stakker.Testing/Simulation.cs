namespace Stakker.Testing;

/// <summary>Runs one or more Cores on virtual time from a seed: owns their clock, the order in which
/// outside events and async completions reach them, and the faults injected; records a trace</summary>
/// <remarks>
/// Everything runs on the thread that made the simulation (each Core belongs to it). A program is
/// deterministic under the simulation when everything it does comes from its Cores' calls, timers and
/// clock (<see cref="Core.TimeProvider"/>, <c>cx.After</c>, <c>co.Delay</c>), from
/// <c>Schedule</c> and <see cref="Completion{T}"/>, and from <see cref="Random"/> and
/// <see cref="Faults"/>. Real threads (<c>Task.Run</c>, the thread pool, sockets) are outside it;
/// <see cref="CheckDeterministic"/> finds a program that uses them.
/// </remarks>
public sealed partial class Simulation : IDisposable
{
    readonly List<Core> _cores = new();
    readonly Agenda _agenda = new();
    readonly SimulationOptions _options;
    int[] _order = [];
    Carrier? _carrier;
    bool _disposed;

    /// <summary>Makes a simulation with one Core (<see cref="Core"/>) at <see cref="SimulationOptions.Start"/></summary>
    public Simulation(ulong seed, SimulationOptions? options = null)
    {
        _options = options ?? SimulationOptions.Default;
        Seed = seed;
        Random = new SimRandom(seed);
        Trace = new SimTrace(_options.TraceCapacity);
        Faults = new FaultInjector(this, _options.FaultRate);
        Now = _options.Start;
        AddCore();
    }

    /// <summary>The seed every choice of this run follows from</summary>
    public ulong Seed { get; }

    /// <summary>The run's randomness: use it in the program under test for anything random, so a
    /// replay makes the same choices</summary>
    public SimRandom Random { get; }

    /// <summary>The run's events</summary>
    public SimTrace Trace { get; }

    /// <summary>Faults injected from the seed</summary>
    public FaultInjector Faults { get; }

    /// <summary>Virtual time, shared by all the Cores</summary>
    public Instant Now { get; private set; }

    /// <summary>The first Core</summary>
    public Core Core => _cores[0];

    /// <summary>The Core's virtual clock, for code that takes a <see cref="TimeProvider"/></summary>
    public TimeProvider TimeProvider => Core.TimeProvider;

    /// <summary>Every Core of the simulation, in the order made</summary>
    public IReadOnlyList<Core> Cores => _cores;

    /// <summary>Number of steps taken (each step runs every Core once at one instant)</summary>
    public long Steps { get; private set; }

    /// <summary>Adds a Core at the current virtual time; its actors' endings are traced</summary>
    public Core AddCore()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var core = new Core(Now);
        int index = _cores.Count;
        _cores.Add(core);
        _order = Enumerable.Range(0, _cores.Count).ToArray();
        core.Links.Gate.Transport = _carrier ??= new Carrier(this);
        core.ActorEnded += e => Add(index, TraceKind.Stop, $"{e.ActorName} {e.Cause.Kind}{ErrorText(e.Cause.Error)}");
        return core;
    }

    static string ErrorText(Exception? e) => e is null ? "" : $" ({e.GetType().Name}: {e.Message})";

    /// <summary>Adds a line of the program's own to the trace</summary>
    public void Record(string text) => Add(TraceKind.User, text);

    internal void Add(TraceKind kind, string text) => Add(CurrentCore(), kind, text);

    internal void Add(int core, TraceKind kind, string text) => Trace.Add(Now, core, kind, text);

    int CurrentCore()
    {
        for (int i = 0; i < _cores.Count; i++) if (_cores[i].InHandler) return i;
        return 0;
    }

    int IndexOf(Core? core)
    {
        if (core is null) return 0;
        int i = _cores.IndexOf(core);
        if (i < 0) throw new ArgumentException("the Core is not one of this simulation's", nameof(core));
        return i;
    }

    /// <summary>An outside event: <paramref name="action"/> runs on <paramref name="core"/> (default the
    /// first) after <paramref name="delay"/> of virtual time, as a plain callback on the Core's
    /// queue. Events due at the same instant arrive in an order chosen by the seed.</summary>
    public void Schedule(TimeSpan delay, Action action, string label = "event", Core? core = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (delay < TimeSpan.Zero) delay = TimeSpan.Zero;
        _agenda.Add(Now + delay, Random.NextUInt64(), IndexOf(core), label, action);
    }

    /// <summary>An outside event after a latency drawn from the seed, up to <see cref="SimulationOptions.MaxLatency"/></summary>
    public void Schedule(Action action, string label = "event", Core? core = null) =>
        Schedule(Random.Between(TimeSpan.Zero, _options.MaxLatency), action, label, core);

    /// <summary>An async operation outside the Cores (I/O, a remote service): a Task that completes on
    /// <paramref name="core"/>'s thread after a latency drawn from the seed (at most
    /// <paramref name="maxLatency"/>, default <see cref="SimulationOptions.MaxLatency"/>), with
    /// <paramref name="result"/>'s value, or with <see cref="InjectedFaultException"/> at the rate
    /// <see cref="SimulationOptions.CompletionFaultRate"/>. Continuations of an <c>await</c> on the
    /// Core resume as queued calls, in the order the completions arrive.</summary>
    public Task<T> Completion<T>(Func<T> result, string label = "completion", TimeSpan? maxLatency = null, Core? core = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        // No RunContinuationsAsynchronously: a continuation without the Core's context then runs
        // inline on the Core's thread, not on the thread pool, and stays deterministic.
        var tcs = new TaskCompletionSource<T>();
        bool fail = Random.Chance(_options.CompletionFaultRate);
        Schedule(Random.Between(TimeSpan.Zero, maxLatency ?? _options.MaxLatency), () =>
        {
            if (fail)
            {
                Faults.Count();
                Add(TraceKind.Fault, label);
                tcs.SetException(new InjectedFaultException(label));
                return;
            }
            T value;
            try { value = result(); }
            catch (Exception e) { tcs.SetException(e); return; }
            tcs.SetResult(value);
        }, label, core);
        return tcs.Task;
    }

    /// <summary>Makes a Ret answered on the first Core whose answer is traced under <paramref name="label"/>
    /// before <paramref name="onAnswer"/> runs</summary>
    public Ret<T> Ret<T>(string label, Action<Answer<T>> onAnswer)
    {
        ArgumentNullException.ThrowIfNull(onAnswer);
        return Stakker.Ret.From<T>(Core, a =>
        {
            Add(TraceKind.Ret, $"{label} = {a}");
            onAnswer(a);
        });
    }

    /// <summary>Disposes every Core, after handing them the cross-Core batches still on the way</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        LandCrossings();
        foreach (var c in _cores) c.Dispose();
    }
}
