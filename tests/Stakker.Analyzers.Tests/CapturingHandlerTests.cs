namespace Stakker.Analyzers.Tests;

public class CapturingHandlerTests
{
    const string Actor = """
        sealed class Light
        {
            public bool On;
            public int Level;
            public void Set(Cx<Light> cx, bool on) => On = on;
            public void Dim(Cx<Light> cx, int level) => Level = level;
            public void Got(Cx<Light> cx, int id, Answer<int> a) { }
        }

        """;

    [Fact]
    public Task LambdasCapturingLocalsOrThis_AreReported() => Verify<CapturingHandlerAnalyzer>.Analyzer(Actor + """
        sealed class Switch
        {
            bool _wanted = true;
            public void Flip(Cx<Switch> cx, Actor<Light> light, int level)
            {
                light.Call({|STK0005:(a, cx) =>|} a.Set(cx, _wanted));
                light.Call({|STK0005:(a, cx) =>|} a.Dim(cx, level));
                cx.After(TimeSpan.FromSeconds(1), {|STK0005:(a, cx) =>|} a._wanted = !a._wanted && level > 0);
            }
        }
        """);

    [Fact]
    public Task CapturingRetEndPointAndBoundMethodGroup_AreReported() => Verify<CapturingHandlerAnalyzer>.Analyzer(Actor + """
        sealed class Helper { public void Run(Light a, Cx<Light> cx) { } }
        static class Use
        {
            public static Ret<int> Ask(Actor<Light> light, int id) => light.Ret<int>({|STK0005:(a, cx, v) =>|} a.Got(cx, id, v));
            public static void Go(Actor<Light> light, Helper h) => light.Call({|STK0005:h.Run|});
        }
        """);

    [Fact]
    public Task StaticOrNonCapturingLambdas_AreNotReported() => Verify<CapturingHandlerAnalyzer>.Analyzer(Actor + """
        static class Use
        {
            public static void Go(Actor<Light> light, int level)
            {
                light.Call(static (a, cx, on) => a.Set(cx, on), true);
                light.Call(static (a, cx, l) => a.Dim(cx, l), level);
                light.Call((a, cx) => a.Set(cx, false));   // captures nothing: cached like a static one
            }
        }
        """);

    [Fact]
    public Task CapturesWhereTheApiHasNoArgumentSlotOrNoQueue_AreNotReported() => Verify<CapturingHandlerAnalyzer>.Analyzer(Actor + """
        sealed class Timeout
        {
            MaxTimerKey _key;
            public void Touch(Cx<Timeout> cx, string reason)
            {
                // TimerMax has no argument slot: a capture is the only way to carry the reason.
                cx.TimerMax(ref _key, cx.Now + TimeSpan.FromSeconds(5), (a, cx) => Console.WriteLine(reason));
            }
            public static int Peek(Actor<Light> light, int offset) => light.Query((a, cx) => a.Level + offset);
        }
        """);

    [Fact]
    public Task Fix_CallPassesCapturedValuesAsArguments() => Verify<CapturingHandlerAnalyzer>.CodeFix<StaticHandlerCodeFix>(Actor + """
        static class Use
        {
            public static void Go(Actor<Light> light, bool on, int level)
            {
                light.Call({|STK0005:(a, cx) =>|} { a.Set(cx, on); a.Dim(cx, level); });
            }
        }
        """, Actor + """
        static class Use
        {
            public static void Go(Actor<Light> light, bool on, int level)
            {
                light.Call(static (a, cx, on, level) => { a.Set(cx, on); a.Dim(cx, level); }, on, level);
            }
        }
        """);

    [Fact]
    public Task Fix_RetEndPointTakesTheCaptureAsItsFixedArgument() => Verify<CapturingHandlerAnalyzer>.CodeFix<StaticHandlerCodeFix>(Actor + """
        static class Use
        {
            public static Ret<int> Ask(Actor<Light> light, int id) => light.Ret<int>({|STK0005:(a, cx, v) =>|} a.Got(cx, id, v));
        }
        """, Actor + """
        static class Use
        {
            public static Ret<int> Ask(Actor<Light> light, int id) => light.Ret<int, int>(id, static (a, cx, id, v) => a.Got(cx, id, v));
        }
        """);

    [Fact]
    public Task Fix_SpawnInitPassesTheCaptureBeforeTheNotifyRet() => Verify<CapturingHandlerAnalyzer>.CodeFix<StaticHandlerCodeFix>(Actor + """
        sealed class Room
        {
            public Room(Cx<Room> cx, int size) { }
            public static ActorOwn<Room> Make(Core core, int size) => core.Spawn<Room>({|STK0005:cx =>|} new Room(cx, size), Ret.Nop<StopCause>());
        }
        """, Actor + """
        sealed class Room
        {
            public Room(Cx<Room> cx, int size) { }
            public static ActorOwn<Room> Make(Core core, int size) => core.Spawn<Room, int>(static (cx, size) => new Room(cx, size), size, Ret.Nop<StopCause>());
        }
        """);
}
