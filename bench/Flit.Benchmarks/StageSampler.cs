using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

/// <summary>One stage of a run as watched from outside: its seconds and the most memory the process held in it.</summary>
internal sealed record StageFigures(string Stage, double Seconds, long PeakBytes);

/// <summary>
/// A <c>flit</c> process watched from outside until it ends: the stage it reports (its status.json) and its resident
/// memory from /proc every 50 ms (VmRSS, and VmHWM for a peak between two samples).
/// </summary>
internal static class StageSampler
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public sealed record Sampled(double Seconds, long PeakBytes, IReadOnlyList<StageFigures> Stages, string Output);

    public static async Task<Sampled> WatchAsync(Process process, string statusPath)
    {
        var outputTask = process.StandardOutput.ReadToEndAsync();
        var errorTask = process.StandardError.ReadToEndAsync();
        var stages = new List<(string Stage, Stopwatch Clock, long Peak)>();
        var clock = Stopwatch.StartNew();
        long peak = 0;
        while (!process.HasExited)
        {
            var stage = CurrentStage(statusPath);
            // The high-water mark catches a peak between two samples; the stage it rose in is the one it is charged to.
            var rss = Math.Max(ResidentBytes(process.Id, "VmRSS:"), ResidentBytes(process.Id, "VmHWM:") is var hwm && hwm > peak ? hwm : 0);
            peak = Math.Max(peak, rss);
            if (stages.Count == 0 || stages[^1].Stage != stage)
            {
                stages.Add((stage, Stopwatch.StartNew(), rss));
            }
            else
            {
                stages[^1] = stages[^1] with { Peak = Math.Max(stages[^1].Peak, rss) };
            }

            await Task.Delay(50);
        }

        clock.Stop();
        var figures = stages.Select((s, i) => new StageFigures(s.Stage, i + 1 < stages.Count ? s.Clock.Elapsed.TotalSeconds - stages[i + 1].Clock.Elapsed.TotalSeconds : s.Clock.Elapsed.TotalSeconds, s.Peak))
            .GroupBy(s => s.Stage).Select(g => new StageFigures(g.Key, g.Sum(s => s.Seconds), g.Max(s => s.PeakBytes))).ToList();
        return new Sampled(clock.Elapsed.TotalSeconds, peak, figures, await outputTask + await errorTask);
    }

    /// <summary>The stages as table lines: seconds, rows per second and peak resident memory.</summary>
    public static IEnumerable<string> Table(long rows, IEnumerable<StageFigures> stages) =>
        stages.Select(s => string.Create(Culture, $"  {s.Stage,-20} {s.Seconds,7:0.0}  {rows / Math.Max(s.Seconds, 0.001),11:N0}  {s.PeakBytes / 1048576.0,9:0}"))
            .Prepend("  stage                seconds       rows/s    peak MB");

    private static string CurrentStage(string statusPath)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(statusPath));
            var stage = document.RootElement.GetProperty("stage").GetString() ?? "?";
            return document.RootElement.TryGetProperty("phase", out var phase) && phase.ValueKind == JsonValueKind.Number ? $"{stage} {phase.GetInt32()}" : stage;
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException)
        {
            return "starting";
        }
    }

    /// <summary>VmRSS (resident now) or VmHWM (the most it has been resident) of a process, from /proc (0 once it has gone).</summary>
    private static long ResidentBytes(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], Culture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }
}
