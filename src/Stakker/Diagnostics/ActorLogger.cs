using System.Collections;
using Microsoft.Extensions.Logging;

namespace Stakker.Diagnostics;

/// <summary>An actor's own logger: its state type's category, and its identity (<c>ActorType</c>,
/// <c>ActorId</c>, <c>Core</c>) as a scope around each entry that is written</summary>
/// <remarks>Made once per actor, on first use of <see cref="Cx{T}.Logger"/>. An entry below the
/// enabled level costs the category logger's <c>IsEnabled</c> and nothing else.</remarks>
internal sealed class ActorLogger(ILogger inner, string actorType, long actorId, string core) : ILogger
{
    readonly ActorScope _scope = new(actorType, actorId, core);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel)) return;
        using (inner.BeginScope(_scope)) inner.Log(logLevel, eventId, state, exception, formatter);
    }

    /// <summary>The identity fields, as a scope every structured provider understands</summary>
    sealed class ActorScope(string actorType, long actorId, string core) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public KeyValuePair<string, object?> this[int index] => index switch
        {
            0 => new("ActorType", actorType),
            1 => new("ActorId", actorId),
            2 => new("Core", core),
            _ => throw new ArgumentOutOfRangeException(nameof(index)),
        };

        public int Count => 3;

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (int i = 0; i < Count; i++) yield return this[i];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"{actorType}#{actorId} on Core {core}";
    }
}
