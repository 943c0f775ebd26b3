using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Flit.Core.Destinations;
using Flit.Core.Records;
using Flit.Core.Transforms;
using Flit.Core.Values;

namespace Flit.Core.Mapping;

/// <summary>
/// A mapping spec compiled for one run: transforms bound once, column positions resolved once per file schema,
/// so mapping a record is a loop over arrays. Records that cannot be mapped are outcomes, never exceptions.
/// </summary>
public sealed class CompiledMapping : ICompiledMapping
{
    private readonly Dictionary<string, ObjectMapper> _mappers;

    private CompiledMapping(MappingSpec spec, string specHash, Dictionary<string, ObjectMapper> mappers, IReadOnlyList<ObjectPlan> objects)
    {
        Spec = spec;
        SpecHash = specHash;
        _mappers = mappers;
        Objects = objects;
    }

    public MappingSpec Spec { get; }

    public string SpecHash { get; }

    public IReadOnlyList<ObjectPlan> Objects { get; }

    public string ExternalIdModule { get; private init; } = string.Empty;

    /// <summary>Compiles a spec for a tenant. Fields the destination does not have (per its schema) are dropped
    /// unless the spec creates them, e.g. res.partner <c>mobile</c> on Odoo 18.2+.</summary>
    public static CompiledMapping Compile(MappingSpec spec, string tenant, TransformContext context, DestinationSchema? schema = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(context);
        var prefix = ModuleFor(tenant) + ".";
        var models = spec.Migrated.ToDictionary(o => o.Key, o => o.Target!, StringComparer.Ordinal);
        // Entries that read the same export object into the same model are alternatives for each other's references.
        var alsoIn = spec.Migrated.Where(o => o.IdFrom is null).ToDictionary(
            o => o.Key,
            o => string.Join(',', spec.Migrated.Where(s => s.Key != o.Key && s.Source == o.Source && s.Target == o.Target && s.IdFrom is null).Select(s => s.Key)) is { Length: > 0 } keys ? keys : null,
            StringComparer.Ordinal);
        var mappers = new Dictionary<string, ObjectMapper>(StringComparer.Ordinal);
        var plans = new List<ObjectPlan>();
        foreach (var entry in spec.Migrated)
        {
            var mapper = new ObjectMapper(entry, spec.Source, prefix, context, models, schema, alsoIn);
            mappers[entry.Key] = mapper;
            var group = entry.References.FirstOrDefault(r => r.Object is not null && r.KeyTransform is null);
            plans.Add(new ObjectPlan(entry.Source, entry.Target!, entry.Phase, group?.From, group?.Object, entry.Key, mapper.DistinctBy, mapper.Parents, mapper.Includes));
        }

        return new CompiledMapping(spec, MappingSpecLoader.Hash(spec), mappers, plans) { ExternalIdModule = prefix.TrimEnd('.') };
    }

    public MapOutcome Map(string key, SourceRecord record) => Mapper(key).Map(record, lookupsOnly: false);

    public IReadOnlyList<object>? Lookups(string key, SourceRecord record) =>
        Mapper(key).Map(record, lookupsOnly: true).Record is { } record2
            ? [.. record2.Values.Values.Where(v => v is NamedLookup or UserLookup).Select(v => v!)]
            : null;

    private ObjectMapper Mapper(string key) =>
        _mappers.TryGetValue(key, out var mapper)
            ? mapper
            : throw new ArgumentException($"The spec has no migrated object '{key}'. Objects: {string.Join(", ", _mappers.Keys)}.", nameof(key));

    /// <summary>The module of a tenant's external ids (<c>flit_acme.…</c>): what the destination creates for a run is
    /// registered under it.</summary>
    public static string ModuleFor(string tenant) => "flit_" + Slug(tenant, 40);

    /// <summary>Lower-case ASCII letters, digits and '_' only: safe in Odoo xmlid names and Dataverse keys.</summary>
    public static string Slug(string value, int max)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length <= max && IsSlug(value))
        {
            return value;
        }

        var builder = new StringBuilder(Math.Min(value.Length, max));
        foreach (var c in value)
        {
            if (builder.Length == max)
            {
                break;
            }

            builder.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_');
        }

        return builder.ToString();
    }

    private static bool IsSlug(string value)
    {
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The deterministic external id of a record: tenant module, source system, object, source id.
    /// Ids that had to be altered to be safe get a hash suffix so two different ids never collide.</summary>
    public static string ExternalId(string modulePrefix, string system, string objectKey, string sourceId)
    {
        ArgumentNullException.ThrowIfNull(modulePrefix);
        ArgumentNullException.ThrowIfNull(sourceId);
        return ExternalIdPrefix(modulePrefix, system, objectKey) + SafeId(sourceId);
    }

    private static string ExternalIdPrefix(string modulePrefix, string system, string objectKey) =>
        $"{modulePrefix}{Slug(system, 20)}_{Slug(objectKey, 30)}_";

    /// <summary>A slug of <paramref name="value"/> that stays distinct from the slug of any other value: one that had
    /// to be altered gets a hash suffix.</summary>
    public static string SafeName(string value, int max)
    {
        ArgumentNullException.ThrowIfNull(value);
        var slug = Slug(value, max);
        return ReferenceEquals(slug, value) || slug == value
            ? slug
            : slug + "_" + System.IO.Hashing.XxHash64.HashToUInt64(System.Runtime.InteropServices.MemoryMarshal.AsBytes(value.AsSpan())).ToString("x16", System.Globalization.CultureInfo.InvariantCulture)[..10];
    }

    private static string SafeId(string sourceId) => SafeName(sourceId, 60);

    /// <summary>A file schema's column positions per field, and each field's transform context (its file's date order).</summary>
    private sealed record SchemaColumns(RecordSchema Schema, int[][] Columns, TransformContext[] Contexts);

    /// <summary>Transform inputs, reused per thread: mapping allocates only what it returns.</summary>
    [ThreadStatic]
    private static string?[]? InputBuffer;

    private sealed class ObjectMapper
    {
        private readonly ObjectMapping _entry;
        private readonly TransformContext _context;
        private readonly (FieldMapping Field, BoundTransform Transform)[] _fields;

        /// <summary>Per field, what a lookups-only mapping runs: the transform, or a cheaper one with the same
        /// empty-or-failed outcome.</summary>
        private readonly BoundTransform[] _presence;
        private readonly IReadOnlyDictionary<string, string> _models;
        private readonly ConditionalWeakTable<RecordSchema, SchemaColumns> _columns = [];
        private readonly string _externalIdPrefix;
        /// <summary>The last file schema seen and its column positions, as one object: parallel batches share this
        /// mapper, and a reference is read and written whole (a struct pair could be read half old, half new).</summary>
        private SchemaColumns? _lastSchema;
        private readonly RowCondition? _where;

        private readonly IReadOnlyDictionary<string, string?> _alsoIn;

        public ObjectMapper(ObjectMapping entry, string system, string prefix, TransformContext context, IReadOnlyDictionary<string, string> models, DestinationSchema? schema, IReadOnlyDictionary<string, string?> alsoIn)
        {
            _alsoIn = alsoIn;
            _entry = entry;
            _context = context;
            _models = models;
            _fields = [.. entry.Fields
                .Where(f => schema is null || f.Custom is not null || schema.HasField(entry.Target!, f.To) || !schema.Models.ContainsKey(entry.Target!))
                .Select(f => (f, Transforms.Transforms.Bind(f)))];
            _presence = [.. _fields.Select(f => Transforms.Transforms.Presence(f.Field.Transform) ?? f.Transform)];
            _where = entry.Where is null ? null : RowCondition.Parse(entry.Where);
            _externalIdPrefix = ExternalIdPrefix(prefix, system, entry.Key);
            if (entry.IdFrom is { } idFrom)
            {
                DistinctBy = record => ComputedId(record[idFrom]);
            }
        }

        public Func<SourceRecord, string?>? DistinctBy { get; }

        /// <summary>The records this record links to, resolved the way <see cref="Map"/> resolves them.</summary>
        public IEnumerable<(string Object, string Id, bool Required)> Parents(SourceRecord record)
        {
            foreach (var reference in _entry.References)
            {
                var raw = Transforms.Transforms.Text(record[reference.From]);
                var id = reference.KeyTransform == "companyKey" ? CompanyKeys.Of(raw) : raw;
                var target = reference.Object;
                if (string.IsNullOrEmpty(id) || (reference.ObjectBy is { } by && !by.Map.TryGetValue(record[by.Column]?.Trim() ?? string.Empty, out target)) || target is null)
                {
                    continue;
                }

                yield return (target, id, reference.Required);
            }
        }

        public bool Includes(SourceRecord record) =>
            _where is null || _where.Matches(record);

        /// <param name="record">The source record.</param>
        /// <param name="lookupsOnly">Compute only what decides whether the record loads (required values, references)
        /// and the values that name destination records or users; the record returned then carries no external id
        /// or content hash and is never sent.</param>
        public MapOutcome Map(SourceRecord record, bool lookupsOnly)
        {
            if (!Includes(record))
            {
                return MapOutcome.Skipped($"{_entry.Key}: only records where {_entry.Where} are loaded as {_entry.Target}");
            }

            var sourceId = _entry.IdFrom is { } idFrom ? ComputedId(record[idFrom]) : record.SourceId;
            if (string.IsNullOrEmpty(sourceId))
            {
                return MapOutcome.Skipped($"{_entry.Key}: no {_entry.IdFrom} to build the record from ({record.Location})");
            }

            // Records of one file share a schema: remember the last one instead of a table lookup per record.
            var last = Volatile.Read(ref _lastSchema);
            if (last is null || !ReferenceEquals(last.Schema, record.Schema))
            {
                last = _columns.GetValue(record.Schema, Resolve);
                Volatile.Write(ref _lastSchema, last);
            }

            var columns = last.Columns;
            var names = new string[_fields.Length + _entry.References.Count];
            var values = new object?[names.Length];
            var count = 0;
            List<RecordIssue>? warnings = null;
            for (var i = 0; i < _fields.Length; i++)
            {
                var (field, transform) = _fields[i];
                if (lookupsOnly && !field.Required && Transforms.Transforms.IsPlainValue(field.Transform))
                {
                    continue;
                }

                var indices = columns[i];
                var input = InputBuffer ??= new string?[8];
                var width = field.Value is not null ? 1 : indices.Length;
                if (width > input.Length)
                {
                    InputBuffer = input = new string?[width];
                }

                if (field.Value is not null)
                {
                    input[0] = field.Value;
                }
                else
                {
                    for (var c = 0; c < indices.Length; c++)
                    {
                        input[c] = indices[c] < 0 ? null : record[indices[c]];
                    }
                }

                if (width > 1 && !Transforms.Transforms.TakesSeveral(field.Transform))
                {
                    // Several columns for a one-value transform: the first that has a value (a default e-mail, else
                    // the first e-mail among the contact methods folded in).
                    var first = 0;
                    while (first < width - 1 && string.IsNullOrWhiteSpace(input[first]))
                    {
                        first++;
                    }

                    input[0] = input[first];
                    width = 1;
                }

                var result = width == 0 ? TransformResult.Ok(null) : (lookupsOnly ? _presence[i] : transform)(input.AsSpan(0, width), last.Contexts[i]);
                if (result.Error is not null)
                {
                    var at = field.From.Count > 0 ? record.Where(field.From[0]) : record.Location.ToString();
                    if (field.Required)
                    {
                        return MapOutcome.Failed(IssueKinds.RequiredValue, field.To, $"{at}: {field.To}: {result.Error}");
                    }

                    (warnings ??= []).Add(new RecordIssue(IssueKinds.ValueLeftEmpty, field.To, $"{at}: {field.To} left empty: {result.Error}"));
                    continue;
                }

                if (result.Value is null)
                {
                    if (field.Required)
                    {
                        var from = field.From.Count > 0 ? string.Join(" + ", field.From) : "its constant";
                        return MapOutcome.Failed(IssueKinds.RequiredValue, field.To, $"{(field.From.Count > 0 ? record.Where(field.From[0]) : record.Location.ToString())}: {field.To} is required but {from} is empty");
                    }

                    continue;
                }

                names[count] = field.To;
                values[count++] = result.Value;
            }

            var references = new List<RecordReference>(_entry.References.Count);
            foreach (var reference in _entry.References)
            {
                var raw = Transforms.Transforms.Text(record[reference.From]);
                var id = reference.KeyTransform == "companyKey" ? CompanyKeys.Of(raw) : raw;
                if (string.IsNullOrEmpty(id))
                {
                    if (reference.Required)
                    {
                        return MapOutcome.Failed(IssueKinds.RequiredValue, reference.To, $"{record.Where(reference.From)}: {reference.To} is required but {reference.From} is empty");
                    }

                    continue;
                }

                var target = reference.Object;
                if (reference.ObjectBy is { } by)
                {
                    var type = record[by.Column]?.Trim() ?? string.Empty;
                    if (!by.Map.TryGetValue(type, out target))
                    {
                        if (reference.Required)
                        {
                            return MapOutcome.Failed(IssueKinds.UnknownParentType, reference.To, $"{record.Where(by.Column)}: parent type '{type}' is not one this spec migrates ({string.Join(", ", by.Map.Keys)})");
                        }

                        (warnings ??= []).Add(new RecordIssue(IssueKinds.UnknownParentType, reference.To, $"{record.Where(by.Column)}: parent type '{type}' is not migrated ({string.Join(", ", by.Map.Keys)}); {reference.To} left empty"));

                        continue;
                    }
                }

                if (reference.ModelField is { } modelField && target is not null && _models.TryGetValue(target, out var model))
                {
                    var modelValue = modelField.EndsWith("_id", StringComparison.Ordinal) ? (object)new NamedLookup("ir.model", model) : model;
                    var existing = Array.IndexOf(names, modelField, 0, count);
                    if (existing >= 0)
                    {
                        values[existing] = modelValue;
                    }
                    else
                    {
                        names[count] = modelField;
                        values[count++] = modelValue;
                    }
                }

                references.Add(new RecordReference(reference.To, target!, id, reference.Required, _alsoIn.GetValueOrDefault(target!)));
            }

            var fieldValues = new FieldValues(names, values, count);
            if (lookupsOnly)
            {
                return MapOutcome.Mapped(new DestinationRecord(string.Empty, _entry.Key, sourceId, _entry.Target!, fieldValues, references, string.Empty, record.Location), warnings);
            }

            var destination = new DestinationRecord(
                _externalIdPrefix + SafeId(sourceId),
                _entry.Key,
                sourceId,
                _entry.Target!,
                fieldValues,
                references,
                ContentHash(fieldValues, references),
                record.Location);
            return MapOutcome.Mapped(destination, warnings);
        }

        private string? ComputedId(string? value) =>
            _entry.IdTransform == "companyKey" ? NullIfEmpty(CompanyKeys.Of(value)) : Transforms.Transforms.Text(value);

        private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

        private SchemaColumns Resolve(RecordSchema schema) => new(
            schema,
            [.. _fields.Select(f => f.Field.From.Select(schema.IndexOf).ToArray())],
            [.. _fields.Select(f => f.Field.From.Count > 0 ? _context.For(schema.File, f.Field.From[0]) : _context)]);
    }

    /// <summary>
    /// A 128-bit hash of the mapped values and references, in the spec's field order (the spec hash pins that
    /// order): equal content, equal hash, on every run. Non-cryptographic on purpose: it detects change for delta
    /// pickup, it authenticates nothing, and it runs on every record — so the canonical text is written once into a
    /// per-thread buffer (values formatted in place, no strings made) and hashed in one call.
    /// </summary>
    internal static string ContentHash(FieldValues values, IReadOnlyList<RecordReference> references)
    {
        var text = new CanonicalText(HashBuffer ??= new char[1024]);
        for (var i = 0; i < values.Count; i++)
        {
            var (name, value) = values.At(i);
            text.Append(name);
            text.Separator();
            text.Append(value);
            text.Separator();
        }

        foreach (var reference in references)
        {
            text.Append(reference.Field);
            text.Append(reference.SourceObject);
            text.Append(reference.SourceId);
            text.Separator();
        }

        HashBuffer = text.Buffer;
        Span<byte> digest = stackalloc byte[16];
        System.IO.Hashing.XxHash128.Hash(System.Runtime.InteropServices.MemoryMarshal.AsBytes(text.Written), digest);
        return Convert.ToHexStringLower(digest);
    }

    [ThreadStatic]
    private static char[]? HashBuffer;

    /// <summary>The canonical text of a record's content, written into a growable char buffer.</summary>
    private struct CanonicalText(char[] buffer)
    {
        private char[] _buffer = buffer;
        private int _length;

        public readonly char[] Buffer => _buffer;

        public readonly ReadOnlySpan<char> Written => Buffer.AsSpan(0, _length);

        public void Separator() => Append("\u001f");

        public void Append(ReadOnlySpan<char> text)
        {
            Reserve(text.Length);
            text.CopyTo(Buffer.AsSpan(_length));
            _length += text.Length;
        }

        public void Append(object? value)
        {
            switch (value)
            {
                case null:
                    return;
                case string s:
                    Append(s.AsSpan());
                    return;
                case UserLookup u:
                    Append("user:");
                    Append(u.Email);
                    return;
                case NamedLookup n:
                    Append(n.Model);
                    Append(":");
                    Append(n.Name);
                    return;
                case FileContent f:
                    Append("file:");
                    Append(f.RelativePath);
                    return;
                case bool b:
                    Append(b ? "true" : "false");
                    return;
                case DateTime d:
                    Format(d, "O");
                    return;
                case DateOnly d:
                    Format(d, "O");
                    return;
                case double d:
                    Format(d, "R");
                    return;
                case ISpanFormattable f:
                    Format(f, null);
                    return;
                default:
                    Append(value.ToString());
                    return;
            }
        }

        private void Format<T>(T value, string? format)
            where T : ISpanFormattable
        {
            int written;
            while (!value.TryFormat(Buffer.AsSpan(_length), out written, format, System.Globalization.CultureInfo.InvariantCulture))
            {
                Reserve(Buffer.Length);
            }

            _length += written;
        }

        private void Reserve(int more)
        {
            if (_length + more > Buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(Buffer.Length * 2, _length + more));
            }
        }
    }

    /// <summary>Organisation names repeat across thousands of contacts: their keys are computed once (bounded cache).</summary>
    private static class CompanyKeys
    {
        private const int Capacity = 100_000;
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Cache = new(StringComparer.Ordinal);

        public static string Of(string? name)
        {
            if (name is null)
            {
                return string.Empty;
            }

            if (Cache.TryGetValue(name, out var key))
            {
                return key;
            }

            key = NameValues.CompanyKey(name);
            if (Cache.Count < Capacity)
            {
                Cache.TryAdd(name, key);
            }

            return key;
        }
    }
}
