using System.Diagnostics.CodeAnalysis;

namespace Stakker;

/// <summary>A call to an actor on another Core was refused because too many calls from the same sender
/// are already on the way to that Core (<see cref="Core.CrossCoreCapacity"/>)</summary>
/// <remarks>Back-pressure, never silent loss: nothing was queued, and a Ret among the call's arguments
/// is still the caller's. Thrown inside a handler it fails the sending actor unless caught; check
/// <see cref="CrossCoreActor{T}.HasRoom"/> first to slow down instead.</remarks>
public sealed class CrossCoreFullException : InvalidOperationException
{
    /// <summary>Creates the exception with its message</summary>
    public CrossCoreFullException(string message) : base(message) { }

    /// <summary>Creates the exception with a default message</summary>
    public CrossCoreFullException() : base("A cross-Core call was refused: the receiving Core's capacity for this sender is full.") { }

    /// <summary>Creates the exception with its message and cause</summary>
    public CrossCoreFullException(string message, Exception innerException) : base(message, innerException) { }

    [DoesNotReturn]
    internal static void Throw(int capacity) => throw new CrossCoreFullException(
        $"A cross-Core call was refused: {capacity} calls from this sender are already on the way to another Core, which has not collected them yet (it is busy or stalled). Check CrossCoreActor.HasRoom before sending, send less, or raise that Core's CrossCoreCapacity.");
}
