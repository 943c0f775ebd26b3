using System.Globalization;
using CsvHelper;
using Flit.Samples;

/// <summary>
/// A delta pass as the cutover runs it: a generated Oncourse export loaded in full to the rehearsal target, then a
/// newer export of it with 1 % of the rows of every file changed (a text column), loaded by <c>flit delta</c> in its own
/// process. Per stage it prints seconds, rows per second and peak resident memory; the partition is where every row
/// is compared with what the migration last wrote (read and hashed; only changed rows go on to be mapped), so its rate
/// is the rows compared per second.
/// </summary>
internal static class DeltaBenchmark
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    /// <summary>The column changed in each file of the export.</summary>
    private static readonly Dictionary<string, string> Changed = new(StringComparer.Ordinal)
    {
        ["contacts.csv"] = "Job Title",
        ["leads.csv"] = "Job Title",
        ["deals.csv"] = "Deal Name",
        ["notes.csv"] = "Body",
        ["tasks.csv"] = "Subject",
        ["attachments.csv"] = "File Name",
    };

    public static async Task<int> RunAsync(IReadOnlyList<int> sizes)
    {
        var work = Directory.CreateTempSubdirectory("flit-delta-").FullName;
        try
        {
            Console.WriteLine($"delta pass, Oncourse CRM → rehearsal, 1 % of the rows of every file changed, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
            foreach (var size in sizes)
            {
                await MeasureAsync(work, size);
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        return 0;
    }

    private static async Task MeasureAsync(string work, int rows)
    {
        var exports = Path.Combine(work, $"exports-{rows}");
        var manifest = SampleGenerator.Generate("oncourse", exports, Math.Max(100, (int)(rows / 3.25)), 7, SampleOptions.Default with { LargeAttachmentBytes = 256 * 1024 });
        var users = Path.Combine(work, $"users-{rows}.txt");
        await File.WriteAllLinesAsync(users, manifest.DestinationUsers);
        var total = manifest.Objects.Values.Sum();
        var folder = Directory.CreateDirectory(Path.Combine(work, $"run-{rows}")).FullName;
        var migration = $"delta{rows}";
        await FlitProcess.ProposeAndApproveAsync(folder, migration, "oncourse-odoo", exports);
        var status = Path.Combine(folder, ".flit", "migrations", migration, "status.json");
        using (var full = FlitProcess.Start(folder, "run", "-m", migration, "--pair", "oncourse-odoo", "--exports", exports, "--mode", "full",
            "--destination-users", users, "--fallback-owner", manifest.DestinationUsers[0]))
        {
            var run = await StageSampler.WatchAsync(full, status);
            Console.WriteLine(string.Create(Culture, $"{total:N0} source rows: full run {run.Seconds:0.0} s ({FlitProcess.Summary(run.Output)})"));
        }

        var newer = Path.Combine(work, $"newer-{rows}");
        var changed = WriteNewer(exports, newer);
        using var pass = FlitProcess.Start(folder, "delta", "-m", migration, "--exports", newer);
        var sampled = await StageSampler.WatchAsync(pass, status);
        var compared = sampled.Stages.Where(s => s.Stage == "partitioning").Sum(s => s.Seconds);
        Console.WriteLine(string.Create(Culture,
            $"  delta pass, {changed:N0} rows changed: {sampled.Seconds:0.0} s, {total / sampled.Seconds:N0} rows/s end to end, {total / Math.Max(compared, 0.001):N0} rows compared/s (partition), peak {sampled.PeakBytes / 1048576.0:0} MB resident"));
        foreach (var line in StageSampler.Table(total, sampled.Stages))
        {
            Console.WriteLine(line);
        }

        Console.WriteLine($"  exit {pass.ExitCode}: {FlitProcess.Summary(sampled.Output)}");
        Directory.Delete(folder, recursive: true);
        Directory.Delete(exports, recursive: true);
        Directory.Delete(newer, recursive: true);
    }

    /// <summary>A copy of the export with every hundredth row of each file changed; returns the rows changed.</summary>
    private static int WriteNewer(string exports, string newer)
    {
        var changed = 0;
        foreach (var file in Directory.EnumerateFiles(exports, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(newer, Path.GetRelativePath(exports, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (!Changed.TryGetValue(Path.GetFileName(file), out var column) || Path.GetDirectoryName(file) != exports)
            {
                File.Copy(file, target);
                continue;
            }

            using var reader = CsvReader.Create(File.OpenRead(file), new CsvReaderOptions { HasHeader = false }, leaveOpen: false);
            using var writer = CsvWriter.Create(File.Create(target), new CsvWriterOptions { NewLine = "\n", Injection = CsvInjection.None }, leaveOpen: false);
            var index = -1;
            for (var row = 0; reader.Read(); row++)
            {
                var fields = Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray();
                if (row == 0)
                {
                    index = Array.IndexOf(fields, column);
                }
                else if (row % 100 == 0 && index >= 0)
                {
                    fields[index] += " (changed)";
                    changed++;
                }

                writer.WriteRecord(fields);
            }
        }

        return changed;
    }
}
