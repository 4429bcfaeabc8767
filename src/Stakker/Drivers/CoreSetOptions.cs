namespace Stakker;

/// <summary>Settings for a <see cref="CoreSet"/></summary>
public sealed class CoreSetOptions
{
    /// <summary>How many Cores (each on a thread of its own); default: the processor count</summary>
    public int Count { get; set; } = Environment.ProcessorCount;

    /// <summary>Thread name prefix; threads are named "{Name} 0", "{Name} 1", …</summary>
    public string Name { get; set; } = "Stakker Core";

    /// <summary>Clock for every Core; <see cref="TimeProvider.System"/> if null</summary>
    public TimeProvider? Time { get; set; }

    /// <summary>Longest sleep of a Core with nothing due (default 1 s)</summary>
    public TimeSpan? MaxWait { get; set; }

    /// <summary>Each Core's <see cref="Core.CrossCoreCapacity"/></summary>
    public int CrossCoreCapacity { get; set; } = Core.DefaultCrossCoreCapacity;

    /// <summary>How long <see cref="CoreSet.StopAsync"/> lets answers travel between Cores after the
    /// root actors ended, before it closes the Cores anyway (default 5 s)</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
