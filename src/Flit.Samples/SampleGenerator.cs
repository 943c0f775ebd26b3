using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Xml;
using Flit.Core.Sources;
using Flit.Sources.Layouts;

namespace Flit.Samples;

/// <summary>
/// Writes a realistic export of a source system at any size from a seed: every object of the system's layout, in
/// its documented file and format, with known rates of real-world dirt recorded in <c>manifest.json</c>.
/// Streaming: records are written as they are made and ids are computed, so a million records need no more
/// memory than ten. The same (system, records, seed, options) gives the same bytes.
/// </summary>
public static class SampleGenerator
{
    /// <summary>Dirty records listed per kind in the manifest (the count is always exact).</summary>
    internal const int ListedDirtPerKind = 1000;

    /// <param name="system">arkcase, casemanager, oncourse or actimo.</param>
    /// <param name="outputFolder">Created if missing; existing files of the same names are replaced.</param>
    /// <param name="records">Size of the main object (persons, contacts, staff); other objects are proportional (see <c>SamplePlans</c>).</param>
    /// <param name="seed">Seed of every random choice.</param>
    /// <param name="options">Dirt rates and file quirks; <see cref="SampleOptions.Default"/> when null.</param>
    public static SampleManifest Generate(string system, string outputFolder, int records, int seed, SampleOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(records);
        ArgumentException.ThrowIfNullOrEmpty(outputFolder);
        var layout = SourceLayouts.Get(system);
        var plan = SamplePlans.For(layout.System);
        var run = new GenerationRun(layout, plan, records, seed, options ?? SampleOptions.Default);
        Directory.CreateDirectory(outputFolder);
        foreach (var obj in layout.Objects)
        {
            run.Write(obj, outputFolder);
        }

        var manifest = run.Manifest();
        File.WriteAllText(Path.Combine(outputFolder, "manifest.json"), JsonSerializer.Serialize(manifest, ManifestJson));
        return manifest;
    }

    internal static readonly JsonSerializerOptions ManifestJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private sealed class GenerationRun
    {
        private readonly SourceLayout _layout;
        private readonly SamplePlan _plan;
        private readonly int _records;
        private readonly int _seed;
        private readonly SampleOptions _options;
        private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (int Count, List<DirtyRecord> Records)> _dirt = new(StringComparer.Ordinal);

        /// <summary>Dirt listed while the current row is built: its id is final only once the row is.</summary>
        private readonly List<(List<DirtyRecord> List, int Index)> _rowDirt = [];
        private readonly Dictionary<string, List<string>> _recentEmails = new(StringComparer.Ordinal);

        public GenerationRun(SourceLayout layout, SamplePlan plan, int records, int seed, SampleOptions options)
        {
            _layout = layout;
            _plan = plan;
            _records = records;
            _seed = seed;
            _options = options;
            foreach (var obj in layout.Objects)
            {
                _counts[obj.Name] = plan.Fixed.TryGetValue(obj.Name, out var n) ? n
                    : plan.Ratios.TryGetValue(obj.Name, out var ratio) ? Math.Max(obj.Name == plan.OwnerObject ? 5 : 1, (int)Math.Round(records * ratio))
                    : 0;
            }

            if (_plan.System == "oncourse")
            {
                _counts["pipeline_stage"] = SamplePlans.Stages.Length;
            }
        }

        /// <summary>Records of the owner object that own things. For Actimo the owners are staff themselves, so only the
        /// managers (a few percent) are owners; elsewhere every user is.</summary>
        private int OwnerPool => _plan.System == "actimo" ? Math.Max(5, _counts[_plan.OwnerObject] / 50) : _counts[_plan.OwnerObject];

        public SampleManifest Manifest()
        {
            var owners = OwnerPool;
            var users = Enumerable.Range(0, owners).Where(i => !IsUnmatchedOwner(i)).Select(OwnerEmail).ToList();
            return new SampleManifest(_layout.System, _records, _seed,
                _counts.Where(c => c.Value > 0).ToDictionary(c => c.Key, c => c.Value),
                users,
                _dirt.OrderBy(d => d.Key, StringComparer.Ordinal).ToDictionary(d => d.Key, d => new InjectedDirt(d.Value.Count, d.Value.Records)));
        }

        public void Write(ObjectLayout obj, string folder)
        {
            var count = _counts[obj.Name];
            if (count == 0 || (_options.OnlyObjects is { } only && !only.Contains(obj.Name)))
            {
                return;
            }

            var path = Path.Combine(folder, obj.FileNames[0]);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // One random stream per object: changing one object's size never changes another's values.
            var random = new Random(unchecked((_seed * 397) ^ StableHash(obj.Name)));
            var rows = Enumerable.Range(0, count).Select(i => Row(obj, i, random, folder));
            switch (obj.Format)
            {
                case ExportFormat.Json:
                    WriteJson(path, obj, rows);
                    break;
                case ExportFormat.Xlsx:
                    WriteXlsx(path, obj, rows);
                    break;
                default:
                    WriteCsv(path, obj, rows);
                    break;
            }
        }

        private string?[] Row(ObjectLayout obj, int index, Random random, string folder)
        {
            _rowDirt.Clear();
            var values = BuildRow(obj, index, random, folder);
            if (obj.RowKeyColumns is { Count: > 0 } parts)
            {
                // A row whose key repeats by design (one per recipient) is known by the key and its row key.
                var suffix = string.Concat(parts.Select(p => obj.Columns.ToList().FindIndex(c => c.Name == p)).Where(i => i >= 0 && !string.IsNullOrWhiteSpace(values[i])).Select(i => "/" + values[i]!.Trim()));
                foreach (var (list, at) in _rowDirt)
                {
                    list[at] = list[at] with { Id = list[at].Id + suffix };
                }
            }

            return values;
        }

        private string?[] BuildRow(ObjectLayout obj, int index, Random random, string folder)
        {
            var values = new string?[obj.Columns.Count];
            var id = IdOf(obj, index);
            var person = PersonName(random, obj, id);
            _plan.Polymorphic.TryGetValue(obj.Name, out var poly);
            string? parentType = null;
            for (var c = 0; c < obj.Columns.Count; c++)
            {
                var column = obj.Columns[c];
                if (column.Name == obj.KeyColumn)
                {
                    values[c] = id;
                }
                else if (poly is not null && column.Name == poly.TypeColumn)
                {
                    parentType = poly.TypeToObject.Keys.ElementAt(random.Next(poly.TypeToObject.Count));
                    values[c] = parentType;
                }
                else
                {
                    values[c] = Value(obj, column, id, index, random, person, folder);
                }
            }

            if (poly is not null && parentType is not null)
            {
                var idColumn = obj.Columns.ToList().FindIndex(col => col.Name == poly.IdColumn);
                var parent = _layout.Object(poly.TypeToObject[parentType])!;
                values[idColumn] = ReferenceTo(obj, parent.Name, id, poly.IdColumn, random);
            }

            return values;
        }

        private (string First, string Last, bool NonLatin) PersonName(Random random, ObjectLayout obj, string id)
        {
            if (Chance(random, _options.NonLatinNameRate) && obj.Columns.Any(c => IsNameColumn(c.Name)))
            {
                Dirt(DirtKinds.NonLatinName, obj.Name, id, obj.Columns.First(c => IsNameColumn(c.Name)).Name);
                var full = Pick(random, Vocabulary.NonLatinNames);
                var space = full.IndexOf(' ', StringComparison.Ordinal);
                return space < 0 ? (full[1..], full[..1], true) : (full[..space], full[(space + 1)..], true);
            }

            return (Pick(random, Vocabulary.FirstNames), Pick(random, Vocabulary.LastNames), false);
        }

        private static bool IsNameColumn(string column) =>
            column.Contains("given", StringComparison.OrdinalIgnoreCase) || column.Equals("First Name", StringComparison.OrdinalIgnoreCase)
            || column.Equals("Name", StringComparison.OrdinalIgnoreCase);

        private string? Value(ObjectLayout obj, ColumnLayout column, string id, int index, Random random, (string First, string Last, bool NonLatin) person, string folder)
        {
            var name = column.Name;
            var lower = name.ToLowerInvariant();
            if (column.Kind == ValueKind.Reference)
            {
                if (obj.Name == _plan.OwnerObject && column.References == _plan.OwnerObject && column.Required is false && random.NextDouble() < 0.3)
                {
                    return null;
                }

                if (column.References == obj.Name && obj.Name != _plan.OwnerObject)
                {
                    // Hierarchies (parent organisation, manager) point at earlier records: real data has no cycles.
                    return index == 0 || random.Next(3) != 0 ? null : IdOf(obj, random.Next(index));
                }

                return ReferenceTo(obj, column.References!, id, name, random);
            }

            if (SamplePlans.PicklistFor(_plan, name) is { } picklist && column.Kind is ValueKind.Picklist or ValueKind.Text)
            {
                return Pick(random, picklist);
            }

            switch (column.Kind)
            {
                case ValueKind.Email:
                    return Email(obj, column, id, index, random, person);
                case ValueKind.Phone:
                    return _plan.System switch
                    {
                        "casemanager" => $"04{random.Next(10, 99)} {random.Next(100, 999)} {random.Next(100, 999)}",
                        "actimo" => $"+45 {random.Next(20, 99)} {random.Next(10, 99)} {random.Next(10, 99)} {random.Next(10, 99)}",
                        "arkcase" => $"({random.Next(200, 999)}) {random.Next(200, 999)}-{random.Next(1000, 9999)}",
                        _ => $"07{random.Next(100, 999)} {random.Next(100000, 999999)}",
                    };
                case ValueKind.Url:
                    return $"https://www.{Slug(Pick(random, Vocabulary.CompanyStems))}{random.Next(1, 99)}.example";
                case ValueKind.Date:
                    return DateValue(obj, name, id, random, _plan.DateFormat, column.Required);
                case ValueKind.DateTime:
                    return DateValue(obj, name, id, random, _plan.DateTimeFormat, column.Required);
                case ValueKind.Boolean:
                    return _plan.System == "casemanager" ? (random.Next(2) == 0 ? "Yes" : "No") : (random.Next(4) == 0 ? "true" : "false");
                case ValueKind.Integer:
                    return lower.Contains("percent", StringComparison.Ordinal) ? random.Next(0, 101).ToString(CultureInfo.InvariantCulture)
                        : random.Next(1, 500).ToString(CultureInfo.InvariantCulture);
                case ValueKind.Decimal:
                    return lower.Contains("score", StringComparison.Ordinal) ? (random.Next(0, 1001) / 10.0).ToString("0.0", CultureInfo.InvariantCulture)
                        : (random.Next(100, 2_000_000) / 100.0).ToString("0.00", CultureInfo.InvariantCulture);
                case ValueKind.Html:
                case ValueKind.LongText:
                    return Note(obj, name, id, random, column.Kind == ValueKind.Html);
                case ValueKind.MultiValue:
                    return string.Join(random.Next(2) == 0 ? ";" : "|", Enumerable.Range(0, random.Next(1, 3)).Select(_ => Pick(random, Vocabulary.CompanyKinds).ToLowerInvariant()));
                case ValueKind.FilePath:
                    return Attachment(obj, column, id, random, folder);
                case ValueKind.Picklist:
                    return Pick(random, ["Standard", "Internal", "External", "Other"]);
            }

            return TextValue(obj, lower, id, index, random, person);
        }

        private string? TextValue(ObjectLayout obj, string lower, string id, int index, Random random, (string First, string Last, bool NonLatin) person)
        {
            if (obj.Name == _plan.OwnerObject && lower is "name" or "user" or "cm_user_full_name")
            {
                return OwnerName(index);
            }

            if (lower.Contains("given", StringComparison.Ordinal) || lower.StartsWith("first", StringComparison.Ordinal))
            {
                return person.First;
            }

            if (lower.Contains("family", StringComparison.Ordinal) || lower.StartsWith("last", StringComparison.Ordinal))
            {
                return person.Last;
            }

            if (lower.Contains("middle", StringComparison.Ordinal))
            {
                return random.Next(5) == 0 ? Pick(random, Vocabulary.FirstNames) : null;
            }

            if (lower is "name" && obj.Name is "contact" or "staff")
            {
                return $"{person.First} {person.Last}";
            }

            if (lower.Contains("organi", StringComparison.Ordinal) || lower.Contains("company", StringComparison.Ordinal) || lower == "name" || lower.EndsWith("_value", StringComparison.Ordinal))
            {
                return lower.Contains("organi", StringComparison.Ordinal) && obj.Name is "contact" or "lead" or "deal" && random.Next(8) == 0 ? null : Company(random);
            }

            if (lower.Contains("street", StringComparison.Ordinal) || lower.Contains("address", StringComparison.Ordinal))
            {
                return lower.Contains("extra", StringComparison.Ordinal) ? (random.Next(4) == 0 ? $"Unit {random.Next(1, 40)}" : null) : $"{random.Next(1, 250)} {Pick(random, Vocabulary.Streets)}";
            }

            if (lower.Contains("city", StringComparison.Ordinal) || lower.Contains("locality", StringComparison.Ordinal) || lower is "town" or "suburb" or "location")
            {
                return Pick(random, Vocabulary.Cities);
            }

            if (lower.Contains("postal", StringComparison.Ordinal) || lower.Contains("postcode", StringComparison.Ordinal) || lower.Contains("zip", StringComparison.Ordinal))
            {
                // Leading zeros on purpose: a spreadsheet round trip loses them (a quirk the readers must keep).
                return random.Next(3) == 0 ? $"0{random.Next(100, 999)}" : $"{(char)('A' + random.Next(26))}{random.Next(1, 20)} {random.Next(1, 9)}{(char)('A' + random.Next(26))}{(char)('A' + random.Next(26))}";
            }

            if (lower.Contains("region", StringComparison.Ordinal) || lower is "state" or "county")
            {
                return Pick(random, Vocabulary.Regions);
            }

            if (lower.Contains("country", StringComparison.Ordinal))
            {
                return lower.Contains("code", StringComparison.Ordinal) ? "+44" : Pick(random, Vocabulary.Countries);
            }

            if (lower.Contains("title", StringComparison.Ordinal) || lower.Contains("subject", StringComparison.Ordinal) || lower.Contains("case name", StringComparison.Ordinal)
                || lower.Contains("deal name", StringComparison.Ordinal) || lower is "summary" or "question" or "course" or "module" or "survey")
            {
                return $"{Pick(random, Vocabulary.Subjects)} #{id}";
            }

            if (lower.Contains("number", StringComparison.Ordinal) || lower is "case no")
            {
                return $"{2020 + random.Next(6)}{random.Next(1, 13):00}{random.Next(1, 29):00}_{id}";
            }

            if (lower.Contains("path", StringComparison.Ordinal) || lower.Contains("bpmn", StringComparison.Ordinal))
            {
                return $"workflows/{id}.bpmn";
            }

            return $"{Pick(random, Vocabulary.CompanyKinds)} {random.Next(1, 100)}";
        }

        private string ReferenceTo(ObjectLayout from, string target, string fromId, string column, Random random)
        {
            var count = Math.Max(target == _plan.OwnerObject && (_plan.System != "actimo" || IsOwnerColumn(from, column)) ? OwnerPool : _counts.GetValueOrDefault(target), 1);
            if (target != _plan.OwnerObject && Chance(random, _options.DanglingParentRate))
            {
                Dirt(DirtKinds.DanglingReference, from.Name, fromId, column);
                return IdOf(_layout.Object(target)!, count + random.Next(1, 1000));
            }

            var index = random.Next(count);
            if (target == _plan.OwnerObject && IsOwnerColumn(from, column) && IsUnmatchedOwner(index))
            {
                Dirt(DirtKinds.UnmatchedOwner, from.Name, fromId, column);
            }

            return IdOf(_layout.Object(target)!, index);
        }

        /// <summary>Whether a column holds the record's owner (Actimo staff also reference staff as respondents, authors…).</summary>
        private bool IsOwnerColumn(ObjectLayout from, string column) => _plan.OwnerColumns.Contains(column) || _plan.OwnerColumns.Contains($"{from.Name}.{column}");

        private string? Email(ObjectLayout obj, ColumnLayout column, string id, int index, Random random, (string First, string Last, bool NonLatin) person)
        {
            if (obj.Name == _plan.OwnerObject && (_plan.System != "actimo" || index < OwnerPool))
            {
                return OwnerEmail(index);
            }

            if (Chance(random, _options.MissingEmailRate))
            {
                Dirt(DirtKinds.MissingEmail, obj.Name, id, column.Name);
                return null;
            }

            if (!_recentEmails.TryGetValue(obj.Name, out var recent))
            {
                _recentEmails[obj.Name] = recent = [];
            }

            if (recent.Count > 0 && Chance(random, _options.DuplicateEmailRate))
            {
                // Re-use an e-mail actually written a little earlier, in another case and with spaces.
                Dirt(DirtKinds.DuplicateEmail, obj.Name, id, column.Name);
                return "  " + recent[random.Next(recent.Count)].ToUpperInvariant();
            }

            var email = EmailFor(obj, index);
            if (recent.Count == 50)
            {
                recent.RemoveAt(0);
            }

            recent.Add(email);
            return email;
        }

        /// <summary>Unique per (object, index) so only injected duplicates repeat.</summary>
        private static string EmailFor(ObjectLayout obj, int index) => $"{obj.Name[..Math.Min(4, obj.Name.Length)]}{index}@mail{index % 97}.example.com";

        private string? DateValue(ObjectLayout obj, string column, string id, Random random, string format, bool required)
        {
            if (!required && random.Next(10) == 0)
            {
                return null;
            }

            if (Chance(random, _options.BadDateRate))
            {
                Dirt(DirtKinds.BadDate, obj.Name, id, column);
                return Pick(random, ["31/02/2024", "unknown", "2024-13-40", "00/00/0000"]);
            }

            var value = new DateTime(2019, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(random.Next(0, 60 * 24 * 365 * 6));
            return value.ToString(format, CultureInfo.InvariantCulture);
        }

        private string Note(ObjectLayout obj, string column, string id, Random random, bool html)
        {
            var text = string.Join(" ", Enumerable.Range(0, random.Next(1, 4)).Select(_ => Pick(random, Vocabulary.Sentences)));
            if (html && Chance(random, _options.HtmlNoteRate))
            {
                Dirt(DirtKinds.HtmlNote, obj.Name, id, column);
                return $"<p>{text} {Pick(random, Vocabulary.Emoji)}</p><ul><li><b>Next:</b> call back</li></ul><script>alert('x')</script>";
            }

            return random.Next(5) == 0 ? text + "\nSecond line of the note, \"quoted\"; with separators, too." : text;
        }

        private string? Attachment(ObjectLayout obj, ColumnLayout column, string id, Random random, string folder)
        {
            if (!column.Required && random.Next(3) != 0)
            {
                return null;
            }

            var odd = Chance(random, _options.OddAttachmentRate);
            var kind = odd ? random.Next(3) : -1;
            var fileName = kind switch
            {
                0 => $"empty {id}.txt",
                1 => $"Scan – ÄÖÜ {id} (final) v2",
                2 => $"large-{id}.bin",
                _ => column.Name.Contains("bpmn", StringComparison.OrdinalIgnoreCase) ? $"{id}.bpmn" : $"document-{id}.pdf",
            };
            if (odd)
            {
                Dirt(DirtKinds.OddAttachment, obj.Name, id, column.Name);
            }

            var relative = column.Name.Contains("bpmn", StringComparison.OrdinalIgnoreCase) ? $"workflows/{fileName}" : $"files/{obj.Name}/{fileName}";
            if (_options.WriteAttachments)
            {
                var path = Path.Combine(folder, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                var bytes = kind switch
                {
                    0 => [],
                    2 => Filler(_options.LargeAttachmentBytes, random),
                    _ when fileName.EndsWith(".bpmn", StringComparison.Ordinal) => Encoding.UTF8.GetBytes(Bpmn(id)),
                    _ => Encoding.UTF8.GetBytes($"%PDF-1.4\n% sample document {id}\n"),
                };
                File.WriteAllBytes(path, bytes);
            }

            return relative;
        }

        private static string Bpmn(string id) => $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="def_{id}" targetNamespace="http://arkcase.com/bpmn">
              <process id="{id}" name="FOIA request routing {id}" isExecutable="true">
                <startEvent id="start" name="Request received"/>
                <userTask id="triage" name="Triage request"/>
                <exclusiveGateway id="expedite" name="Expedited?"/>
                <userTask id="review" name="Legal review"/>
                <boundaryEvent id="deadline" attachedToRef="review"><timerEventDefinition><timeDuration>P20D</timeDuration></timerEventDefinition></boundaryEvent>
                <endEvent id="end" name="Response sent"/>
                <sequenceFlow id="f1" sourceRef="start" targetRef="triage"/>
                <sequenceFlow id="f2" sourceRef="triage" targetRef="expedite"/>
                <sequenceFlow id="f3" sourceRef="expedite" targetRef="review"/>
                <sequenceFlow id="f4" sourceRef="review" targetRef="end"/>
              </process>
            </definitions>
            """;

        private static byte[] Filler(int size, Random random)
        {
            var bytes = new byte[size];
            random.NextBytes(bytes);
            return bytes;
        }

        private bool IsUnmatchedOwner(int index) =>
            _options.UnmatchedOwnerRate > 0 && new Random(unchecked((_seed * 31) + (index * 7919) + 7)).NextDouble() < _options.UnmatchedOwnerRate;

        private string OwnerEmail(int index) => $"{Slug(OwnerName(index))}@{_plan.System}-client.example";

        private static string OwnerName(int index) =>
            $"{Vocabulary.FirstNames[index % Vocabulary.FirstNames.Length]} {Vocabulary.LastNames[(index / Vocabulary.FirstNames.Length) % Vocabulary.LastNames.Length]}{(index >= 900 ? " " + (index / 900).ToString(CultureInfo.InvariantCulture) : string.Empty)}";

        /// <summary>The id of the index-th record of an object: numbers for numeric keys, names for name keys.</summary>
        private string IdOf(ObjectLayout obj, int index)
        {
            if (obj.Name == _plan.OwnerObject && obj.KeyColumn is "Name")
            {
                return OwnerName(index);
            }

            if (obj.Name == "pipeline_stage")
            {
                return $"S{index + 1}";
            }

            return obj.Column(obj.KeyColumn)!.Kind == ValueKind.Integer
                ? (100 + index).ToString(CultureInfo.InvariantCulture)
                : obj.Name == _plan.OwnerObject && _plan.System == "arkcase"
                    ? $"{Slug(OwnerName(index))}-acm"
                    : $"{Prefix(obj.Name)}{index + 1:D6}";
        }

        private static string Prefix(string name) => name.Length <= 3 ? name.ToUpperInvariant() : name[..3].ToUpperInvariant();

        private static string Company(Random random) =>
            $"{Pick(random, Vocabulary.CompanyStems)} {Pick(random, Vocabulary.CompanyKinds)} {Pick(random, Vocabulary.LegalForms)}".Trim();

        private void Dirt(string kind, string obj, string id, string column)
        {
            if (!_dirt.TryGetValue(kind, out var entry))
            {
                entry = (0, []);
            }

            if (entry.Records.Count < ListedDirtPerKind)
            {
                entry.Records.Add(new DirtyRecord(obj, id, column));
                _rowDirt.Add((entry.Records, entry.Records.Count - 1));
            }

            _dirt[kind] = (entry.Count + 1, entry.Records);
        }

        private void WriteCsv(string path, ObjectLayout obj, IEnumerable<string?[]> rows)
        {
            using var writer = new StreamWriter(path, false, _options.TextEncoding, 1 << 16);
            var delimiter = _options.Delimiter;
            writer.Write(string.Join(delimiter, obj.Columns.Select(c => Quote(c.Name, delimiter))));
            writer.Write(_options.LineEnding);
            foreach (var row in rows)
            {
                for (var i = 0; i < row.Length; i++)
                {
                    if (i > 0)
                    {
                        writer.Write(delimiter);
                    }

                    writer.Write(Quote(row[i], delimiter));
                }

                writer.Write(_options.LineEnding);
            }
        }

        private static string Quote(string? value, char delimiter) =>
            value is null ? string.Empty
            : value.IndexOfAny([delimiter, '"', '\n', '\r']) >= 0 || value.StartsWith(' ') ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;

        private static void WriteJson(string path, ObjectLayout obj, IEnumerable<string?[]> rows)
        {
            using var stream = File.Create(path);
            using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            writer.WriteStartArray();
            foreach (var row in rows)
            {
                writer.WriteStartObject();
                for (var i = 0; i < row.Length; i++)
                {
                    var column = obj.Columns[i];
                    if (row[i] is null)
                    {
                        writer.WriteNull(column.Name);
                    }
                    else if (column.Kind is ValueKind.Integer && long.TryParse(row[i], CultureInfo.InvariantCulture, out var n))
                    {
                        writer.WriteNumber(column.Name, n);
                    }
                    else if (column.Kind is ValueKind.Boolean)
                    {
                        writer.WriteBoolean(column.Name, row[i] is "true" or "Yes");
                    }
                    else
                    {
                        writer.WriteString(column.Name, row[i]);
                    }
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        /// <summary>Minimal SpreadsheetML (inline strings): what ExcelDataReader and Excel both open.</summary>
        private static void WriteXlsx(string path, ObjectLayout obj, IEnumerable<string?[]> rows)
        {
            using var zip = new ZipArchive(File.Create(path), ZipArchiveMode.Create);
            // Entries carry a fixed time, not the clock's: the same seed must give the same bytes.
            ZipArchiveEntry Create(string name)
            {
                var entry = zip.CreateEntry(name);
                entry.LastWriteTime = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
                return entry;
            }

            void Entry(string name, string xml)
            {
                using var w = new StreamWriter(Create(name).Open(), new UTF8Encoding(false));
                w.Write(xml);
            }

            Entry("[Content_Types].xml", """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>""");
            Entry("_rels/.rels", """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
            Entry("xl/workbook.xml", $"""<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{obj.Name}" sheetId="1" r:id="rId1"/></sheets></workbook>""");
            Entry("xl/_rels/workbook.xml.rels", """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>""");
            using var sheet = XmlWriter.Create(Create("xl/worksheets/sheet1.xml").Open(), new XmlWriterSettings { Encoding = new UTF8Encoding(false), CheckCharacters = false });
            const string Ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
            sheet.WriteStartElement("worksheet", Ns);
            sheet.WriteStartElement("sheetData", Ns);
            var rowNumber = 0;
            void WriteRow(IReadOnlyList<string?> cells)
            {
                rowNumber++;
                sheet.WriteStartElement("row", Ns);
                sheet.WriteAttributeString("r", rowNumber.ToString(CultureInfo.InvariantCulture));
                for (var i = 0; i < cells.Count; i++)
                {
                    if (cells[i] is not { } text)
                    {
                        continue;
                    }

                    sheet.WriteStartElement("c", Ns);
                    sheet.WriteAttributeString("r", ColumnLetters(i) + rowNumber.ToString(CultureInfo.InvariantCulture));
                    sheet.WriteAttributeString("t", "inlineStr");
                    sheet.WriteStartElement("is", Ns);
                    sheet.WriteElementString("t", Ns, text);
                    sheet.WriteEndElement();
                    sheet.WriteEndElement();
                }

                sheet.WriteEndElement();
            }

            WriteRow([.. obj.Columns.Select(c => c.Name)]);
            foreach (var row in rows)
            {
                WriteRow(row);
            }

            sheet.WriteEndElement();
            sheet.WriteEndElement();
        }

        private static string ColumnLetters(int index)
        {
            var letters = string.Empty;
            for (var n = index + 1; n > 0; n = (n - 1) / 26)
            {
                letters = (char)('A' + ((n - 1) % 26)) + letters;
            }

            return letters;
        }

        private static bool Chance(Random random, double rate) => rate > 0 && random.NextDouble() < rate;

        private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

        private static string Slug(string text) =>
            new(text.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '.').ToArray());

        private static int StableHash(string text)
        {
            var hash = 17;
            foreach (var c in text)
            {
                hash = unchecked((hash * 31) + c);
            }

            return hash;
        }
    }
}
