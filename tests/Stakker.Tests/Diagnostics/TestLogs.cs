using Microsoft.Extensions.Logging;

namespace Stakker.Tests.Diagnostics;

/// <summary>One log entry as a structured provider sees it: level, event, category, fields, scopes</summary>
internal sealed record LogEntry(string Category, LogLevel Level, EventId Event, string Message, Exception? Exception,
    IReadOnlyDictionary<string, object?> Fields, IReadOnlyDictionary<string, object?> ScopeFields);

/// <summary>A logger factory that keeps every entry at or above <see cref="MinLevel"/>, with its structured fields</summary>
internal sealed class TestLogs : ILoggerFactory
{
    public readonly List<LogEntry> Entries = [];
    public LogLevel MinLevel = LogLevel.Trace;
    /// <summary>How often any logger was asked whether a level is on</summary>
    public int EnabledQueries;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
    public void AddProvider(ILoggerProvider provider) { }
    public void Dispose() { }

    sealed class Logger(TestLogs logs, string category) : ILogger
    {
        readonly List<object> _scopes = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            _scopes.Add(state);
            return new Pop(_scopes);
        }

        public bool IsEnabled(LogLevel logLevel)
        {
            logs.EnabledQueries++;
            return logLevel >= logs.MinLevel;
        }

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel < logs.MinLevel) return;
            logs.Entries.Add(new LogEntry(category, logLevel, eventId, formatter(state, exception), exception,
                Fields(state), _scopes.SelectMany(Pairs).ToDictionary(p => p.Key, p => p.Value)));
        }

        static Dictionary<string, object?> Fields(object? state) => Pairs(state).ToDictionary(p => p.Key, p => p.Value);

        static IEnumerable<KeyValuePair<string, object?>> Pairs(object? state) =>
            state as IEnumerable<KeyValuePair<string, object?>> ?? [];

        sealed class Pop(List<object> scopes) : IDisposable
        {
            public void Dispose() => scopes.RemoveAt(scopes.Count - 1);
        }
    }
}
