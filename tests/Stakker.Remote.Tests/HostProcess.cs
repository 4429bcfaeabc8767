using System.Diagnostics;

namespace Stakker.Remote.Tests;

/// <summary>A Stakker.Remote.TestHost process publishing a Counter under a name; killed on dispose</summary>
public sealed class HostProcess : IDisposable
{
    readonly Process _process;

    HostProcess(Process process, string id)
    {
        _process = process;
        Id = id;
    }

    public string Id { get; }

    public static async Task<HostProcess> StartAsync(string urls, string name, string id, string? queue = null)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "Stakker.Remote.TestHost.dll");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        foreach (string a in new[] { "--url", urls, "--name", name, "--id", id, "--keepalive-ms", "150", "--lost-ms", "1500" }) psi.ArgumentList.Add(a);
        if (queue is not null) { psi.ArgumentList.Add("--queue"); psi.ArgumentList.Add(queue); }
        var process = Process.Start(psi)!;
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data == "READY " + id) ready.TrySetResult(); };
        process.ErrorDataReceived += (_, e) => { lock (errors) errors.AppendLine(e.Data); };
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"test host {id} exited: {errors}"));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return new HostProcess(process, id);
    }

    /// <summary>Ends the process at once, as a crash would: no goodbye reaches anyone</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(5000);
    }

    public void Dispose()
    {
        try { Kill(); }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
