namespace Stakker.Docs.Tests;

/// <summary>Tests that read what the docs' code prints; in one collection, so never two at once</summary>
[CollectionDefinition(nameof(ConsoleOutput))]
public sealed class ConsoleOutput
{
    public static string Capture(Action action)
    {
        var printed = new StringWriter();
        TextWriter original = Console.Out;
        Console.SetOut(printed);
        try { action(); }
        finally { Console.SetOut(original); }
        return printed.ToString();
    }
}
