namespace Stakker.Hosting;

/// <summary>How the hosted Core runs; bound from the configuration section <c>"Stakker"</c></summary>
/// <remarks>
/// <code>
/// { "Stakker": { "ThreadName": "orders", "Cores": 2, "MaxWait": "00:00:00.250", "StopHostWhenRootActorEnds": false } }
/// </code>
/// Configuration is applied first, then the delegate given to <c>AddStakker</c>, so code has the
/// last word. The values are read once, when the host starts.
/// </remarks>
public sealed class StakkerOptions
{
    /// <summary>The configuration section the options are bound from</summary>
    public const string SectionName = "Stakker";

    /// <summary>Name of the Core's thread, as debuggers, dumps and <c>top -H</c> show it</summary>
    /// <remarks>With several Cores, the threads are named "{ThreadName} 0", "{ThreadName} 1", …</remarks>
    public string ThreadName { get; set; } = "Stakker Core";

    /// <summary>How many Cores to run, each on a thread of its own (default 1; 0: one per processor)</summary>
    /// <remarks>One Core runs on a <see cref="CoreThread"/>, as it always has. More run as a
    /// <see cref="CoreSet"/>: root actors are placed on Cores by <c>AddRootActor</c>, and reach each
    /// other through <see cref="StakkerRuntime.GetCrossCoreActor{T}"/> (docs/hosting.md).</remarks>
    public int Cores { get; set; } = 1;

    /// <summary>The number of Cores <see cref="Cores"/> stands for (0 is the processor count)</summary>
    internal int CoreCount => Cores == 0 ? Environment.ProcessorCount : Cores;

    /// <summary>Longest sleep of the Core's loop when no timer is due (default 1 s)</summary>
    /// <remarks>Wakes from other threads end the sleep at once; this only bounds how late a clock
    /// that is moved by hand (a test's <see cref="TimeProvider"/>) is noticed.</remarks>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Stop the application when a root actor ends by itself (default true)</summary>
    /// <remarks>As a failing <c>BackgroundService</c> does by default: a service whose top actor
    /// has stopped or failed is not doing its job. When false, the end is logged and the other root
    /// actors go on.</remarks>
    public bool StopHostWhenRootActorEnds { get; set; } = true;

    /// <summary>Propagate <see cref="System.Diagnostics.Activity"/> across actor calls and Rets while a
    /// listener of the <c>Stakker</c> activity source is attached (default false)</summary>
    /// <remarks>Off, or on with nobody listening, calls take the usual path and allocate nothing. On and
    /// listened to, each actor call and Ret delivery is a span (docs/observability.md).</remarks>
    public bool Tracing { get; set; }

    /// <summary>The live dashboard in the browser: off unless <see cref="DashboardOptions.Enabled"/> (docs/dashboard.md)</summary>
    public DashboardOptions Dashboard { get; set; } = new();

    /// <summary>Throws naming the first invalid value</summary>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(ThreadName))
            throw new InvalidOperationException("StakkerOptions.ThreadName (configuration key \"Stakker:ThreadName\") must not be empty.");
        if (Cores < 0)
            throw new InvalidOperationException($"StakkerOptions.Cores (configuration key \"Stakker:Cores\") must be 0 (one per processor) or more; it is {Cores}.");
        if (MaxWait <= TimeSpan.Zero)
            throw new InvalidOperationException($"StakkerOptions.MaxWait (configuration key \"Stakker:MaxWait\") must be positive; it is {MaxWait}.");
        if (Dashboard.Enabled) Dashboard.Validate();
    }
}
