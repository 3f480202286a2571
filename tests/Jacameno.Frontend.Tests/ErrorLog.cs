using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jacameno.Frontend.Tests;

/// <summary>The errors a running platform logs while captured (its log filters apply), by category.</summary>
public sealed class ErrorLog : ILoggerProvider
{
    private volatile bool capturing = true;

    public ConcurrentQueue<string> Entries { get; } = new();

    public static ErrorLog Capture(IServiceProvider services)
    {
        var log = new ErrorLog();
        services.GetRequiredService<ILoggerFactory>().AddProvider(log);
        return log;
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() => capturing = false; // a factory cannot drop a provider: this one stops listening

    private sealed class Logger(ErrorLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => log.capturing && logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                log.Entries.Enqueue($"{category}: {formatter(state, exception)}");
            }
        }
    }
}
