using System.Net.Sockets;

namespace Stakker.IO;

/// <summary>A reusable socket operation: its buffer, its result, and the owner told when it completes</summary>
/// <remarks>
/// <para>Both backends use it: the SocketAsyncEventArgs backend starts operations with it, the
/// reactor only borrows its buffer and <see cref="SocketAsyncEventArgs.AcceptSocket"/> and writes
/// the result. Either way the owner reads <see cref="Transferred"/> and <see cref="Error"/>.</para>
/// <para>An operation that completes synchronously (the start call returns false) is handled at once
/// by the caller on the Core's thread; only an asynchronous SocketAsyncEventArgs completion comes
/// through <see cref="OnCompleted"/>, on another thread, and is queued for the Core.</para>
/// </remarks>
internal sealed class IoArgs : SocketAsyncEventArgs
{
    /// <summary>Where asynchronous completions are queued; null on the reactor, which has none</summary>
    readonly SocketArgsBackend? _completions;

    internal IoArgs(IIoOwner owner, SocketArgsBackend? completions) : base(unsafeSuppressExecutionContextFlow: true)
    {
        Owner = owner;
        _completions = completions;
    }

    internal readonly IIoOwner Owner;

    /// <summary>Bytes moved by the last operation (read through here whichever backend ran it)</summary>
    internal int Transferred;
    /// <summary>Outcome of the last operation</summary>
    internal SocketError Error;

    internal void SetResult(int transferred, SocketError error)
    {
        Transferred = transferred;
        Error = error;
    }

    /// <summary>Copies the result of a SocketAsyncEventArgs operation</summary>
    internal void TakeResult() => SetResult(BytesTransferred, SocketError);

    /// <summary>Runs on the thread that finished the operation: hand it to the Core</summary>
    protected override void OnCompleted(SocketAsyncEventArgs e)
    {
        TakeResult();
        _completions!.Post(this);
    }
}
