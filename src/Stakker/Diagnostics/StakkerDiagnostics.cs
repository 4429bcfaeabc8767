using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Stakker.Diagnostics;

namespace Stakker;

/// <summary>Logging, metrics and tracing for one or more Cores: attach it to each Core once</summary>
/// <remarks>
/// <para>Nothing is observed until a Core is attached (<see cref="Attach"/>); an unattached Core pays
/// one predictable branch where an actor starts or ends, and nothing per call.</para>
/// <para><b>Logging</b>: actor start and stop at <see cref="LogLevel.Debug"/>, a kill at
/// <see cref="LogLevel.Warning"/>, a failure (with its exception) at <see cref="LogLevel.Error"/>,
/// under the category <c>Stakker.Actors</c>, with <c>ActorType</c>, <c>ActorId</c> and <c>Core</c> as
/// structured fields. Handlers log through <see cref="Cx{T}.Logger"/>.</para>
/// <para><b>Metrics</b>: the meter <see cref="MeterName"/> (instrument names and units in
/// <c>docs/observability.md</c>). Most instruments are observable: they read counters a Core keeps
/// anyway when a collector asks, so they cost nothing between collections.</para>
/// <para><b>Tracing</b> (opt-in, <c>tracing: true</c>): while a listener of the
/// <see cref="ActivitySourceName"/> source is attached, a call made to an actor carries the current
/// <see cref="Activity"/>, and its handler runs inside a child activity, so a request that crosses
/// several actors, and the Rets that answer it, are one trace. With no listener, calls take the usual
/// path and nothing is allocated.</para>
/// </remarks>
public sealed partial class StakkerDiagnostics : IDisposable
{
    /// <summary>The name of the meter: <c>dotnet-counters monitor --counters Stakker</c></summary>
    public const string MeterName = "Stakker";

    /// <summary>The name of the activity source for tracing</summary>
    public const string ActivitySourceName = "Stakker";

    /// <summary>The logger category of actor lifecycle events</summary>
    public const string LogCategory = "Stakker.Actors";

    readonly Meter _meter;
    readonly bool _ownsMeter;
    readonly Lock _sync = new();
    readonly List<CoreDiagnostics> _cores = [];
    internal readonly StakkerMetrics Metrics;

    /// <summary>Creates the diagnostics; attach Cores with <see cref="Attach"/></summary>
    /// <param name="loggerFactory">Where logs go; none if null.</param>
    /// <param name="meterFactory">Makes the meter (under DI, the container's); a meter of this object's
    /// own if null, disposed with it.</param>
    /// <param name="tracing">Propagate activities across calls and Rets while a listener is attached.</param>
    public StakkerDiagnostics(ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null, bool tracing = false)
    {
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        Tracing = tracing;
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(new MeterOptions(MeterName) { Version = Version }) ?? new Meter(MeterName, Version);
        Metrics = new StakkerMetrics(_meter, this);
    }

    static readonly string? Version = typeof(Core).Assembly.GetName().Version?.ToString();

    /// <summary>The factory the actors' loggers come from</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>True if calls carry activities while a listener is attached</summary>
    public bool Tracing { get; }

    /// <summary>The meter the instruments belong to</summary>
    public Meter Meter => _meter;

    /// <summary>Observes <paramref name="core"/> from now on; call on the Core's thread, before spawning</summary>
    /// <param name="core">A Core not yet attached to any diagnostics.</param>
    /// <param name="coreName">Names the Core in logs and in the <c>stakker.core</c> tag ("0" if null).</param>
    /// <remarks>Actors spawned before this are not counted among the living. The Core detaches itself
    /// when it is disposed.</remarks>
    public void Attach(Core core, string? coreName = null)
    {
        ArgumentNullException.ThrowIfNull(core);
        core.CheckThread();
        if (core.Diagnostics is not null) throw new InvalidOperationException("This Core is already attached to diagnostics.");
        var d = new CoreDiagnostics(this, core, coreName ?? "0");
        lock (_sync) _cores.Add(d);
        core.AttachDiagnostics(d);
    }

    internal void Detach(CoreDiagnostics core)
    {
        lock (_sync) _cores.Remove(core);
    }

    /// <summary>The attached Cores, for a collection (taken under the lock: Cores come and go)</summary>
    internal CoreDiagnostics[] Cores
    {
        get { lock (_sync) return [.. _cores]; }
    }

    /// <summary>Disposes the meter, if this object made it</summary>
    public void Dispose()
    {
        if (_ownsMeter) _meter.Dispose();
    }
}
