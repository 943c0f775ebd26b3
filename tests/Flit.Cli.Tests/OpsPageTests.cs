using System.Reflection;
using System.Text.RegularExpressions;
using Flit.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace Flit.Cli.Tests;

/// <summary>docs/ops.md and the code name the same events, instruments and properties: every event of every project's
/// Logs class and every instrument is queried there, and every name the page queries is emitted.</summary>
public sealed partial class OpsPageTests
{
    private static readonly (string Project, int From, int To)[] Ranges =
    [
        ("Flit.Activities", 1000, 1999),
        ("Flit.Destinations.Odoo", 2000, 2999),
        ("flit", 3000, 3999),
        ("Flit.Storage.Azure", 5000, 5999),
    ];

    private static IReadOnlyList<(string Project, int Id, string Name, string Message)> Events() =>
    [
        .. Ranges.SelectMany(range =>
        {
            var logs = Assembly.Load(range.Project).GetTypes().Single(t => t.Name == "Logs" && t.IsAbstract && t.IsSealed);
            return logs.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
                .Where(m => m.Attribute is not null)
                .Select(m => (range.Project, m.Attribute!.EventId, m.Attribute.EventName ?? m.Method.Name, m.Attribute.Message));
        }),
    ];

    private static string Page()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "FlitFunctions.sln")))
        {
            folder = folder.Parent;
        }

        return File.ReadAllText(Path.Combine(folder!.FullName, "docs", "ops.md"));
    }

    private static string Queries() => string.Join('\n', KustoBlock().Matches(Page()).Select(m => m.Groups[1].Value));

    [Fact]
    public void Logs_EveryProject_HasUniqueIdsInItsRange()
    {
        var events = Events();

        Assert.Equal(events.Count, events.Select(e => e.Id).Distinct().Count());
        Assert.Equal(events.Count, events.Select(e => e.Name).Distinct().Count());
        Assert.All(events, e => Assert.InRange(e.Id, Ranges.Single(r => r.Project == e.Project).From, Ranges.Single(r => r.Project == e.Project).To));
    }

    [Fact]
    public void OpsPage_EveryEventAndInstrument_IsListedAndQueried()
    {
        var page = Page();
        var queried = Quoted().Matches(Queries()).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

        Assert.All(Events(), e =>
        {
            Assert.Contains($"| {e.Id} | `{e.Name}` |", page, StringComparison.Ordinal);
            Assert.Contains(e.Name, queried);
        });
        Assert.All(TelemetryNames.Instruments, name =>
        {
            Assert.Contains($"| `{name}` |", page, StringComparison.Ordinal);
            Assert.Contains(name, queried);
        });
        Assert.Contains($"**`{TelemetryNames.Meter}`**", page, StringComparison.Ordinal);
    }

    [Fact]
    public void OpsPage_EveryNameItQueries_IsEmittedByTheCode()
    {
        var queries = Queries();
        var events = Events().Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var properties = Events().SelectMany(e => Placeholder().Matches(e.Message).Select(m => m.Groups[1].Value))
            .Concat(TelemetryNames.ScopeProperties)
            .Concat([TelemetryNames.DestinationKind, TelemetryNames.Method, TelemetryNames.Outcome, TelemetryNames.Reason, "EventName", "EventId"])
            .ToHashSet(StringComparer.Ordinal);

        var quoted = Quoted().Matches(queries).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(quoted);
        Assert.All(quoted.Where(q => q.StartsWith("flit.", StringComparison.Ordinal)), name => Assert.Contains(name, TelemetryNames.Instruments));
        Assert.All(quoted.Where(q => !q.StartsWith("flit.", StringComparison.Ordinal)), name => Assert.Contains(name, events));
        Assert.All(Dimension().Matches(queries).Select(m => m.Groups[1].Value), name => Assert.Contains(name, properties));
    }

    [GeneratedRegex("```kusto\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex KustoBlock();

    [GeneratedRegex("\"([A-Za-z][A-Za-z.]+)\"")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"customDimensions\.(\w+)")]
    private static partial Regex Dimension();

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();
}
