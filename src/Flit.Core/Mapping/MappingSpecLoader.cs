using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Flit.Core.Mapping;

/// <summary>A mapping spec that cannot be used, with the spec's name and the YAML line and column.</summary>
public sealed class MappingSpecException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Loads mapping specs from YAML, validates them, hashes them, and writes them back.</summary>
public static class MappingSpecLoader
{
    /// <summary>The pairs shipped with the product.</summary>
    public static IReadOnlyList<string> ShippedPairs { get; } =
        ["arkcase-odoo", "casemanager-odoo", "oncourse-odoo", "actimo-odoo", "actimo-dynamics"];

    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .WithTypeConverter(new StringOrListConverter())
        .Build();

    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitDefaults | DefaultValuesHandling.OmitEmptyCollections | DefaultValuesHandling.OmitNull)
        .Build();

    /// <summary>What the hash covers: everything that decides what a run writes. A proposal's confidence and reason
    /// explain a field to the person approving it and quote the export ("80 of 80 rows filled"), so they are left out:
    /// a newer export of the same layout (a delta pass) runs under the approval of the same mapping.</summary>
    private static readonly JsonSerializerOptions CanonicalJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = false,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver
        {
            Modifiers =
            {
                info =>
                {
                    if (info.Type == typeof(FieldMapping) && info.Properties.FirstOrDefault(p => p.Name == "proposal") is { } proposal)
                    {
                        info.Properties.Remove(proposal);
                    }
                },
            },
        },
    };

    /// <summary>The default spec shipped for a pair.</summary>
    public static MappingSpec LoadShipped(string pair)
    {
        var normalized = pair?.Trim().ToLowerInvariant() ?? string.Empty;
        if (!ShippedPairs.Contains(normalized))
        {
            throw new MappingSpecException($"No mapping spec for pair '{pair}'. Pairs: {string.Join(", ", ShippedPairs)}.");
        }

        var name = $"Flit.Core.Mapping.Specs.{normalized}.yaml";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new MappingSpecException($"The spec resource {name} is missing from the build.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(reader.ReadToEnd(), normalized + ".yaml");
    }

    /// <summary>Parses and validates a spec; errors name the spec and the YAML position.</summary>
    public static MappingSpec Parse(string yaml, string specName)
    {
        SpecDocument document;
        try
        {
            document = Deserializer.Deserialize<SpecDocument>(yaml) ?? throw new MappingSpecException($"{specName} is empty.");
        }
        catch (YamlException e)
        {
            throw new MappingSpecException($"{specName}, line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}", e);
        }

        return document.ToSpec(specName);
    }

    /// <summary>SHA-256 of the spec's canonical JSON: formatting and comments do not change it, content does.</summary>
    public static string Hash(MappingSpec spec) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(spec, CanonicalJson)))[..16];

    /// <summary>Writes a spec as YAML (the proposal output); parsing it back gives an equal hash.</summary>
    public static string ToYaml(MappingSpec spec) => Serializer.Serialize(SpecDocument.Of(spec));

    /// <summary>YAML-side shape: mutable, camelCase, scalars or lists for <c>from</c>.</summary>
    private sealed class SpecDocument
    {
        public string? Pair { get; set; }

        public int Version { get; set; }

        public string? Source { get; set; }

        public string? Destination { get; set; }

        public List<ObjectDocument> Objects { get; set; } = [];

        public OwnersDocument? Owners { get; set; }

        public MappingSpec ToSpec(string specName)
        {
            string Need(string? value, string what) =>
                string.IsNullOrWhiteSpace(value) ? throw new MappingSpecException($"{specName}: '{what}' is required.") : value.Trim();

            var objects = Objects.Select((o, i) => o.ToMapping(specName, i)).ToList();
            var duplicate = objects.Where(o => o.Disposition == Disposition.Migrate).GroupBy(o => o.Key).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw new MappingSpecException($"{specName}: object '{duplicate.Key}' is migrated twice; give one entry a distinct 'name'.");
            }

            return new MappingSpec(Need(Pair, "pair"), Version > 0 ? Version : throw new MappingSpecException($"{specName}: 'version' must be a positive number."),
                Need(Source, "source"), Need(Destination, "destination"), objects,
                Owners is null ? null : new OwnerDirectory(Need(Owners.Object, "owners.object"), Need(Owners.Key, "owners.key"), Need(Owners.Email, "owners.email")));
        }

        public static SpecDocument Of(MappingSpec spec) => new()
        {
            Pair = spec.Pair,
            Version = spec.Version,
            Source = spec.Source,
            Destination = spec.Destination,
            Objects = [.. spec.Objects.Select(ObjectDocument.Of)],
            Owners = spec.Owners is null ? null : new OwnersDocument { Object = spec.Owners.Object, Key = spec.Owners.Key, Email = spec.Owners.Email },
        };
    }

    private sealed class OwnersDocument
    {
        public string? Object { get; set; }

        public string? Key { get; set; }

        public string? Email { get; set; }
    }

    private sealed class ObjectDocument
    {
        public string? SeedRow { get; set; }

        public string? Source { get; set; }

        public string? Name { get; set; }

        public string? Disposition { get; set; }

        public string? Target { get; set; }

        public string? Phase { get; set; }

        public string? Where { get; set; }

        public string? IdFrom { get; set; }

        public string? IdTransform { get; set; }

        public string? Disclosure { get; set; }

        public List<FieldDocument> Fields { get; set; } = [];

        public List<ReferenceDocument> References { get; set; } = [];

        public List<JoinDocument> Joins { get; set; } = [];

        public ObjectMapping ToMapping(string specName, int index)
        {
            var where = $"{specName}, objects[{index}] ({SeedRow ?? Source})";
            var disposition = ParseEnum<Disposition>(Disposition?.Replace("-", string.Empty, StringComparison.Ordinal) ?? "migrate", where, "disposition");
            var phase = ParseEnum<LoadPhase>(Phase ?? "contacts", where, "phase");
            if (string.IsNullOrWhiteSpace(SeedRow) || string.IsNullOrWhiteSpace(Source))
            {
                throw new MappingSpecException($"{where}: 'seedRow' and 'source' are required.");
            }

            if (disposition is Mapping.Disposition.Migrate or Mapping.Disposition.NoteOnParent && string.IsNullOrWhiteSpace(Target))
            {
                throw new MappingSpecException($"{where}: a migrated object needs a 'target'.");
            }

            if (disposition is not Mapping.Disposition.Migrate and not Mapping.Disposition.NoteOnParent && string.IsNullOrWhiteSpace(Disclosure))
            {
                throw new MappingSpecException($"{where}: a {Disposition} object needs a 'disclosure' saying what is lost.");
            }

            var twice = Fields.Select(f => f.To).Concat(References.Select(r => r.To)).GroupBy(t => t, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (twice is not null)
            {
                throw new MappingSpecException($"{where}: field '{twice.Key}' is mapped twice; one source must win explicitly.");
            }

            return new ObjectMapping(SeedRow.Trim(), Source.Trim(), disposition, Target?.Trim(), phase,
                [.. Fields.Select((f, i) => f.ToMapping($"{where}.fields[{i}]"))],
                [.. References.Select((r, i) => r.ToMapping($"{where}.references[{i}]"))],
                Disclosure?.Trim(), Where is null ? null : Checked(RowCondition.Parse(Where.Trim()).Text, where), Name?.Trim(), IdFrom?.Trim(), IdTransform?.Trim(),
                Joins.Count == 0 ? null : [.. Joins.Select((j, i) => j.ToMapping($"{where}.joins[{i}]"))]);
        }

        public static ObjectDocument Of(ObjectMapping o) => new()
        {
            SeedRow = o.SeedRow,
            Source = o.Source,
            Name = o.Name,
            Disposition = o.Disposition.ToString().ToLowerInvariant(),
            Target = o.Target,
            Phase = o.Phase.ToString().ToLowerInvariant(),
            Where = o.Where,
            IdFrom = o.IdFrom,
            IdTransform = o.IdTransform,
            Disclosure = o.Disclosure,
            Joins = [.. (o.Joins ?? []).Select(JoinDocument.Of)],
            Fields = [.. o.Fields.Select(FieldDocument.Of)],
            References = [.. o.References.Select(ReferenceDocument.Of)],
        };
    }

    private sealed class FieldDocument
    {
        public string? To { get; set; }

        public List<string> From { get; set; } = [];

        public string? Transform { get; set; }

        public Dictionary<string, string> Args { get; set; } = [];

        public string? Value { get; set; }

        public bool Required { get; set; }

        public CustomDocument? Custom { get; set; }

        public double Confidence { get; set; }

        public string? Reason { get; set; }

        public FieldMapping ToMapping(string where)
        {
            if (string.IsNullOrWhiteSpace(To))
            {
                throw new MappingSpecException($"{where}: 'to' is required.");
            }

            if (From.Count == 0 && Value is null)
            {
                throw new MappingSpecException($"{where} ({To}): give 'from' (source column) or 'value' (constant).");
            }

            var transform = Transform?.Trim() ?? "text";
            if (!Transforms.Transforms.IsKnown(transform))
            {
                throw new MappingSpecException($"{where} ({To}): unknown transform '{transform}'. Known: {string.Join(", ", Transforms.Transforms.Names)}.");
            }

            return new FieldMapping(To.Trim(), From, transform, new SortedDictionary<string, string>(Args, StringComparer.Ordinal), Value, Required,
                Custom is null ? null : new CustomField(Custom.Type ?? "char", Custom.Label ?? To, Custom.Selection),
                Reason is null ? null : new Proposal(Confidence, Reason));
        }

        public static FieldDocument Of(FieldMapping f) => new()
        {
            To = f.To,
            From = [.. f.From],
            Transform = f.Transform == "text" ? null : f.Transform,
            Args = new Dictionary<string, string>(f.Args),
            Value = f.Value,
            Required = f.Required,
            Custom = f.Custom is null ? null : new CustomDocument { Type = f.Custom.Type, Label = f.Custom.Label, Selection = f.Custom.Selection?.ToList() },
            Confidence = f.Proposal?.Confidence ?? 0,
            Reason = f.Proposal?.Reason,
        };
    }

    private sealed class CustomDocument
    {
        public string? Type { get; set; }

        public string? Label { get; set; }

        public List<string>? Selection { get; set; }
    }

    private static string Checked(string value, string where) => value.Length > 0 ? value : throw new MappingSpecException($"{where}: 'where' is empty.");

    private sealed class JoinDocument
    {
        public string? Object { get; set; }

        public string? On { get; set; }

        public string? By { get; set; }

        public string? As { get; set; }

        public string? Where { get; set; }

        public Dictionary<string, JoinColumnDocument> Columns { get; set; } = [];

        public JoinMapping ToMapping(string where)
        {
            if (string.IsNullOrWhiteSpace(Object) || string.IsNullOrWhiteSpace(As) || (On is null) == (By is null) || Columns.Count == 0)
            {
                throw new MappingSpecException($"{where}: a join needs 'object', 'as', one of 'on' (the joined object's column holding this record's id) or 'by' (this record's column holding the joined row's id), and 'columns'.");
            }

            if (Where is not null)
            {
                RowCondition.Parse(Where);
            }

            return new JoinMapping(Object.Trim(), On?.Trim(), By?.Trim(), As.Trim(), Where?.Trim(), new SortedDictionary<string, JoinColumn>(
                Columns.ToDictionary(c => c.Key, c => c.Value.ToColumn($"{where}.columns.{c.Key}")), StringComparer.Ordinal));
        }

        public static JoinDocument Of(JoinMapping j) => new()
        {
            Object = j.Object,
            On = j.On,
            By = j.By,
            As = j.As,
            Where = j.Where,
            Columns = j.Columns.ToDictionary(c => c.Key, c => new JoinColumnDocument { From = [.. c.Value.From], Pick = c.Value.Pick, Format = c.Value.Format, Where = c.Value.Where }),
        };
    }

    private sealed class JoinColumnDocument
    {
        public List<string> From { get; set; } = [];

        public string? Pick { get; set; }

        public string? Format { get; set; }

        public string? Where { get; set; }

        public JoinColumn ToColumn(string where)
        {
            var pick = Pick ?? "first";
            if (From.Count == 0 || pick is not ("first" or "list"))
            {
                throw new MappingSpecException($"{where}: a join column needs 'from' and 'pick' first or list (got '{pick}').");
            }

            if (Where is not null)
            {
                RowCondition.Parse(Where);
            }

            return new JoinColumn(From, pick, Format, Where);
        }
    }

    private sealed class ReferenceDocument
    {
        public string? To { get; set; }

        public string? From { get; set; }

        public string? Object { get; set; }

        public bool Required { get; set; }

        public string? ObjectByColumn { get; set; }

        public Dictionary<string, string> ObjectByMap { get; set; } = [];

        public string? ModelField { get; set; }

        public string? KeyTransform { get; set; }

        public ReferenceMapping ToMapping(string where)
        {
            if (string.IsNullOrWhiteSpace(To) || string.IsNullOrWhiteSpace(From) || (Object is null && ObjectByColumn is null))
            {
                throw new MappingSpecException($"{where}: a reference needs 'to', 'from' and 'object' (or 'objectByColumn' with 'objectByMap').");
            }

            return new ReferenceMapping(To.Trim(), From.Trim(), Object?.Trim(), Required,
                ObjectByColumn is null ? null : new PolymorphicParent(ObjectByColumn, new SortedDictionary<string, string>(ObjectByMap, StringComparer.OrdinalIgnoreCase)),
                ModelField, KeyTransform);
        }

        public static ReferenceDocument Of(ReferenceMapping r) => new()
        {
            To = r.To,
            From = r.From,
            Object = r.Object,
            Required = r.Required,
            ObjectByColumn = r.ObjectBy?.Column,
            ObjectByMap = r.ObjectBy is null ? [] : new Dictionary<string, string>(r.ObjectBy.Map),
            ModelField = r.ModelField,
            KeyTransform = r.KeyTransform,
        };
    }

    private static T ParseEnum<T>(string value, string where, string what)
        where T : struct, Enum =>
        Enum.TryParse<T>(value, ignoreCase: true, out var parsed)
            ? parsed
            : throw new MappingSpecException($"{where}: '{value}' is not a valid {what}. Valid: {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLower(CultureInfo.InvariantCulture)))}.");

    /// <summary>Lets <c>from: column</c> and <c>from: [a, b]</c> both read as a list.</summary>
    private sealed class StringOrListConverter : IYamlTypeConverter
    {
        public bool Accepts(Type type) => type == typeof(List<string>);

        public object? ReadYaml(IParser parser, Type type, ObjectDeserializer rootDeserializer)
        {
            if (parser.TryConsume<YamlDotNet.Core.Events.Scalar>(out var scalar))
            {
                return new List<string> { scalar.Value };
            }

            return rootDeserializer(typeof(string[])) is string[] items ? items.ToList() : new List<string>();
        }

        public void WriteYaml(IEmitter emitter, object? value, Type type, ObjectSerializer serializer)
        {
            var list = (List<string>?)value ?? [];
            if (list.Count == 1)
            {
                emitter.Emit(new YamlDotNet.Core.Events.Scalar(list[0]));
            }
            else
            {
                serializer(list.ToArray(), typeof(string[]));
            }
        }
    }
}
