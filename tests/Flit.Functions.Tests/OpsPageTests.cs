using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Flit.Functions.Tests;

/// <summary>The Functions host's own log events are in its id range and listed on the ops page.</summary>
public sealed class OpsPageTests
{
    [Fact]
    public void FunctionsEvents_AreInTheHostsRange_AndListedOnTheOpsPage()
    {
        var logs = typeof(Hosting.FlitFunctionsServices).Assembly.GetTypes().Single(t => t.Name == "Logs" && t.IsAbstract && t.IsSealed);
        var events = logs.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Attribute is not null)
            .Select(m => (Id: m.Attribute!.EventId, Name: m.Attribute.EventName ?? m.Method.Name))
            .ToList();
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(folder!.FullName, "FlitFunctions.sln")))
        {
            folder = folder.Parent;
        }

        var page = File.ReadAllText(Path.Combine(folder.FullName, "docs", "ops.md"));
        Assert.NotEmpty(events);
        Assert.All(events, e =>
        {
            Assert.InRange(e.Id, 4000, 4999);
            Assert.Contains($"| {e.Id} | `{e.Name}` |", page, StringComparison.Ordinal);
        });
    }
}
