using System.Text;
using Flit.Core.Records;
using Flit.Core.Sources;
using Flit.Sources.Readers;

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

    public static (List<SourceRecord> Records, ReadProblemCollector Problems) Read(string path, ObjectLayout? layout = null)
    {
        var problems = new ReadProblemCollector();
        var records = ExportReader.Read(path, layout ?? Person(), problems).ToList();
        return (records, problems);
    }
}
