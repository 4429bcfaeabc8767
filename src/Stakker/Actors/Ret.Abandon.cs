namespace Stakker;

// "No value" with a StopCause, kept with actors (where StopCause is) so that Returns does not use it.
public readonly partial struct Ret<T>
{
    /// <summary>Answers "no value" saying why (<see cref="Answer{T}.Cause"/>) if the Ret is still
    /// pending; does nothing after an answer</summary>
    /// <remarks>For transports that know why an answer will never come, such as a remote actor lost
    /// (<see cref="StopCause.Lost"/>). An end-point that receives only values ignores it, as any "no value".</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="cause"/> is null</exception>
    public void Abandon(StopCause cause)
    {
        ArgumentNullException.ThrowIfNull(cause);
        AbandonWith(cause);
    }
}
