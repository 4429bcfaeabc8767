using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Stakker.Analyzers;

/// <summary>How a blocking call can be rewritten inside an async function</summary>
internal static class BlockingFix
{
    /// <summary>Diagnostic property naming the rewrite (absent: no automatic fix)</summary>
    public const string Key = "StakkerFix";
    /// <summary>Thread.Sleep(d) becomes await Task.Delay(d), or await co.Delay(d) in a coroutine</summary>
    public const string Delay = "Delay";
    /// <summary>t.Wait(), t.Result, t.GetAwaiter().GetResult() become await t</summary>
    public const string Await = "Await";
    /// <summary>Task.WaitAll/WaitAny(...) become await Task.WhenAll/WhenAny(...)</summary>
    public const string WhenAll = "WhenAll";
    public const string WhenAny = "WhenAny";
    /// <summary>x.Read(...) becomes await x.ReadAsync(...): the type has an Async twin</summary>
    public const string AsyncTwin = "AsyncTwin";
    /// <summary>Diagnostic property holding the twin's name (SemaphoreSlim.Wait's is WaitAsync)</summary>
    public const string TwinKey = "StakkerTwin";
}

/// <summary>The blocking members of the BCL that STK0001 knows, by declaring type and name</summary>
/// <remarks>Matched by metadata name, so the lookup is a string comparison on the few calls whose
/// member name is in <see cref="Names"/>: no symbol is resolved for the rest.</remarks>
internal static class BlockingApis
{
    static readonly Dictionary<string, string[]> ByType = new()
    {
        ["System.Threading.Thread"] = ["Sleep", "Join"],
        ["System.Threading.Tasks.Task"] = ["Wait", "WaitAll", "WaitAny", "RunSynchronously"],
        ["System.Threading.Tasks.Task`1"] = ["Result"],
        ["System.Threading.Tasks.ValueTask`1"] = ["Result"],
        ["System.Runtime.CompilerServices.TaskAwaiter"] = ["GetResult"],
        ["System.Runtime.CompilerServices.TaskAwaiter`1"] = ["GetResult"],
        ["System.Runtime.CompilerServices.ValueTaskAwaiter"] = ["GetResult"],
        ["System.Runtime.CompilerServices.ValueTaskAwaiter`1"] = ["GetResult"],
        ["System.Runtime.CompilerServices.ConfiguredTaskAwaitable+ConfiguredTaskAwaiter"] = ["GetResult"],
        ["System.Runtime.CompilerServices.ConfiguredTaskAwaitable`1+ConfiguredTaskAwaiter"] = ["GetResult"],
        ["System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable+ConfiguredValueTaskAwaiter"] = ["GetResult"],
        ["System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable`1+ConfiguredValueTaskAwaiter"] = ["GetResult"],
        ["System.Threading.SemaphoreSlim"] = ["Wait"],
        ["System.Threading.Monitor"] = ["Wait"],
        ["System.Threading.WaitHandle"] = ["WaitOne", "WaitAll", "WaitAny", "SignalAndWait"],
        ["System.Threading.ManualResetEventSlim"] = ["Wait"],
        ["System.Threading.CountdownEvent"] = ["Wait"],
        ["System.Threading.Barrier"] = ["SignalAndWait"],
        ["System.Threading.SpinWait"] = ["SpinUntil"],
        ["System.Net.Sockets.Socket"] = ["Receive", "ReceiveFrom", "ReceiveMessageFrom", "Accept", "Connect"],
        ["System.Net.Sockets.NetworkStream"] = ["Read", "ReadByte", "ReadExactly", "ReadAtLeast", "CopyTo"],
        ["System.Net.Sockets.TcpClient"] = ["Connect"],
        ["System.Net.Sockets.TcpListener"] = ["AcceptSocket", "AcceptTcpClient"],
        ["System.Net.Sockets.UdpClient"] = ["Receive"],
        ["System.Net.Dns"] = ["GetHostEntry", "GetHostAddresses"],
        ["System.IO.File"] = ["ReadAllText", "ReadAllBytes", "ReadAllLines", "WriteAllText", "WriteAllBytes", "WriteAllLines", "AppendAllText", "AppendAllLines"],
        ["System.IO.FileStream"] = ["Read", "ReadByte", "ReadExactly", "ReadAtLeast", "CopyTo"],
        ["System.Net.Http.HttpClient"] = ["Send"],
        ["System.Net.Http.HttpContent"] = ["ReadAsStream", "CopyTo"],
        ["System.Net.WebClient"] = ["DownloadString", "DownloadData", "DownloadFile", "UploadString", "UploadData", "UploadFile"],
        ["System.Console"] = ["ReadLine", "Read", "ReadKey"],
        ["System.Diagnostics.Process"] = ["WaitForExit"],
    };

    /// <summary>Every member name in the table: the cheap first test</summary>
    public static readonly HashSet<string> Names = Collect();

    static HashSet<string> Collect()
    {
        var names = new HashSet<string>();
        foreach (var members in ByType.Values)
            foreach (var m in members) names.Add(m);
        return names;
    }

    /// <summary>True if <paramref name="member"/> is one of the table's blocking members</summary>
    public static bool IsBlocking(ISymbol member)
    {
        if (!Names.Contains(member.Name)) return false;
        // Overrides and derived types count too: a NetworkStream seen as a subclass still blocks.
        for (INamedTypeSymbol? t = member.ContainingType?.OriginalDefinition; t is not null; t = t.BaseType?.OriginalDefinition)
        {
            if (ByType.TryGetValue(MetadataName(t), out var members) && System.Array.IndexOf(members, member.Name) >= 0) return true;
        }
        return false;
    }

    static string MetadataName(INamedTypeSymbol t)
    {
        string name = t.MetadataName;
        if (t.ContainingType is { } outer) return MetadataName(outer) + "+" + name;
        string ns = t.ContainingNamespace?.ToDisplayString() ?? "";
        return ns.Length == 0 ? name : ns + "." + name;
    }
}
