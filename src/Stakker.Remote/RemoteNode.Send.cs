using System.Buffers;
using MemoryPack;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using Stakker.Remote.Wire;

namespace Stakker.Remote;

public sealed partial class RemoteNode
{
    readonly Dictionary<string, FrameWriter> _writers = new(StringComparer.Ordinal);
    readonly List<string> _dirty = new();
    readonly Action<RemoteNode> _flush;
    bool _flushQueued;
    long _outstanding;

    /// <summary>Frames handed to NATS so far, and the records in them (read on the Core's thread)</summary>
    internal long FramesShipped { get; private set; }
    internal long RecordsShipped { get; private set; }

    /// <summary>Largest record: half a frame, so a record always fits behind what is already batched</summary>
    internal int MaxRecordBytes => Options.MaxFrameBytes / 2 - FrameFormat.HeaderBytes;

    /// <summary>The batch for <paramref name="subject"/>, shipped first if it is half full</summary>
    internal FrameWriter WriterFor(string subject)
    {
        if (!_writers.TryGetValue(subject, out FrameWriter? w))
            _writers.Add(subject, w = new FrameWriter());
        else if (w.Count > Options.MaxFrameBytes / 2 || w.Records >= Options.MaxRecordsPerFrame)
            Ship(subject, w);
        return w;
    }

    /// <summary>A record was added for <paramref name="subject"/>: it leaves when the Core's run has
    /// drained its main queue (the lazy queue), with everything else sent to that subject meanwhile</summary>
    internal void Touched(string subject)
    {
        if (!_dirty.Contains(subject)) _dirty.Add(subject);
        if (_flushQueued) return;
        _flushQueued = true;
        _core.Lazy(_flush, this);
    }

    void FlushAll()
    {
        _flushQueued = false;
        foreach (string subject in _dirty)
            if (_writers.TryGetValue(subject, out FrameWriter? w) && !w.IsEmpty)
                Ship(subject, w);
        _dirty.Clear();
    }

    void Ship(string subject, FrameWriter w)
    {
        if (w.IsEmpty) return;
        FramesShipped++;
        RecordsShipped += w.Records;
        byte[] buffer = w.Take(out int length);
        Interlocked.Add(ref _outstanding, length);
        var o = new Outgoing(subject, buffer, length);
        if (Volatile.Read(ref _queued) == 0 && _inboxReady.IsCompletedSuccessfully && !_stop.IsCancellationRequested)
        {
            PublishFromCore(o);
            return;
        }
        Interlocked.Increment(ref _queued);
        if (!_out.Writer.TryWrite(o))
        {
            Interlocked.Decrement(ref _queued);
            Release(o);
        }
    }

    // Frames handed to NATS and not finished: one published from the Core still pending, and those in
    // the channel or being published by the sending task. While any is, frames go through the channel,
    // behind them, so the order of frames is kept.
    int _queued;
    Task _fromCorePending = Task.CompletedTask;

    /// <summary>Publishes on the Core's thread when nothing is queued: the client only copies the
    /// frame into its buffer, so this rarely waits, and when it would, the Core does not wait for it</summary>
    /// <remarks>Each hop between threads is a wake-up on a busy machine; the sending task is one
    /// fewer on every frame of a round trip (decision 087).</remarks>
    void PublishFromCore(Outgoing o)
    {
        ValueTask sent;
        try
        {
            sent = _nats.PublishAsync(o.Subject, new ReadOnlyMemory<byte>(o.Buffer, 0, o.Length), replyTo: Inbox,
                serializer: NatsRawSerializer<ReadOnlyMemory<byte>>.Default, cancellationToken: _stop.Token);
        }
        catch (Exception e)
        {
            PublishFailed(e, o);
            Release(o);
            return;
        }
        if (sent.IsCompleted)
        {
            try { sent.GetAwaiter().GetResult(); }
            catch (Exception e) { PublishFailed(e, o); }
            Release(o);
            return;
        }
        Interlocked.Increment(ref _queued);
        Volatile.Write(ref _fromCorePending, FinishFromCore(sent, o));
    }

    async Task FinishFromCore(ValueTask sent, Outgoing o)
    {
        try { await sent.ConfigureAwait(false); }
        catch (Exception e) { PublishFailed(e, o); }
        finally
        {
            Release(o);
            Interlocked.Decrement(ref _queued);
        }
    }

    void PublishFailed(Exception e, Outgoing o)
    {
        if (e is OperationCanceledException && _stop.IsCancellationRequested) return;
        // What the frame carried is given up by the loss timer at the other end and here.
        _log.LogError(e, "Stakker.Remote node {Node}: publishing {Bytes} bytes to {Subject} failed", NodeId, o.Length, o.Subject);
    }

    async Task SendLoop()
    {
        try { await _inboxReady.ConfigureAwait(false); }
        catch (Exception e)
        {
            _log.LogError(e, "Stakker.Remote node {Node}: subscribing its inbox failed; nothing will be sent", NodeId);
        }
        await foreach (Outgoing o in _out.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                // A frame published from the Core before this one was queued goes out first.
                await Volatile.Read(ref _fromCorePending).ConfigureAwait(false);
                if (!_stop.IsCancellationRequested)
                    await _nats.PublishAsync(o.Subject, new ReadOnlyMemory<byte>(o.Buffer, 0, o.Length), replyTo: Inbox,
                        serializer: NatsRawSerializer<ReadOnlyMemory<byte>>.Default, cancellationToken: _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) { PublishFailed(e, o); }
            finally
            {
                Release(o);
                Interlocked.Decrement(ref _queued);
            }
        }
        await Volatile.Read(ref _fromCorePending).ConfigureAwait(false);
    }

    void Release(Outgoing o)
    {
        ArrayPool<byte>.Shared.Return(o.Buffer);
        Interlocked.Add(ref _outstanding, -o.Length);
    }

    /// <summary>Writes one serialised value with its u32 length in front</summary>
    internal static void WriteValue<T>(FrameWriter w, T value)
    {
        int lengthAt = w.Reserve(4);
        int start = w.Count;
        MemoryPackSerializer.Serialize(w, value);
        w.PatchUInt32(lengthAt, (uint)(w.Count - start));
    }

    /// <summary>Reads a value that must fill <paramref name="bytes"/> exactly</summary>
    internal static T ReadValue<T>(ReadOnlySpan<byte> bytes)
    {
        T? value = default;
        int used;
        // Through the reader rather than MemoryPackSerializer.Deserialize<T>, whose T demands every member of the type
        // kept (DynamicallyAccessedMembers.All): for an array or string argument that keeps Array.CreateInstance and
        // Enum.GetValues, and a Native AOT build refuses them (IL3050). The reader is what Deserialize runs.
        try
        {
            // Plain values (int, long, a struct of them) are their bytes, as MemoryPack writes them: read at once.
            if (!System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<T>())
            {
                if (bytes.Length != System.Runtime.CompilerServices.Unsafe.SizeOf<T>())
                    throw new RemoteFrameException($"a {typeof(T).Name} of {bytes.Length} bytes, not {System.Runtime.CompilerServices.Unsafe.SizeOf<T>()}");
                return System.Runtime.CompilerServices.Unsafe.ReadUnaligned<T>(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(bytes));
            }
            using MemoryPackReaderOptionalState state = MemoryPackReaderOptionalStatePool.Rent(null);
            var reader = new MemoryPackReader(bytes, state);
            reader.ReadValue(ref value);
            used = reader.Consumed;
        }
        catch (Exception e) when (e is MemoryPackSerializationException or ArgumentException or InvalidOperationException or OverflowException or IndexOutOfRangeException)
        {
            throw new RemoteFrameException($"cannot read a {typeof(T).Name}: {e.Message}", e);
        }
        if (used != bytes.Length)
            throw new RemoteFrameException($"a {typeof(T).Name} used {used} of its {bytes.Length} bytes");
        return value!;
    }

    /// <summary>Reads a length-prefixed value from the front of <paramref name="bytes"/> (answers and items)</summary>
    internal static T ReadPrefixedValue<T>(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 4) throw new RemoteFrameException("value cut short");
        uint length = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        if (length != (uint)(bytes.Length - 4)) throw new RemoteFrameException("value length does not match its record");
        return ReadValue<T>(bytes.Slice(4));
    }
}

public sealed partial class RemoteNode
{
    internal void CheckCanSend()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!HasRoom) throw new RemoteFullException();
    }
}
