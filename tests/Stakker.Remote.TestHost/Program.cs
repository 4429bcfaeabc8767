using NATS.Client.Core;
using Stakker;
using Stakker.Remote;
using Stakker.Remote.TestHost;

// Usage: TestHost --url nats://127.0.0.1:4222[,nats://...] --name counter [--queue q] --id a
//                 [--keepalive-ms 100] [--lost-ms 600]
// Publishes a Counter under --name and an Echo under echo-<id>, prints READY, runs until killed
// or until its standard input closes.
var opts = new Dictionary<string, string>();
for (int i = 0; i + 1 < args.Length; i += 2) opts[args[i].TrimStart('-')] = args[i + 1];
string id = opts.GetValueOrDefault("id", "host");
string[] urls = opts["url"].Split(',');
var remote = new RemoteOptions
{
    KeepAliveInterval = TimeSpan.FromMilliseconds(int.Parse(opts.GetValueOrDefault("keepalive-ms", "1000"))),
    LostAfter = TimeSpan.FromMilliseconds(int.Parse(opts.GetValueOrDefault("lost-ms", "3000"))),
};
await using var nats = new NatsConnection(new NatsOpts
{
    Url = string.Join(",", urls),
    Name = "testhost-" + id,
    SubPendingChannelCapacity = 1 << 20,
});
await nats.ConnectAsync();

var owners = new List<IDisposable>();
var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
using var thread = new CoreThread(core =>
{
    var node = RemoteNode.Create(core, nats, remote);
    var counter = core.Spawn<Counter, string>(static (cx, id) => new Counter(id, cx.This), id, Ret.Shutdown(core));
    var echo = core.Spawn<Echo>(static cx => new Echo(), Ret.Shutdown(core));
    var p1 = node.Publish(CounterRemote.Interface, opts["name"], counter.Actor, opts.GetValueOrDefault("queue"));
    var p2 = node.Publish(EchoRemote.Interface, "echo-" + id, echo.Actor);
    Task.WhenAll(node.Ready, p1.Ready, p2.Ready).ContinueWith(t =>
    {
        if (t.IsFaulted) ready.SetException(t.Exception!);
        else ready.SetResult();
    }, TaskScheduler.Default);
    // The owners live as long as the process: it ends by being killed or by stdin closing.
    lock (owners) { owners.Add(counter); owners.Add(echo); owners.Add(node); }
}, "testhost " + id);
await ready.Task;
Console.WriteLine("READY " + id);
Console.Out.Flush();
await Console.In.ReadToEndAsync();
