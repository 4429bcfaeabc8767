using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Stakker.Hosting.Tests;

/// <summary>Builds small hosts for the tests: no default logging or configuration files</summary>
internal static class Hosts
{
    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    internal static IHost Build(Action<HostApplicationBuilder> setup)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        setup(builder);
        return builder.Build();
    }

    internal static StakkerRuntime Stakker(this IHost host) => host.Services.GetRequiredService<StakkerRuntime>();

    /// <summary>Awaits with the test timeout, so a hang fails the test instead of blocking the run</summary>
    internal static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Timeout);

    internal static Task Within(this Task task) => task.WaitAsync(Timeout);

    internal static Task<T> Within<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Timeout);
}

/// <summary>A thread-safe record of what happened, in order</summary>
internal sealed class EventLog
{
    readonly List<string> _events = [];

    internal void Add(string e)
    {
        lock (_events) _events.Add(e);
    }

    internal string[] Snapshot()
    {
        lock (_events) return [.. _events];
    }
}
