using System.Buffers;
using NATS.Client.Core;

namespace Stakker.Remote;

/// <summary>A NATS subscription that hands each frame to its node straight from the client's reading
/// loop: no channel and no task between the socket and the Core's wake</summary>
/// <remarks>Every hop between threads costs a wake-up on a busy machine; a remote round trip crosses
/// this point twice. The node bounds what waits for its Core (<see cref="RemoteOptions.MaxIncomingBytes"/>).</remarks>
internal sealed class FrameSubscription(INatsConnection nats, string subject, string? queueGroup, RemoteNode node, RemotePublication? target, CancellationToken stop)
    : NatsSubBase(nats, nats.SubscriptionManager, subject, queueGroup, opts: null, stop)
{
    protected override ValueTask ReceiveInternalAsync(string subject, string? replyTo, ReadOnlySequence<byte>? headersBuffer, ReadOnlySequence<byte> payloadBuffer)
    {
        if (!payloadBuffer.IsEmpty) node.Received(payloadBuffer.ToArray(), replyTo, target);
        return ValueTask.CompletedTask;
    }

    protected override void TryComplete() { }
}
