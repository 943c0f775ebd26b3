using System.Globalization;
using System.Text;
using Flit.Activities.Loading;

namespace Flit.Activities.Reporting;

/// <summary>
/// report.csv: the full list behind the grouped report, one row per record that did not load and one per warning.
/// The first six columns are the ones the file always had (tools read them by position); kind and field come after.
/// </summary>
internal static class ReportCsv
{
    public const string Header = "object,source_id,file,line,fate,reason,kind,field";

    public static string Row(NotLoadedRecord n) =>
        Row(n.SourceObject, n.SourceId, n.File, n.Line, n.Fate.ToString().ToLowerInvariant(), n.Reason, n.Kind, n.Field);

    public static string Row(RecordWarning w) =>
        Row(w.SourceObject, w.SourceId, w.File, w.Line, IssueFates.Warning, w.Message, w.Kind, w.Field);

    private static string Row(string sourceObject, string sourceId, string file, long line, string fate, string? reason, string? kind, string? field) =>
        new StringBuilder().Append(Cell(sourceObject)).Append(',').Append(Cell(sourceId)).Append(',').Append(Cell(file)).Append(',')
            .Append(line.ToString(CultureInfo.InvariantCulture)).Append(',').Append(fate).Append(',').Append(Cell(reason)).Append(',')
            .Append(Cell(kind)).Append(',').Append(Cell(field)).Append('\n').ToString();

    private static string Cell(string? value) =>
        value is null ? string.Empty
        : value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
        : value;
}
