namespace Stakker.Testing;

/// <summary>Decides, from the simulation's seed, whether a fault fires at a named site; every fault
/// that fires is recorded in the trace, so a replay of the seed fires the same faults</summary>
public sealed class FaultInjector
{
    readonly Simulation _sim;
    readonly Dictionary<string, double> _rates = new(StringComparer.Ordinal);

    internal FaultInjector(Simulation sim, double defaultRate)
    {
        _sim = sim;
        DefaultRate = defaultRate;
    }

    /// <summary>Probability used at sites with no rate of their own</summary>
    public double DefaultRate { get; set; }

    /// <summary>Faults fired so far</summary>
    public long Fired { get; private set; }

    internal void Count() => Fired++;

    /// <summary>Sets the probability of faults at one site (0 turns it off)</summary>
    public void SetRate(string site, double probability)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentOutOfRangeException.ThrowIfNegative(probability);
        _rates[site] = probability;
    }

    /// <summary>True if a fault fires at <paramref name="site"/> now</summary>
    public bool Maybe(string site)
    {
        ArgumentNullException.ThrowIfNull(site);
        double p = _rates.TryGetValue(site, out double r) ? r : DefaultRate;
        if (!_sim.Random.Chance(p)) return false;
        Fired++;
        _sim.Add(TraceKind.Fault, site);
        return true;
    }

    /// <summary>Throws <see cref="InjectedFaultException"/> if a fault fires at <paramref name="site"/></summary>
    /// <exception cref="InjectedFaultException">the fault fired</exception>
    public void ThrowMaybe(string site)
    {
        if (Maybe(site)) throw new InjectedFaultException(site);
    }
}
