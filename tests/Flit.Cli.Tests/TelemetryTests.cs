using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Flit.Activities;
using Flit.Activities.Approval;
using Flit.Activities.Proposing;
using Flit.Activities.Staging;
using Flit.Cli.Hosting;
using Flit.Core.Ports;
using Flit.Core.Telemetry;
using Flit.Core.Workflow;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Flit.Cli.Tests;

/// <summary>
/// The log of a real run: through the <c>flit</c> process, <c>--log-file</c> writes JSON lines with each event's scope and
/// stdout stays the summary; a bad <c>--log-level</c> or log file is a usage error; run in-process with every record
/// collected, no e-mail or name of the export is in any message, property or scope.
/// </summary>
public sealed partial class TelemetryTests : IDisposable
{
    private const int Usage = 2;
    private static readonly string OncourseExport = Path.Combine(AppContext.BaseDirectory, "Exports", "oncourse");

    private readonly string _root = Directory.CreateTempSubdirectory("flit-telemetry-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Run_WithLogFile_WritesJsonLinesWithMigrationRunAndStage_AndKeepsStdoutTheSummary()
    {
        var flit = new FlitProcess(_root);
        await flit.ProposeAndApproveAsync("logged", "oncourse-odoo", OncourseExport);
        var log = Path.Combine(_root, "run.jsonl");

        var (code, output) = await flit.RunAsync("--log-file", log, "run", "-m", "logged", "--pair", "oncourse-odoo", "--exports", OncourseExport, "--mode", "full", "--tenant", "acme");

        Assert.True(code is 0 or 4, output);
        Assert.DoesNotContain("BatchLoaded", output, StringComparison.Ordinal);
        var lines = (await File.ReadAllLinesAsync(log)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var loaded = lines.Where(l => l.GetProperty("EventId").GetProperty("Name").GetString() == "BatchLoaded").ToList();
        Assert.NotEmpty(loaded);
        Assert.All(loaded, l =>
        {
            Assert.Equal(1010, l.GetProperty("EventId").GetProperty("Id").GetInt32());
            Assert.Equal("logged", l.GetProperty(TelemetryNames.MigrationId).GetString());
            Assert.Equal("logged#1", l.GetProperty(TelemetryNames.RunId).GetString());
            Assert.Equal(ActivityNames.LoadBatch, l.GetProperty(TelemetryNames.Stage).GetString());
            Assert.False(string.IsNullOrEmpty(l.GetProperty(TelemetryNames.ObjectType).GetString()));
            Assert.False(string.IsNullOrEmpty(l.GetProperty(TelemetryNames.BatchId).GetString()));
        });
        var stages = lines.Where(l => l.GetProperty("EventId").GetProperty("Name").GetString() == "StageFinished").Select(l => l.GetProperty(TelemetryNames.Stage).GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { ActivityNames.Stage, ActivityNames.Audit, ActivityNames.Partition, ActivityNames.Reconcile, ActivityNames.Report }, stages);
    }

    [Theory]
    [InlineData("--log-level", "Chatty", "Unknown log level 'Chatty'. Levels: Trace, Debug, Information, Warning, Error, Critical, None.")]
    [InlineData("--log-file", "/proc/no-such-folder/run.jsonl", "--log-file: cannot write '/proc/no-such-folder/run.jsonl'")]
    public async Task Status_BadLoggingOption_IsAUsageErrorOnOneLineWithoutAStackTrace(string option, string value, string expected)
    {
        var (code, output) = await new FlitProcess(_root).RunAsync(option, value, "status", "-m", "nothing");

        Assert.True(code == Usage, output);
        Assert.Contains(expected, output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_RealMigration_LogsNoEmailOrNameOfTheExport()
    {
        var collector = new FakeLogCollector();
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(collector)));
        CliLogging.Use(loggers);
        var workspace = new Workspace(Path.Combine(_root, ".flit"));
        var request = new MigrationRequest("private", "acme", "oncourse-odoo", "drop/acme/private", RunMode.Full);
        await using (var host = await LocalMigrationHost.OpenAsync(workspace, new LocalRunRequest(request, "rehearsal", []), TimeProvider.System, CancellationToken.None))
        {
            await host.UploadAsync(OncourseExport, CancellationToken.None);
            var input = new ActivityInput(request);
            await new StageActivity(host.Store, TimeProvider.System).RunAsync(input, CancellationToken.None);
            var proposal = await new ProposeActivity(host.Store, host.Exports).RunAsync(input, CancellationToken.None);
            await CheckApprovalActivity.RecordAsync(workspace.Stores.Approvals, new ApprovalRecord("private", proposal.SpecHash, "dana@flitstack.io", TimeProvider.System.GetUtcNow(), null), loggers.CreateLogger("approve"), CancellationToken.None);

            var outcome = await host.RunAsync(_ => { }, 2, CancellationToken.None);

            Assert.Equal(MigrationWorkflow.DeltaWindowOpen, outcome.Status);
        }

        var records = collector.GetSnapshot().Where(r => ScopeText(r).Contains("private", StringComparison.Ordinal)).ToList();
        Assert.Contains(records, r => r.Id.Name == "BatchLoaded");
        Assert.Contains(records, r => r.Id.Name == "RecordRefused");
        Assert.Contains(records, r => r.Id.Name == "ApprovalRecorded");
        var personal = PersonalValues(OncourseExport).Append("dana@flitstack.io").ToList();
        Assert.True(personal.Count > 20, string.Join(", ", personal));
        foreach (var record in records)
        {
            var text = string.Join('\n', [record.Message, .. (record.StructuredState ?? []).Select(p => p.Value), ScopeText(record), record.Exception?.ToString()]);
            Assert.All(personal, value => Assert.False(Regex.IsMatch(text, $@"(?<![\w@.]){Regex.Escape(value)}(?![\w@])"), $"'{value}' in {record.Id.Name}: {text}"));
        }
    }

    private static string ScopeText(FakeLogRecord record) =>
        string.Join('\n', record.Scopes.OfType<IEnumerable<KeyValuePair<string, object?>>>().SelectMany(s => s).Select(p => $"{p.Key}={p.Value}"));

    /// <summary>Every e-mail of the export and every value of a column named for a person's name (first, last, full).</summary>
    private static List<string> PersonalValues(string folder)
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(folder, "*.csv"))
        {
            var lines = File.ReadAllLines(file);
            var header = Fields(lines[0]);
            var nameColumns = header.Select((h, i) => (h, i)).Where(c => c.h.Contains("Name", StringComparison.OrdinalIgnoreCase) && !c.h.Contains("Organisation", StringComparison.OrdinalIgnoreCase) && !c.h.Contains("File", StringComparison.OrdinalIgnoreCase)).Select(c => c.i).ToHashSet();
            foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
            {
                foreach (var (value, column) in Fields(line).Select((v, i) => (v.Trim(), i)))
                {
                    if (EmailLike().IsMatch(value) || (nameColumns.Contains(column) && value.Length >= 3))
                    {
                        values.Add(value);
                    }
                }
            }
        }

        return [.. values];
    }

    /// <summary>The fields of one line of the hand-written exports (quoted fields hold commas, no line breaks).</summary>
    private static List<string> Fields(string line) =>
        [.. CsvField().Matches(line).Select(m => m.Groups[1].Value is var v && v.StartsWith('"') ? v[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : m.Groups[1].Value)];

    [GeneratedRegex("(?:^|,)(\"(?:[^\"]|\"\")*\"|[^,]*)")]
    private static partial Regex CsvField();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[a-z]+$")]
    private static partial Regex EmailLike();
}
