namespace Stakker.Analyzers.Tests;

public class HandlerEscapeTests
{
    const string Actor = """
        sealed class Pump
        {
            public int Value;
            public AsyncCx<Pump>? Kept;
            public static Func<int>? Later;
        }

        """;

    [Fact]
    public Task RunAndQueryInsideHandlers_AreReported() => Verify<HandlerEscapeAnalyzer>.Analyzer(Actor + """
        static class Handlers
        {
            public static void Spin(Pump p, Cx<Pump> cx, Actor<Pump> other)
            {
                {|STK0007:cx.Core.Run(cx.Now, false)|};
                p.Value = {|STK0007:other.Query(static (a, cx) => a.Value)|};
            }
            public static Ret<int> R(Core core) => Ret.From<int>(core, a => {|STK0007:core.WaitForWake(TimeSpan.Zero)|});
        }
        """);

    [Fact]
    public Task CoroutineContextStoredOrCapturedForLater_IsReported() => Verify<HandlerEscapeAnalyzer>.Analyzer(Actor + """
        static class Handlers
        {
            public static void Start(Cx<Pump> cx) => cx.StartAsync(async co =>
            {
                {|STK0007:co.State.Kept = co|};
                _ = Task.Run(() => {|STK0007:co|}.State.Value);
                await Task.Yield();
            });
        }
        """);

    [Fact]
    public Task DriverCallsOutsideHandlersAndQueriesFromCoreCallbacks_AreNotReported() => Verify<HandlerEscapeAnalyzer>.Analyzer(Actor + """
        static class Driver
        {
            public static int Drive(Core core, Actor<Pump> p)
            {
                core.Run(core.Now, false);
                core.Defer(() => p.Query(static (a, cx) => a.Value));
                return p.Query(static (a, cx) => a.Value);
            }
        }
        """);

    [Fact]
    public Task CoroutineContextUsedInPlace_IsNotReported() => Verify<HandlerEscapeAnalyzer>.Analyzer(Actor + """
        static class Handlers
        {
            public static void Start(Cx<Pump> cx) => cx.StartAsync(async co =>
            {
                var values = new List<int> { 1, 2 };
                values.ForEach(v => co.State.Value += v);
                AsyncCx<Pump> local = co;
                await local.Delay(TimeSpan.FromSeconds(1));
            });
        }
        """);
}
