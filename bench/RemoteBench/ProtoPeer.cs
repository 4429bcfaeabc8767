using System.Buffers.Binary;
using System.Diagnostics;
using Google.Protobuf;
using Proto;
using Proto.Remote;
using Proto.Remote.GrpcNet;

namespace RemoteBench;

/// <summary>Proto.Actor 1.8.0 with Proto.Remote (gRPC over HTTP/2); messages through a minimal
/// binary serializer, so the transport is measured rather than JSON</summary>
public static class ProtoPeer
{
    public sealed record PPing(int V);
    public sealed record PAdd(int N);
    public sealed record PTotal;
    public sealed record PCount(long N);
    sealed record Start(int N, TaskCompletionSource<TimeSpan> Done);

    /// <summary>Ints and longs as little-endian bytes; the type name is one letter</summary>
    public sealed class BenchSerializer : ISerializer
    {
        public ByteString Serialize(object obj)
        {
            Span<byte> b = stackalloc byte[8];
            switch (obj)
            {
                case PPing p: BinaryPrimitives.WriteInt32LittleEndian(b, p.V); return ByteString.CopyFrom(b[..4]);
                case PAdd a: BinaryPrimitives.WriteInt32LittleEndian(b, a.N); return ByteString.CopyFrom(b[..4]);
                case PCount c: BinaryPrimitives.WriteInt64LittleEndian(b, c.N); return ByteString.CopyFrom(b);
                default: return ByteString.Empty;
            }
        }

        public object Deserialize(ByteString bytes, string typeName) => typeName switch
        {
            "P" => new PPing(BinaryPrimitives.ReadInt32LittleEndian(bytes.Span)),
            "A" => new PAdd(BinaryPrimitives.ReadInt32LittleEndian(bytes.Span)),
            "C" => new PCount(BinaryPrimitives.ReadInt64LittleEndian(bytes.Span)),
            "T" => new PTotal(),
            _ => throw new InvalidOperationException("unknown type " + typeName),
        };

        public string GetTypeName(object message) => message switch
        {
            PPing => "P",
            PAdd => "A",
            PCount => "C",
            PTotal => "T",
            _ => throw new InvalidOperationException("not a bench message"),
        };

        public bool CanSerialize(object obj) => obj is PPing or PAdd or PCount or PTotal;
    }

    sealed class BenchActor : IActor
    {
        long _total;

        public Task ReceiveAsync(IContext c)
        {
            switch (c.Message)
            {
                case PPing p: c.Respond(p); break;
                case PAdd a: _total += a.N; break;
                case PTotal: c.Respond(new PCount(_total)); _total = 0; break;
            }
            return Task.CompletedTask;
        }
    }

    /// <summary>Sends the next ping when the previous one comes back, as the Stakker client does</summary>
    sealed class Pinger(PID remote) : IActor
    {
        Start? _run;
        int _i;
        Stopwatch _sw = new();

        public Task ReceiveAsync(IContext c)
        {
            switch (c.Message)
            {
                case Start s:
                    _run = s;
                    _i = 0;
                    _sw = Stopwatch.StartNew();
                    c.Request(remote, new PPing(0));
                    break;
                case PPing p:
                    if (p.V != _i) { _run!.Done.TrySetException(new InvalidOperationException("wrong pong")); break; }
                    if (++_i == _run!.N) { _run.Done.TrySetResult(_sw.Elapsed); break; }
                    c.Request(remote, new PPing(_i));
                    break;
            }
            return Task.CompletedTask;
        }
    }

    static ActorSystem System(int port) =>
        new ActorSystem().WithRemote(RemoteConfig.BindToLocalhost(port).WithSerializer(7, 1000, new BenchSerializer()));

    public static async Task ServeAsync()
    {
        ActorSystem system = System(Ports.ProtoServer);
        await system.Remote().StartAsync();
        system.Root.SpawnNamed(Props.FromProducer(() => new BenchActor()), "bench");
        await Server.ReadyAndWaitAsync();
        await system.Remote().ShutdownAsync();
    }

    public sealed class Client : IPeerClient
    {
        ActorSystem _system = null!;
        PID _remote = null!;
        PID _pinger = null!;

        public string Name => "Proto.Remote 1.8.0 (gRPC)";

        public async Task StartAsync()
        {
            _system = System(Ports.ProtoClient);
            await _system.Remote().StartAsync();
            _remote = PID.FromAddress($"127.0.0.1:{Ports.ProtoServer}", "bench");
            _pinger = _system.Root.Spawn(Props.FromProducer(() => new Pinger(_remote)));
        }

        public Task<TimeSpan> PingPongAsync(int roundTrips)
        {
            var done = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
            _system.Root.Send(_pinger, new Start(roundTrips, done));
            return done.Task;
        }

        public async Task<TimeSpan> OneWayAsync(int messages)
        {
            var sw = Stopwatch.StartNew();
            var add = new PAdd(1);
            for (int i = 0; i < messages; i++) _system.Root.Send(_remote, add);
            PCount count = await _system.Root.RequestAsync<PCount>(_remote, new PTotal(), TimeSpan.FromSeconds(120));
            if (count.N != messages) throw new InvalidOperationException($"counted {count.N}, sent {messages}");
            return sw.Elapsed;
        }

        public async ValueTask DisposeAsync() => await _system.Remote().ShutdownAsync();
    }
}
