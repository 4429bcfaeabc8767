namespace Stakker.Analyzers.Tests;

public class DiscardedOwnerTests
{
    const string Actors = """
        sealed class Child { public Child(Cx<Child> cx) { } }
        sealed class Parent : IDisposable
        {
            ActorOwn<Child>? _child;
            public Parent(Cx<Parent> cx) { }
            public void Dispose() => _child?.Dispose();

        """;

    [Fact]
    public Task SpawnResultDropped_IsReported() => Verify<DiscardedOwnerAnalyzer>.Analyzer(Actors + """
            public void Grow(Cx<Parent> cx) { {|STK0003:cx.Spawn<Child>(static cx => new Child(cx), cx.RetFailThrough())|}; }
        }
        static class Driver
        {
            public static void Start(Core core) { _ = {|STK0003:core.Spawn<Parent>(static cx => new Parent(cx), Ret.Shutdown(core))|}; }
        }
        """);

    [Fact]
    public Task CreateOwnedAndOwnFactoryDropped_AreReported() => Verify<DiscardedOwnerAnalyzer>.Analyzer(Actors + """
            public static ActorOwn<Child> Make(Core core) => core.Spawn<Child>(static cx => new Child(cx), Ret.Nop<StopCause>());
            public void Grow(Cx<Parent> cx, ActorOwn<Child> other)
            {
                {|STK0003:cx.Core.Create<Child>(Ret.Nop<StopCause>())|};
                {|STK0003:other.Owned()|};
                {|STK0003:Make(cx.Core)|};
            }
        }
        """);

    [Fact]
    public Task OwnerKeptInAFieldOrUsingOrReturned_IsNotReported() => Verify<DiscardedOwnerAnalyzer>.Analyzer(Actors + """
            public void Grow(Cx<Parent> cx) => _child = cx.Spawn<Child>(static cx => new Child(cx), cx.RetFailThrough());
            public static ActorOwn<Child> Make(Core core) => core.Spawn<Child>(static cx => new Child(cx), Ret.Nop<StopCause>());
        }
        static class Driver
        {
            public static void Run(Core core)
            {
                using var p = core.Spawn<Parent>(static cx => new Parent(cx), Ret.Shutdown(core));
                var owners = new List<ActorOwn<Child>> { Parent.Make(core) };
            }
        }
        """);

    [Fact]
    public Task QueryReturningAnOwner_IsNotReported() => Verify<DiscardedOwnerAnalyzer>.Analyzer(Actors + """
            public ActorOwn<Child>? Child => _child;
        }
        static class Driver
        {
            // The query reads an owner the state keeps; dropping the copy read out ends nothing.
            public static void Peek(Actor<Parent> p) { p.Query(static (a, cx) => a.Child); }
        }
        """);
}
