namespace Stakker.Analyzers.Tests;

public class BlockingCallTests
{
    const string Actor = """
        sealed class Cache
        {
            public string Text = "";
            public Task<string> Pending = Task.FromResult("");
        }

        """;

    [Fact]
    public Task SleepInHandlerMethod_IsReported() => Verify<BlockingCallAnalyzer>.Analyzer(Actor + """
        static class Handlers
        {
            public static void Load(Cache c, Cx<Cache> cx) { {|STK0001:Thread.Sleep(100)|}; }
        }
        """);

    [Fact]
    public Task ResultAndFileReadInHandlerLambda_AreReported() => Verify<BlockingCallAnalyzer>.Analyzer(Actor + """
        static class Use
        {
            public static void Go(Actor<Cache> a) =>
                a.Call(static (c, cx, path) => { c.Text = {|STK0001:File.ReadAllText(path)|} + {|STK0001:c.Pending.Result|}; }, "x.txt");
        }
        """);

    [Fact]
    public Task WaitInRetEndPointAndSemaphoreInCoroutine_AreReported() => Verify<BlockingCallAnalyzer>.Analyzer(Actor + """
        static class Use
        {
            public static Ret<int> Answer(Actor<Cache> a) => a.Ret<int>(static (c, cx, n) => {|STK0001:c.Pending.Wait()|});
            public static void Co(Cx<Cache> cx, SemaphoreSlim gate) =>
                cx.StartAsync(async co => { {|STK0001:gate.Wait()|}; await Task.Yield(); });
        }
        """);

    [Fact]
    public Task BlockingOutsideHandlers_IsNotReported() => Verify<BlockingCallAnalyzer>.Analyzer(Actor + """
        static class Driver
        {
            // A driver or test may block: no actor runs on this stack.
            public static string Main(Task<string> t) { Thread.Sleep(1); return t.Result + File.ReadAllText("a"); }
        }
        """);

    [Fact]
    public Task BlockingInALambdaHandedToTheThreadPool_IsNotReported() => Verify<BlockingCallAnalyzer>.Analyzer(Actor + """
        static class Handlers
        {
            public static void Load(Cache c, Cx<Cache> cx) => Task.Run(() => { Thread.Sleep(100); return File.ReadAllText("a"); });
        }
        """);

    [Fact]
    public Task ResultOfATaskAlreadyAwaitedOrChecked_IsNotReported() => Verify<BlockingCallAnalyzer>.Analyzer(Actor + """
        static class Handlers
        {
            public static void Peek(Cache c, Cx<Cache> cx) { if (c.Pending.IsCompletedSuccessfully) c.Text = c.Pending.Result; }
            public static void Co(Cx<Cache> cx, Task<string> t) =>
                cx.StartAsync(async co => { await t; co.State.Text = t.Result; });
        }
        """);

    [Fact]
    public Task AsyncLookAlikesInACoroutine_AreNotReported() => Verify<BlockingCallAnalyzer>.Analyzer(Actor + """
        static class Handlers
        {
            public static void Co(Cx<Cache> cx, SemaphoreSlim gate) =>
                cx.StartAsync(async co => { await gate.WaitAsync(); co.State.Text = await File.ReadAllTextAsync("a"); await co.Delay(TimeSpan.FromSeconds(1)); });
        }
        """);

    [Fact]
    public Task Fix_SleepInCoroutine_BecomesDelayOnVirtualTime() => Verify<BlockingCallAnalyzer>.CodeFix<BlockingCallCodeFix>(Actor + """
        static class Handlers
        {
            public static void Co(Cx<Cache> cx) =>
                cx.StartAsync(async co => { {|STK0001:Thread.Sleep(250)|}; await Task.Yield(); });
        }
        """, Actor + """
        static class Handlers
        {
            public static void Co(Cx<Cache> cx) =>
                cx.StartAsync(async co => { await co.Delay(TimeSpan.FromMilliseconds(250)); await Task.Yield(); });
        }
        """);

    [Fact]
    public Task Fix_ResultAndSyncReadInCoroutine_BecomeAwaits() => Verify<BlockingCallAnalyzer>.CodeFix<BlockingCallCodeFix>(Actor + """
        static class Handlers
        {
            public static void Co(Cx<Cache> cx) =>
                cx.StartAsync(async co =>
                {
                    co.State.Text = {|STK0001:co.State.Pending.Result|};
                    co.State.Text += {|STK0001:File.ReadAllText("a")|};
                });
        }
        """, Actor + """
        static class Handlers
        {
            public static void Co(Cx<Cache> cx) =>
                cx.StartAsync(async co =>
                {
                    co.State.Text = await co.State.Pending;
                    co.State.Text += await File.ReadAllTextAsync("a");
                });
        }
        """);

    [Fact]
    public Task Fix_NotOfferedInAPlainHandler() => Verify<BlockingCallAnalyzer>.CodeFix<BlockingCallCodeFix>(Actor + """
        static class Handlers
        {
            public static void Load(Cache c, Cx<Cache> cx) { {|STK0001:Thread.Sleep(100)|}; }
        }
        """, Actor + """
        static class Handlers
        {
            public static void Load(Cache c, Cx<Cache> cx) { {|STK0001:Thread.Sleep(100)|}; }
        }
        """);
}
