using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Flit.Core.Mapping;
using Flit.Core.Records;
using Flit.Core.Sources;
using Flit.Core.Workflow;

namespace Flit.Activities.Sources;

/// <summary>
/// The staged exports with the spec's joins applied: each record of an object that folds others in (a person and its
/// contact methods, its default address, its primary organisation) carries their values as extra columns
/// <c>as.name</c>, so the mapping sees one row. A joined object is read once per activity into an index of the
/// values it contributes (one entry per joining record, not per joined row).
/// </summary>
public sealed class JoinedExports(IStagedExports inner, MappingSpec spec) : IStagedExports
{
    /// <summary>By join (each entry's own: two entries may join one object differently).</summary>
    private readonly Dictionary<JoinMapping, Dictionary<string, string?[]>> _indexes = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<RecordSchema, RecordSchema> _schemas = [];

    public IAsyncEnumerable<SourceRecord> ReadAsync(MigrationRequest request, string sourceObject, Action<ReadProblem> problems, CancellationToken cancellationToken)
    {
        var joins = spec.Objects.Where(o => o.Source == sourceObject).SelectMany(o => o.Joins ?? []).DistinctBy(j => j.As, StringComparer.Ordinal).ToList();
        var records = inner.ReadAsync(request, sourceObject, problems, cancellationToken);
        return joins.Count == 0 ? records : EnrichAsync(request, records, joins, cancellationToken);
    }

    private async IAsyncEnumerable<SourceRecord> EnrichAsync(MigrationRequest request, IAsyncEnumerable<SourceRecord> records, List<JoinMapping> joins, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var indexes = new List<Dictionary<string, string?[]>>();
        foreach (var join in joins)
        {
            indexes.Add(await IndexAsync(request, join, cancellationToken));
        }

        var width = joins.Sum(j => j.Columns.Count);
        await foreach (var record in records)
        {
            var values = new string?[record.Count + width];
            for (var i = 0; i < record.Count; i++)
            {
                values[i] = record[i];
            }

            var at = record.Count;
            for (var j = 0; j < joins.Count; j++)
            {
                var key = (joins[j].By is { } by ? record[by] : record.SourceId)?.Trim();
                var found = key is { Length: > 0 } && indexes[j].TryGetValue(key, out var row) ? row : null;
                for (var c = 0; c < joins[j].Columns.Count; c++)
                {
                    values[at++] = found?[c];
                }
            }

            yield return new SourceRecord(SchemaOf(record.Schema, joins), record.SourceId, values, record.Location);
        }
    }

    private RecordSchema SchemaOf(RecordSchema schema, List<JoinMapping> joins)
    {
        if (!_schemas.TryGetValue(schema, out var joined))
        {
            var added = joins.SelectMany(j => j.Columns.Keys.Select(name => $"{j.As}.{name}")).ToList();
            // A joined value has no column in the record's own file: column 0 says so in messages.
            _schemas[schema] = joined = new RecordSchema(schema.ObjectType, schema.File, [.. schema.Columns, .. added], [.. schema.SourceColumnNumbers, .. added.Select(_ => 0)]);
        }

        return joined;
    }

    /// <summary>The joined object's values, by the key the joining records hold: its rows' column <c>on</c> (one to
    /// many), or their own id (one to one, through the joining record's column <c>by</c>).</summary>
    private async Task<Dictionary<string, string?[]>> IndexAsync(MigrationRequest request, JoinMapping join, CancellationToken cancellationToken)
    {
        if (_indexes.TryGetValue(join, out var cached))
        {
            return cached;
        }

        var filter = join.Where is null ? null : RowCondition.Parse(join.Where);
        var columns = join.Columns.Values.Select(c => (c, c.Where is null ? null : RowCondition.Parse(c.Where))).ToList();
        var index = new Dictionary<string, string?[]>(StringComparer.Ordinal);
        // Problems of the joined file are the audit's to report; here a row that cannot be read contributes nothing.
        await foreach (var row in inner.ReadAsync(request, join.Object, static _ => { }, cancellationToken))
        {
            var key = (join.On is { } on ? row[on] : row.SourceId)?.Trim();
            if (string.IsNullOrEmpty(key) || filter?.Matches(row) == false)
            {
                continue;
            }

            if (!index.TryGetValue(key, out var values))
            {
                index[key] = values = new string?[columns.Count];
            }

            for (var c = 0; c < columns.Count; c++)
            {
                var (column, where) = columns[c];
                if (where?.Matches(row) == false || column.From.All(f => string.IsNullOrWhiteSpace(row[f])))
                {
                    continue;
                }

                var text = column.Format is { } format
                    ? string.Format(CultureInfo.InvariantCulture, format, [.. column.From.Select(f => (object?)row[f]?.Trim() ?? string.Empty)])
                    : row[column.From[0]]?.Trim();
                values[c] = column.Pick == "list" && values[c] is { } listed ? new StringBuilder(listed).Append('\n').Append(text).ToString() : values[c] ?? text;
            }
        }

        _indexes[join] = index;
        return index;
    }
}
