using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Faults.Tests.Implementation;

/// <summary>
/// An <see cref="ILoggerProvider"/> that keeps every log record of the host as text: message, exception, state
/// values and scope values, so a test can search all of it for secrets. Bounded to the newest records.
/// </summary>
internal sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private const int MaxRecords = 20_000;
    private readonly ConcurrentQueue<string> _records = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Records => _records.ToArray();

    public string AllText => string.Join('\n', _records);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private void Add(string record)
    {
        _records.Enqueue(record);
        while (_records.Count > MaxRecords && _records.TryDequeue(out _))
        {
        }
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new StringBuilder().Append(logLevel).Append(' ').Append(category).Append(": ").Append(formatter(state, exception));
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    text.Append(" | ").Append(key).Append('=').Append(value);
                }
            }

            owner._scopes.ForEachScope((scope, sb) =>
            {
                sb.Append(" | scope ").Append(scope);
                if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                {
                    foreach (var (key, value) in pairs)
                    {
                        sb.Append(' ').Append(key).Append('=').Append(value);
                    }
                }
            }, text);
            if (exception is not null)
            {
                text.Append('\n').Append(exception);
            }

            owner.Add(text.ToString());
        }
    }
}
