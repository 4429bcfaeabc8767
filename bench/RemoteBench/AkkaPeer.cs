using System.Buffers.Binary;
using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;

namespace RemoteBench;

/// <summary>Akka.NET 1.5.75 with Akka.Remote (DotNetty TCP); messages through a minimal binary
/// serializer, so the transport is measured rather than JSON</summary>
public static class AkkaPeer
{
    public interface IBenchMessage;
    public sealed record APing(int V) : IBenchMessage;
    public sealed record AAdd(int N) : IBenchMessage;
    public sealed record ATotal : IBenchMessage;
    public sealed record ACount(long N) : IBenchMessage;
    sealed record Start(int N, TaskCompletionSource<TimeSpan> Done);

    public sealed class BenchSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
    {
        public override int Identifier => 4711;

        public override byte[] ToBinary(object obj)
        {
            switch (obj)
            {
                case APing p: { var b = new byte[4]; BinaryPrimitives.WriteInt32LittleEndian(b, p.V); return b; }
                case AAdd a: { var b = new byte[4]; BinaryPrimitives.WriteInt32LittleEndian(b, a.N); return b; }
                case ACount c: { var b = new byte[8]; BinaryPrimitives.WriteInt64LittleEndian(b, c.N); return b; }
                default: return [];
            }
        }

        public override object FromBinary(byte[] bytes, string manifest) => manifest switch
        {
            "P" => new APing(BinaryPrimitives.ReadInt32LittleEndian(bytes)),
            "A" => new AAdd(BinaryPrimitives.ReadInt32LittleEndian(bytes)),
            "C" => new ACount(BinaryPrimitives.ReadInt64LittleEndian(bytes)),
            "T" => new ATotal(),
            _ => throw new InvalidOperationException("unknown manifest " + manifest),
        };

        public override string Manifest(object o) => o switch
        {
            APing => "P",
            AAdd => "A",
            ACount => "C",
            ATotal => "T",
            _ => throw new InvalidOperationException("not a bench message"),
        };
    }

    sealed class BenchActor : UntypedActor
    {
        long _total;

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case APing p: Sender.Tell(p); break;
                case AAdd a: _total += a.N; break;
                case ATotal: Sender.Tell(new ACount(_total)); _total = 0; break;
            }
        }
    }

    /// <summary>Sends the next ping when the previous one comes back, as the Stakker client does</summary>
    sealed class Pinger(IActorRef remote) : UntypedActor
    {
        Start? _run;
        int _i;
        Stopwatch _sw = new();

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case Start s:
                    _run = s;
                    _i = 0;
                    _sw = Stopwatch.StartNew();
                    remote.Tell(new APing(0), Self);
                    break;
                case APing p:
                    if (p.V != _i) { _run!.Done.TrySetException(new InvalidOperationException("wrong pong")); break; }
                    if (++_i == _run!.N) { _run.Done.TrySetResult(_sw.Elapsed); break; }
                    remote.Tell(new APing(_i), Self);
                    break;
            }
        }
    }

    static ActorSystem System(string name, int port) => ActorSystem.Create(name, ConfigurationFactory.ParseString($$"""
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          actor {
            provider = remote
            serializers { bench = "RemoteBench.AkkaPeer+BenchSerializer, RemoteBench" }
            serialization-bindings { "RemoteBench.AkkaPeer+IBenchMessage, RemoteBench" = bench }
          }
          remote.dot-netty.tcp { hostname = "127.0.0.1", port = {{port}} }
        }
        """));

    public static async Task ServeAsync()
    {
        ActorSystem system = System("bench", Ports.AkkaServer);
        system.ActorOf(Props.Create(() => new BenchActor()), "bench");
        await Server.ReadyAndWaitAsync();
        await system.Terminate();
    }

    public sealed class Client : IPeerClient
    {
        ActorSystem _system = null!;
        IActorRef _remote = null!;
        IActorRef _pinger = null!;

        public string Name => "Akka.Remote 1.5.75 (TCP)";

        public async Task StartAsync()
        {
            _system = System("client", Ports.AkkaClient);
            _remote = await _system.ActorSelection($"akka.tcp://bench@127.0.0.1:{Ports.AkkaServer}/user/bench").ResolveOne(TimeSpan.FromSeconds(20));
            IActorRef remote = _remote;
            _pinger = _system.ActorOf(Props.Create(() => new Pinger(remote)));
        }

        public Task<TimeSpan> PingPongAsync(int roundTrips)
        {
            var done = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pinger.Tell(new Start(roundTrips, done));
            return done.Task;
        }

        public async Task<TimeSpan> OneWayAsync(int messages)
        {
            var sw = Stopwatch.StartNew();
            var add = new AAdd(1);
            for (int i = 0; i < messages; i++) _remote.Tell(add, ActorRefs.NoSender);
            ACount count = await _remote.Ask<ACount>(new ATotal(), TimeSpan.FromSeconds(120));
            if (count.N != messages) throw new InvalidOperationException($"counted {count.N}, sent {messages}");
            return sw.Elapsed;
        }

        public async ValueTask DisposeAsync() => await _system.Terminate();
    }
}
