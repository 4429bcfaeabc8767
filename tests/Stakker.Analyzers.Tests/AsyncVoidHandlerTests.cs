namespace Stakker.Analyzers.Tests;

public class AsyncVoidHandlerTests
{
    const string Actor = """
        sealed class Feed
        {
            public int Count;
            public async void Refresh() { await Task.Yield(); Count++; }
            public async Task RefreshAsync() { await Task.Yield(); Count++; }
        }

        """;

    [Fact]
    public Task AsyncVoidRetCallbackAndFwdCallback_AreReported() => Verify<AsyncVoidHandlerAnalyzer>.Analyzer(Actor + """
        static class Use
        {
            public static Ret<int> R(Core core) => Ret.From<int>(core, {|STK0002:async|} a => await Task.Yield());
            public static Fwd<int> F(Core core) => Fwd.From<int>(core, {|STK0002:async|} v => await Task.Delay(v));
        }
        """);

    [Fact]
    public Task AsyncVoidCalledOrMadeInsideAHandler_IsReported() => Verify<AsyncVoidHandlerAnalyzer>.Analyzer(Actor + """
        static class Handlers
        {
            public static void Tick(Feed f, Cx<Feed> cx, List<int> items)
            {
                {|STK0002:f.Refresh()|};
                items.ForEach({|STK0002:async|} i => await Task.Delay(i));
            }
        }
        """);

    [Fact]
    public Task AsyncVoidCoroutineMethod_IsReported() => Verify<AsyncVoidHandlerAnalyzer>.Analyzer(Actor + """
        static class Loops
        {
            public static async void {|STK0002:Poll|}(AsyncCx<Feed> co) { await co.Delay(TimeSpan.FromSeconds(1)); }
        }
        """);

    [Fact]
    public Task TaskReturningFormsInHandlers_AreNotReported() => Verify<AsyncVoidHandlerAnalyzer>.Analyzer(Actor + """
        static class Handlers
        {
            public static void Tick(Feed f, Cx<Feed> cx)
            {
                cx.StartAsync(static async co => await co.State.RefreshAsync());
                _ = f.RefreshAsync();
                Func<int, Task> later = async i => await Task.Delay(i);
            }
        }
        """);

    [Fact]
    public Task AsyncVoidOutsideActors_IsNotReported() => Verify<AsyncVoidHandlerAnalyzer>.Analyzer(Actor + """
        static class Driver
        {
            // Driver-level entries: an async lambda is how async code is started on the Core.
            public static void Start(Core core, Feed f)
            {
                core.Defer(async () => await Task.Yield());
                f.Refresh();
            }
        }
        """);
}
