using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Stakker.Redis;

/// <summary>The server's log: one line per entry on standard error, at or above a level</summary>
/// <remarks>A few lines instead of Microsoft.Extensions.Logging.Console, so the native binary stays
/// small and its start-up fast.</remarks>
public sealed class ConsoleLog(LogLevel minLevel, TextWriter? output = null) : ILoggerFactory
{
    readonly TextWriter _out = output ?? Console.Error;

    LogLevel MinLevel => minLevel;

    /// <summary>Writes each finished span of the Stakker activity source to the log, at Debug</summary>
    /// <returns>The listener: dispose it to stop.</returns>
    public ActivityListener ExportSpans()
    {
        ILogger log = CreateLogger("Stakker.Spans");
        var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == StakkerDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => log.LogDebug("span {Span} trace {TraceId} id {SpanId} parent {ParentSpanId} {Duration} us",
                a.DisplayName, a.TraceId, a.SpanId, a.ParentSpanId, a.Duration.TotalMicroseconds),
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc/>
    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("ConsoleLog writes to the console only.");

    /// <inheritdoc/>
    public void Dispose() { }

    sealed class Logger(ConsoleLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= log.MinLevel && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            string line = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}[{eventId.Id}] {formatter(state, exception)}";
            if (exception is not null) line += Environment.NewLine + exception;
            lock (log._out) log._out.WriteLine(line);
        }
    }
}
