namespace Stakker.Testing;

/// <summary>Thrown by a fault the simulation injected, so a test can tell it from a real error</summary>
public sealed class InjectedFaultException : Exception
{
    /// <summary>Makes one for the named fault site</summary>
    public InjectedFaultException(string site) : base("injected fault at " + site) => Site = site;

    /// <summary>The fault site, as given to <see cref="FaultInjector"/></summary>
    public string Site { get; }
}
