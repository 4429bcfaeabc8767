namespace Stakker.Analyzers.Tests;

public class TimerWakerLeakTests
{
    const string Actor = """
        sealed class Session : IDisposable
        {
            MaxTimerKey _idle;
            MinTimerKey _deadline;
            Waker? _waker;
            public void Dispose() => _waker?.Dispose();

        """;

    [Fact]
    public Task TimerKeysKeptInLocals_AreReported() => Verify<TimerWakerLeakAnalyzer>.Analyzer(Actor + """
            public void Touch(Cx<Session> cx)
            {
                MaxTimerKey idle = default;
                cx.TimerMax({|STK0008:ref idle|}, cx.Now + TimeSpan.FromSeconds(30), static (a, cx) => cx.Stop());
                var deadline = new MinTimerKey();
                cx.TimerMin({|STK0008:ref deadline|}, cx.Now + TimeSpan.FromSeconds(5), static (a, cx) => cx.Stop());
            }
        }
        """);

    [Fact]
    public Task WakersDroppedOrNeverDisposed_AreReported() => Verify<TimerWakerLeakAnalyzer>.Analyzer(Actor + """
            public void Listen(Cx<Session> cx)
            {
                {|STK0008:cx.Core.CreateWaker(cx.Fwd<bool>(static (a, cx, dropped) => { }))|};
                var {|STK0008:w = cx.Core.CreateWaker(Fwd.Nop<bool>())|};
                w.Wake();
            }
        }
        """);

    [Fact]
    public Task TimerKeysInFieldsOrKeptAfterward_AreNotReported() => Verify<TimerWakerLeakAnalyzer>.Analyzer(Actor + """
            public void Touch(Cx<Session> cx)
            {
                cx.TimerMax(ref _idle, cx.Now + TimeSpan.FromSeconds(30), static (a, cx) => cx.Stop());
                cx.TimerMin(ref _deadline, cx.Now + TimeSpan.FromSeconds(5), static (a, cx) => cx.Stop());
                MaxTimerKey k = _idle;
                cx.TimerMax(ref k, cx.Now + TimeSpan.FromSeconds(60), static (a, cx) => cx.Stop());
                _idle = k;
                cx.After(TimeSpan.FromSeconds(1), static (a, cx) => { });   // a fixed timer frees itself
            }
        }
        """);

    [Fact]
    public Task WakersKeptHandedOnOrDisposed_AreNotReported() => Verify<TimerWakerLeakAnalyzer>.Analyzer(Actor + """
            public void Listen(Cx<Session> cx, List<Waker> all)
            {
                _waker = cx.Core.CreateWaker(Fwd.Nop<bool>());
                using var once = cx.Core.CreateWaker(Fwd.Nop<bool>());
                var shared = cx.Core.CreateWaker(Fwd.Nop<bool>());
                all.Add(shared);
                Core core = cx.Core;
                var t = new Thread(() => { var w = core.CreateWaker(Fwd.Nop<bool>()); w.Dispose(); });
            }
        }
        """);
}
