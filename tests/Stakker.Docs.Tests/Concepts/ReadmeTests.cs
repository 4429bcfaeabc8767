namespace Stakker.Docs.Tests.Concepts;

/// <summary>docs/README.md's first look, run</summary>
[Collection(nameof(ConsoleOutput))]
public class ReadmeTests
{
    [Fact]
    public void TheFirstLookPrintsFive()
    {
        var printed = new StringWriter();
        TextWriter original = Console.Out;
        Console.SetOut(printed);
        try
        {
            #region doc:readme-first-look
            var core = new Core(Instant.Zero);
            using var counter = core.Spawn<Counter>(static cx => new Counter(), Ret.Shutdown(core));
            counter.Call(static (c, cx, n) => c.Add(cx, n), 5);                    // queued, allocation-free
            counter.Call(static (c, cx, r) => c.Get(cx, r), Ret.From<int>(core, a => Console.WriteLine(a)));
            core.Run(core.Now, idle: false);                                         // prints 5
            #endregion
        }
        finally
        {
            Console.SetOut(original);
        }
        Assert.Equal("5" + Environment.NewLine, printed.ToString());
    }
}
