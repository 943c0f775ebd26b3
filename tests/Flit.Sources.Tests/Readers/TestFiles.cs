using System.Text;
using Flit.Core.Records;
using Flit.Core.Sources;
using Flit.Sources.Readers;
using Flit.Testing;

namespace Flit.Sources.Tests.Readers;

/// <summary>A temporary folder for hand-written fixture files, deleted after the test.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "flit-readers-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string name, byte[] bytes)
    {
        var path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 without BOM, exactly as given (line endings included).</summary>
    public string WriteUtf8(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

internal static class TestLayouts
{
    public static ObjectLayout Person(ExportFormat format = ExportFormat.Csv) => new(
        "person",
        ["people.csv"],
        format,
        "Person ID",
        [
            new ColumnLayout("Person ID", ValueKind.Text, Required: true, Aliases: ["cm_person_id", "id"]),
            new ColumnLayout("First Name", ValueKind.Text, Aliases: ["given name"]),
            new ColumnLayout("Last Name", ValueKind.Text),
            new ColumnLayout("Email", ValueKind.Email),
            new ColumnLayout("Notes", ValueKind.LongText),
        ],
        "A person.");

    /// <summary>Reads a file as the staged exports are read in Azure: through streams that cannot seek.</summary>
    public static async Task<(List<SourceRecord> Records, ReadProblemCollector Problems)> ReadAsync(string path, ObjectLayout? layout = null)
    {
        var problems = new ReadProblemCollector();
        var records = await ExportReader.ReadAsync(ForwardOnly(path), layout ?? Person(), problems).ToListAsync();
        return (records, problems);
    }

    /// <summary>A local file opened as a forward-only stream each time (a blob's read stream does not seek).</summary>
    public static ExportFile ForwardOnly(string path) =>
        new(System.IO.Path.GetFileName(path), _ => Task.FromResult<Stream>(new ForwardOnlyStream(File.OpenRead(path))));
}
