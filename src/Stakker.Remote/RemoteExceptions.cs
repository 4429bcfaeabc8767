namespace Stakker.Remote;

/// <summary>A remote stream failed on the producer's side; the message is the producer's error message</summary>
public class RemoteException : Exception
{
    /// <summary>Creates the exception</summary>
    public RemoteException(string message) : base(message) { }
}

/// <summary>Contact with the remote end was lost: its process died, the link was cut, or the remote actor ended</summary>
public sealed class RemoteLostException : RemoteException
{
    /// <summary>Creates the exception</summary>
    public RemoteLostException(string message) : base(message) { }
}

/// <summary>A frame or a record in it broke the wire format or one of its bounds</summary>
public sealed class RemoteFrameException : Exception
{
    /// <summary>Creates the exception</summary>
    public RemoteFrameException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause</summary>
    public RemoteFrameException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The node has <see cref="RemoteOptions.MaxOutstandingBytes"/> on the way to NATS; nothing was sent</summary>
public sealed class RemoteFullException : Exception
{
    /// <summary>Creates the exception</summary>
    public RemoteFullException() : base("The remote node has MaxOutstandingBytes waiting for NATS; check HasRoom and send later.") { }
}
