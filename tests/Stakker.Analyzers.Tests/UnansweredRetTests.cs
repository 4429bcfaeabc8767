namespace Stakker.Analyzers.Tests;

public class UnansweredRetTests
{
    const string Prelude = """
        sealed class Other { public void Get(Cx<Other> cx, Ret<int> r) => r.Answer(1); }

        """;

    [Fact]
    public Task RetForgottenOnOneBranch_IsReported() => Verify<UnansweredRetAnalyzer>.Analyzer(Prelude + """
        sealed class Store
        {
            int _value;
            public void Get(Cx<Store> cx, bool ready, Ret<int> {|STK0004:r|})
            {
                if (ready) r.Answer(_value);
            }
        }
        """);

    [Fact]
    public Task RetIgnoredInALambdaAndLostToACatch_AreReported() => Verify<UnansweredRetAnalyzer>.Analyzer(Prelude + """
        sealed class Store
        {
            int _value;
            public static void Send(Actor<Store> s) => s.Call(static (a, cx, {|STK0004:r|}) => a._value++, Ret.Nop<int>());
            public void Parse(Cx<Store> cx, string text, Ret<int> {|STK0004:r|})
            {
                try { _value = int.Parse(text); r.Answer(_value); }
                catch (FormatException) { _value = 0; }
            }
        }
        """);

    [Fact]
    public Task RetAnsweredPassedStoredOrEndedOnEveryPath_IsNotReported() => Verify<UnansweredRetAnalyzer>.Analyzer(Prelude + """
        sealed class Store
        {
            Ret<int> _pending;
            int _value;
            public void Get(Cx<Store> cx, int mode, Actor<Other> other, Ret<int> r)
            {
                switch (mode)
                {
                    case 0: r.Answer(_value); break;
                    case 1: other.Call(static (a, cx, r) => a.Get(cx, r), r); break;
                    case 2: _pending = r; break;
                    case 3: cx.Fail("bad mode"); break;
                    default: throw new ArgumentOutOfRangeException(nameof(mode));
                }
            }
            public void Later(Cx<Store> cx, Ret<int> r) => cx.After(TimeSpan.FromSeconds(1), static (a, cx, r) => r.Answer(a._value), r);
        }
        """);

    [Fact]
    public Task RetAnsweredInFinallyOrByLocalFunctionOrDisposed_IsNotReported() => Verify<UnansweredRetAnalyzer>.Analyzer(Prelude + """
        sealed class Store
        {
            int _value;
            public void A(Cx<Store> cx, Ret<int> r)
            {
                try { _value++; }
                finally { r.Answer(_value); }
            }
            // A handler lambda inside a try: the try belongs to the code around it, not to the lambda.
            public static void C(Core core, Actor<Store> s)
            {
                try { s.Call(static (a, cx, r) => a.A(cx, r), Ret.Nop<int>()); }
                catch (InvalidOperationException) { }
            }
            public void B(Cx<Store> cx, Ret<int> r)
            {
                if (!r.IsPending) { r.Dispose(); return; }
                Reply();
                void Reply() => r.Answer(_value);
            }
            // "No value" with a cause ends the Ret as Dispose does.
            public void D(Cx<Store> cx, Ret<int> r)
            {
                if (_value > 0) r.Answer(_value);
                else r.Abandon(StopCause.Lost);
            }
        }
        """);
}
