using System.Diagnostics;
using System.Globalization;
using Flit.Core.Audit;
using Flit.Core.Mapping;
using Flit.Core.Transforms;
using Flit.Core.Values;
using Flit.Samples;
using Flit.Sources.Layouts;
using Flit.Sources.Readers;

// Read + transform + validate throughput and peak memory on generated exports.
//   dotnet run -c Release --project bench/Flit.Benchmarks                 → 100,000 and 1,000,000 records
//   dotnet run -c Release --project bench/Flit.Benchmarks -- 250000       → chosen sizes
// Each size runs in its own process so its peak memory is its own.
var culture = CultureInfo.InvariantCulture;
if (args is ["--child", var sizeText, var childFolder])
{
    return await MeasureAsync(int.Parse(sizeText, culture), childFolder);
}

var sizes = args.Length > 0 ? args.Select(a => int.Parse(a, culture)).ToArray() : [100_000, 1_000_000];
var work = Directory.CreateTempSubdirectory("flit-bench-").FullName;
try
{
    Console.WriteLine($"read + transform + validate, Oncourse CRM contacts (17 columns), {Environment.ProcessorCount} cores, .NET {Environment.Version}");
    Console.WriteLine("records     | generate s | run s  | records/s | µs/record | peak MB");
    double? baseline = null;
    foreach (var size in sizes)
    {
        var folder = Path.Combine(work, size.ToString(culture));
        var generate = Stopwatch.StartNew();
        SampleGenerator.Generate("oncourse", folder, size, 1, SampleOptions.Default with { OnlyObjects = new HashSet<string> { "contact", "user" }, WriteAttachments = false });
        generate.Stop();
        using var child = Process.Start(new ProcessStartInfo(Environment.ProcessPath!, [.. Environment.GetCommandLineArgs().Skip(1).Take(Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal) ? 1 : 0), "--child", size.ToString(culture), folder]) { RedirectStandardOutput = true })!;
        var line = (await child.StandardOutput.ReadToEndAsync()).Trim();
        await child.WaitForExitAsync();
        var parts = line.Split(' ');
        var seconds = double.Parse(parts[0], culture);
        var peakMb = double.Parse(parts[1], culture);
        var perRecord = seconds * 1e6 / size;
        baseline ??= perRecord;
        Console.WriteLine($"{size,11:N0} | {generate.Elapsed.TotalSeconds,10:0.0} | {seconds,6:0.00} | {size / seconds,9:N0} | {perRecord,9:0.00} | {peakMb,7:0}   ({perRecord / baseline:0.00}× the per-record cost of the first size)");
        Directory.Delete(folder, recursive: true);
    }
}
finally
{
    Directory.Delete(work, recursive: true);
}

return 0;

static async Task<int> MeasureAsync(int size, string folder)
{
    var layout = SourceLayouts.Get("oncourse");
    var spec = MappingSpecLoader.LoadShipped("oncourse-odoo");
    var problems = new ReadProblemCollector();
    var users = ExportReader.Read(Path.Combine(folder, "users.csv"), layout.Object("user")!, problems).ToList();
    var owners = users.ToDictionary(r => r.SourceId, r => r["Email"], StringComparer.OrdinalIgnoreCase);
    var mapping = CompiledMapping.Compile(spec, "bench", new TransformContext(TimeZoneInfo.FindSystemTimeZoneById("Europe/London"), DateOrder.DayFirst, k => owners.GetValueOrDefault(k)));
    var audit = new AuditBuilder(layout, spec);
    users.ForEach(audit.Observe);
    var only = Environment.GetEnvironmentVariable("FLIT_BENCH_ONLY");
    var sequential = Environment.GetEnvironmentVariable("FLIT_BENCH_SEQUENTIAL") == "1";
    var companyPlan = mapping.Objects.Single(o => o.Key == "company");
    var companyIds = new HashSet<string>(StringComparer.Ordinal);
    var stopwatch = Stopwatch.StartNew();
    long mapped = 0;

    // Two cores, two stages: the reader thread reads and validates (audit); a second thread maps (transforms)
    // the same records, handed over in blocks through a bounded channel so memory stays flat.
    var channel = System.Threading.Channels.Channel.CreateBounded<List<Flit.Core.Records.SourceRecord>>(new System.Threading.Channels.BoundedChannelOptions(8) { SingleReader = true, SingleWriter = true });
    var mapper = Task.Run(async () =>
    {
        await foreach (var block in channel.Reader.ReadAllAsync())
        {
            foreach (var record in block)
            {
                if (mapping.Map("contact", record).Record is not null)
                {
                    mapped++;
                }

                // As the partitioner does: one company per distinct organisation.
                if (companyIds.Add(companyPlan.DistinctBy!(record) ?? string.Empty))
                {
                    mapping.Map("company", record);
                }
            }
        }
    });
    var current = new List<Flit.Core.Records.SourceRecord>(1024);
    foreach (var record in ExportReader.Read(Path.Combine(folder, "contacts.csv"), layout.Object("contact")!, problems))
    {
        if (only is null or "audit")
        {
            audit.Observe(record);
        }

        if (sequential && only is null or "map")
        {
            if (mapping.Map("contact", record).Record is not null)
            {
                mapped++;
            }

            if (companyIds.Add(companyPlan.DistinctBy!(record) ?? string.Empty))
            {
                mapping.Map("company", record);
            }
        }
        else if (only is null or "map")
        {
            current.Add(record);
            if (current.Count == 1024)
            {
                await channel.Writer.WriteAsync(current);
                current = new List<Flit.Core.Records.SourceRecord>(1024);
            }
        }
        else
        {
            mapped++;
        }
    }

    await channel.Writer.WriteAsync(current);
    channel.Writer.Complete();
    await mapper;
    var report = audit.Build();
    stopwatch.Stop();
    if (mapped < size * 0.9 || (only is null && report.Records != size + users.Count))
    {
        Console.Error.WriteLine($"only {mapped:N0} of {size:N0} records mapped, {report.Records:N0} audited");
        return 1;
    }

    using var self = Process.GetCurrentProcess();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{stopwatch.Elapsed.TotalSeconds:0.000} {self.PeakWorkingSet64 / (1024.0 * 1024):0}"));
    return 0;
}
