using Flit.Cli.Commands;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Flit.Cli.Hosting;

/// <summary>
/// The process's logging, from <c>--log-level</c> and <c>--log-file</c>. The terminal's standard output is the run's
/// summary, which people and tests read, so no log line ever goes there: with <c>--log-file</c> the log is JSON lines
/// in that file (Serilog's compact JSON: every event's properties and its scope's — MigrationId, RunId, Stage,
/// ObjectType, BatchId — at the top level); with <c>--log-level</c> alone it goes to standard error; with neither there
/// is no log.
/// </summary>
internal static class CliLogging
{
    /// <summary>The level of the log file when <c>--log-level</c> is not given.</summary>
    public const LogLevel DefaultFileLevel = LogLevel.Information;

    /// <summary>The process's logger factory: set once by Program before any command runs (the local runner has no
    /// dependency injection to carry it), a factory that logs nothing until then.</summary>
    public static ILoggerFactory Loggers { get; private set; } = NullLoggerFactory.Instance;

    /// <summary>Builds the process's logging, or throws a <see cref="UserFacingException"/> (usage) naming the problem
    /// when the log file cannot be written.</summary>
    public static ILoggerFactory Start(LogLevel? level, string? file)
    {
        ILoggerFactory factory;
        if (file is not null)
        {
            var path = Path.GetFullPath(file);
            CheckWritable(path);
            var minimum = level ?? DefaultFileLevel;
            var serilog = new LoggerConfiguration()
                .MinimumLevel.Is(ToSerilog(minimum))
                .WriteTo.File(new RenderedCompactJsonFormatter(), path, shared: true)
                .CreateLogger();
            factory = LoggerFactory.Create(builder => builder.SetMinimumLevel(minimum).AddSerilog(serilog, dispose: true));
        }
        else if (level is { } consoleLevel)
        {
            factory = LoggerFactory.Create(builder => builder.SetMinimumLevel(consoleLevel).AddSimpleConsole(o => o.IncludeScopes = true)
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        }
        else
        {
            factory = NullLoggerFactory.Instance;
        }

        Loggers = factory;
        return factory;
    }

    /// <summary>Routes the process's logging to <paramref name="factory"/> (tests running the local runner in-process
    /// collect its log this way).</summary>
    internal static void Use(ILoggerFactory factory) => Loggers = factory ?? throw new ArgumentNullException(nameof(factory));

    /// <summary>Serilog's file sink reports a file it cannot open to its own diagnostics only: checked here instead.</summary>
    private static void CheckWritable(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new UserFacingException($"--log-file: cannot write '{path}': {e.Message}", ExitCodes.Usage);
        }
    }

    private static LogEventLevel ToSerilog(LogLevel level) => level switch
    {
        LogLevel.Trace => LogEventLevel.Verbose,
        LogLevel.Debug => LogEventLevel.Debug,
        LogLevel.Information => LogEventLevel.Information,
        LogLevel.Warning => LogEventLevel.Warning,
        LogLevel.Error => LogEventLevel.Error,
        _ => LogEventLevel.Fatal,
    };
}
