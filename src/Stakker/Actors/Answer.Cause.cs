namespace Stakker;

// Why an answer has no value is a StopCause, which belongs with actors: kept here so Returns does not use it.
public readonly partial struct Answer<T>
{
    /// <summary>The "no value" answer, saying why</summary>
    /// <exception cref="ArgumentNullException"><paramref name="cause"/> is null</exception>
    public static Answer<T> NoneBecause(StopCause cause) => NoneWith(cause ?? throw new ArgumentNullException(nameof(cause)));

    /// <summary>Why there is no value, when that is known (<see cref="StopKind.Lost"/> for a remote
    /// answer given up); null for a value and for a "no value" without a cause</summary>
    public StopCause? Cause => _state as StopCause;
}
