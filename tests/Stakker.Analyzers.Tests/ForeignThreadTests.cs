namespace Stakker.Analyzers.Tests;

public class ForeignThreadTests
{
    const string Actor = """
        sealed class Meter
        {
            public int Count;
            public void Tick(Cx<Meter> cx) => Count++;
        }

        """;

    [Fact]
    public Task ActorCalledInsideTaskRunOrAThread_IsReported() => Verify<ForeignThreadAnalyzer>.Analyzer(Actor + """
        static class Use
        {
            public static void Start(Actor<Meter> meter, ActorOwn<Meter> own)
            {
                Task.Run(() => {|STK0009:meter.Call(static (m, cx) => m.Tick(cx))|});
                new Thread(() =>
                {
                    for (int i = 0; i < 3; i++) {|STK0009:own.Actor.Call(static (m, cx) => m.Tick(cx))|};
                }).Start();
                ThreadPool.QueueUserWorkItem(_ => {|STK0009:own.Dispose()|});
            }
        }
        """);

    [Fact]
    public Task NestedLambdaInsideParallelFor_IsReported() => Verify<ForeignThreadAnalyzer>.Analyzer(Actor + """
        static class Use
        {
            public static void Start(Actor<Meter> meter, List<int> items) =>
                Parallel.For(0, 4, i => items.ForEach(x => {|STK0009:meter.Call(static (m, cx) => m.Tick(cx))|}));
        }
        """);

    [Fact]
    public Task CrossCoreHandleOnAnotherThread_IsNotReported() => Verify<ForeignThreadAnalyzer>.Analyzer(Actor + """
        static class Use
        {
            public static void Start(CrossCoreActor<Meter> meter) =>
                Task.Run(() => meter.Call(static (m, cx) => m.Tick(cx)));
        }
        """);

    [Fact]
    public Task PostedBackToTheCore_OrCalledOnTheCore_IsNotReported() => Verify<ForeignThreadAnalyzer>.Analyzer(Actor + """
        static class Use
        {
            public static void Start(Core core, CoreThread thread, Actor<Meter> meter)
            {
                Task.Run(() => core.PostFromAnyThread(() => meter.Call(static (m, cx) => m.Tick(cx))));
                Task.Run(() => thread.Post(c => meter.Call(static (m, cx) => m.Tick(cx))));
                meter.Call(static (m, cx) => m.Tick(cx));
                Task.Run(async () => await meter.Ask<int>(static (m, cx, r) => r.Answer(m.Count)));
                Action later = () => meter.Call(static (m, cx) => m.Tick(cx));
            }
        }
        """);
}
