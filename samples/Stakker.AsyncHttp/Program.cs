// An actor that uses a Task-based BCL API (HttpClient) with real I/O, and keeps serving calls while
// the requests are in flight. The HTTP server is an HttpListener on 127.0.0.1 in this process that
// answers slowly, so the interleaving is visible.
using System.Net;
using System.Net.Sockets;
using System.Text;
using Stakker;
using Stakker.Samples.AsyncHttp;

int port = FreePort();
using var server = SlowServer.Start(port, TimeSpan.FromMilliseconds(300));
var core = new Core(Instant.Zero);
var dashboard = core.Spawn<Dashboard, string>(static (cx, url) => new Dashboard(cx, url), $"http://127.0.0.1:{port}/quote", Ret.Shutdown(core));
StopCause? cause = RealTimeDriver.Run(core);
Console.WriteLine($"done: {cause}");
dashboard.Dispose();
return cause?.HasError == true ? 1 : 0;

static int FreePort()
{
    var l = new TcpListener(IPAddress.Loopback, 0);
    l.Start();
    int p = ((IPEndPoint)l.LocalEndpoint).Port;
    l.Stop();
    return p;
}

namespace Stakker.Samples.AsyncHttp
{
    /// <summary>Fetches three quotes over HTTP in a coroutine while a timer ticks on the same actor</summary>
    sealed class Dashboard : IDisposable
    {
        readonly HttpClient _http = new();
        readonly string _url;
        int _ticks;
        FixedTimerKey _ticker;

        public Dashboard(Cx<Dashboard> cx, string url)
        {
            _url = url;
            _ticker = cx.After(TimeSpan.FromMilliseconds(100), static (a, cx) => a.Tick(cx));
            _ = cx.StartAsync(static async co =>
            {
                for (int i = 1; i <= 3; i++)
                {
                    Say(co.Core, $"request {i} sent");
                    string quote = await co.State._http.GetStringAsync(co.State._url + "/" + i, co.Token);
                    // Back on the actor: its state is ours again, and the ticks kept coming meanwhile.
                    Say(co.Core, $"response {i}: {quote} (ticks so far: {co.State._ticks})");
                }
                co.Stop();
            });
        }

        void Tick(Cx<Dashboard> cx)
        {
            _ticks++;
            Say(cx.Core, $"tick {_ticks}");
            _ticker = cx.After(TimeSpan.FromMilliseconds(100), static (a, cx) => a.Tick(cx));
        }

        static void Say(Core core, string what) => Console.WriteLine($"{core.Now.SinceZero.TotalSeconds,7:F3}s  {what}");

        public void Dispose() => _http.Dispose();
    }

    /// <summary>A deliberately slow HTTP server on a background thread</summary>
    sealed class SlowServer : IDisposable
    {
        readonly HttpListener _listener = new();
        readonly CancellationTokenSource _stop = new();

        public static SlowServer Start(int port, TimeSpan delay)
        {
            var s = new SlowServer();
            s._listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            s._listener.Start();
            _ = Task.Run(() => s.Serve(delay));
            return s;
        }

        async Task Serve(TimeSpan delay)
        {
            int n = 0;
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext ctx;
                try { ctx = await _listener.GetContextAsync(); }
                catch (Exception) { return; }
                await Task.Delay(delay);
                byte[] body = Encoding.UTF8.GetBytes($"ACME {100 + ++n * 7}.00");
                ctx.Response.ContentLength64 = body.Length;
                await ctx.Response.OutputStream.WriteAsync(body);
                ctx.Response.Close();
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Close();
        }
    }
}
