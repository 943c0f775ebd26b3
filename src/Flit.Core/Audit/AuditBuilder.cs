using System.Globalization;
using Flit.Core.Mapping;
using Flit.Core.Records;
using Flit.Core.Sources;
using Flit.Core.Transforms;
using Flit.Core.Values;

namespace Flit.Core.Audit;

/// <summary>
/// Audits an export record by record, as the readers stream it: memory grows with distinct ids and e-mails, not
/// with rows. Feed every record (objects one file after another), the readers' problems, then <see cref="Build"/>.
/// </summary>
public sealed class AuditBuilder
{
    private readonly SourceLayout _layout;
    private readonly MappingSpec? _spec;
    private readonly AuditOptions _options;
    private readonly Dictionary<string, ObjectState> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FindingState> _findings = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, (EmailHolder First, bool Reported)> _emails = [];
    private readonly Dictionary<string, string?> _ownerEmails = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<FindingRecord>> _ownerReferences = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(string Target, string Id, FindingRecord Record)> _pendingReferences = [];
    private readonly Dictionary<(string File, string Column), DateOrderDetector> _dateOrders = [];
    private readonly HashSet<string> _rebuildObjects;
    private readonly List<RebuildPackage> _packages = [];
    private readonly Dictionary<RecordSchema, ColumnPlan[]> _plans = [];
    private string? _currentObject;

    public AuditBuilder(SourceLayout layout, MappingSpec? spec, AuditOptions? options = null)
    {
        _layout = layout ?? throw new ArgumentNullException(nameof(layout));
        _spec = spec;
        _options = options ?? new AuditOptions();
        _rebuildObjects = spec?.Objects.Where(o => o.Disposition == Disposition.RebuildPackage).Select(o => o.Source).ToHashSet(StringComparer.Ordinal) ?? [];
        // Owner columns are the ones the spec maps through the owner transform; polymorphic parents come from the
        // spec too (the layout only knows the column holds an id, not of which object).
        _ownerColumns = spec?.Objects.SelectMany(o => o.Fields.Where(f => f.Transform == "owner" && f.From.Count > 0).Select(f => (o.Source, f.From[0])))
            .ToHashSet() ?? [];
        var sourceOfKey = spec?.Objects.Where(o => o.Disposition == Disposition.Migrate).GroupBy(o => o.Key).ToDictionary(g => g.Key, g => g.First().Source, StringComparer.Ordinal)
            ?? new Dictionary<string, string>(StringComparer.Ordinal);
        _polymorphic = spec?.Objects
            .SelectMany(o => o.References.Where(r => r.ObjectBy is not null).Select(r => (o.Source, r.From, r.ObjectBy!.Column,
                Map: (IReadOnlyDictionary<string, string>)r.ObjectBy.Map.Where(m => sourceOfKey.ContainsKey(m.Value)).ToDictionary(m => m.Key, m => sourceOfKey[m.Value], StringComparer.OrdinalIgnoreCase))))
            .DistinctBy(p => (p.Source, p.From))
            .GroupBy(p => p.Source)
            .ToDictionary(g => g.Key, g => g.Select(p => (p.From, p.Column, p.Map)).ToList(), StringComparer.Ordinal)
            ?? [];
    }

    private readonly HashSet<(string Object, string Column)> _ownerColumns;
    private readonly Dictionary<string, List<(string IdColumn, string TypeColumn, IReadOnlyDictionary<string, string> Map)>> _polymorphic;

    private sealed class ObjectState
    {
        /// <summary>64-bit hashes of the ids: a million ids cost 16 MB instead of ~90 MB of strings (a collision,
        /// ~1 in 10^7 at 10^6 ids, could only hide one dangling reference).</summary>
        public HashSet<ulong> Ids { get; } = [];

        public HashSet<string> Files { get; } = new(StringComparer.Ordinal);

        public Dictionary<RecordSchema, long[]> Filled { get; } = [];

        public long Records { get; set; }

        public bool Complete { get; set; }
    }

    private sealed class FindingState(string kind, Severity severity, string message)
    {
        public string Kind { get; } = kind;

        public Severity Severity { get; } = severity;

        public string Message { get; } = message;

        public int Count { get; set; }

        public List<FindingRecord> Records { get; } = [];
    }

    private enum Check
    {
        None,
        Email,
        Date,
        DateTime,
        Integer,
        Decimal,
        Boolean,
        Html,
        Text,
        File,
        Reference,
    }

    /// <summary>The first record holding an e-mail: a struct inside the table, not an object per record.</summary>
    private readonly record struct EmailHolder(string Object, string SourceId, string File, long Line, int Column);

    /// <remarks>When: for a column whose kind depends on another column, that column's index, the text it must contain,
    /// and the check then.</remarks>
    private readonly record struct ColumnPlan(ColumnLayout? Layout, Check Check, bool Required, bool IsOwner, (int Column, string Contains, Check Check)? When = null);

    /// <summary>
    /// The order to read the objects in: the owners' directory first, then every object after the objects it refers to
    /// (objects in a cycle in layout order). Read so, owners and references are checked as each record goes by, and the
    /// audit holds ids, not the records that refer to objects not read yet — so its memory does not grow with the
    /// export. Any order gives the same findings.
    /// </summary>
    public IReadOnlyList<ObjectLayout> ReadingOrder()
    {
        var owners = _spec?.Owners?.Object;
        var parents = _layout.Objects.ToDictionary(
            o => o.Name,
            o => o.Columns.Select(c => c.References)
                .Concat(_polymorphic.GetValueOrDefault(o.Name)?.SelectMany(p => p.Map.Values) ?? [])
                .Append(owners)
                .OfType<string>()
                .Where(target => !string.Equals(target, o.Name, StringComparison.OrdinalIgnoreCase) && _layout.Object(target) is not null)
                .Select(target => _layout.Object(target)!.Name)
                .ToHashSet(StringComparer.Ordinal),
            StringComparer.Ordinal);
        if (owners is not null && parents.TryGetValue(owners, out var ownersParents))
        {
            ownersParents.Clear();
        }

        var order = new List<ObjectLayout>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        while (order.Count < _layout.Objects.Count)
        {
            // The first object (in layout order) whose parents are all read; in a cycle, the first not yet read.
            var next = _layout.Objects.FirstOrDefault(o => !placed.Contains(o.Name) && parents[o.Name].All(placed.Contains))
                ?? _layout.Objects.First(o => !placed.Contains(o.Name));
            order.Add(next);
            placed.Add(next.Name);
        }

        return order;
    }

    /// <summary>A line the readers could not read.</summary>
    public void Observe(ReadProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var at = new FindingRecord("(file)", string.Empty, problem.File, problem.Line, problem.Column, problem.Message);
        if (problem.Kind == ReadProblemKind.MissingRequiredColumn)
        {
            // Blocking like an empty required value: here every record of the file lacks it.
            Add(FindingKinds.MissingRequiredColumn, Severity.Blocking, "Required columns missing from a file (none of its records has the value)", at);
            return;
        }

        Add(FindingKinds.Unreadable, Severity.Warning, "Lines or values the readers could not read", at);
    }

    public void Observe(SourceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var objectName = record.ObjectType;
        if (_currentObject != objectName)
        {
            if (_currentObject is not null && _objects.TryGetValue(_currentObject, out var done))
            {
                done.Complete = true;
            }

            _currentObject = objectName;
        }

        if (!_objects.TryGetValue(objectName, out var state))
        {
            _objects[objectName] = state = new ObjectState();
        }

        state.Records++;
        state.Files.Add(record.Location.File);
        if (!state.Ids.Add(Key(record.SourceId)))
        {
            Add(FindingKinds.DuplicateSourceId, Severity.Blocking, "Source ids that appear twice in one object (the first row is loaded, later ones are reported and not loaded)", At(record, 0, record.SourceId));
        }

        var plan = PlanOf(record.Schema);
        if (!state.Filled.TryGetValue(record.Schema, out var filled))
        {
            state.Filled[record.Schema] = filled = new long[record.Count];
        }

        if (_spec?.Owners is { } owners && owners.Object == objectName)
        {
            _ownerEmails[(record[owners.Key] ?? record.SourceId).Trim()] = Transforms.Transforms.Text(record[owners.Email]);
        }

        for (var i = 0; i < plan.Length; i++)
        {
            var value = record[i];
            var column = plan[i];
            if (string.IsNullOrWhiteSpace(value))
            {
                if (column.Required)
                {
                    Add(FindingKinds.MissingRequired, Severity.Blocking, "Required values that are empty", At(record, i, null));
                }

                if (column.Check == Check.Email)
                {
                    Add(FindingKinds.MissingEmail, Severity.Warning, "Records without an e-mail (cannot be matched to existing destination contacts)", At(record, i, null));
                }

                continue;
            }

            filled[i]++;
            CheckValue(record, i, Resolved(column, record), value, objectName);
        }

        if (_polymorphic.TryGetValue(objectName, out var parents))
        {
            foreach (var (idColumn, typeColumn, map) in parents)
            {
                if (record[idColumn]?.Trim() is { Length: > 0 } parentId && map.TryGetValue(record[typeColumn]?.Trim() ?? string.Empty, out var target))
                {
                    CheckReference(objectName, target, parentId, At(record, record.Schema.IndexOf(idColumn), parentId));
                }
            }
        }

        if (_rebuildObjects.Contains(objectName))
        {
            _packages.Add(Package(record));
        }
    }

    /// <summary>
    /// The export files <see cref="Observe(SourceRecord)"/> will look at for this record: the attachments whose size it
    /// checks (<see cref="AuditOptions.FileSize"/>) and the BPMN definition whose text it packages
    /// (<see cref="AuditOptions.ReadText"/>). A host whose files are behind asynchronous I/O (a staging store) fetches
    /// them first and answers both functions from what it fetched.
    /// </summary>
    public (IReadOnlyList<string> Sizes, string? Text) FilesOf(SourceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var plan = PlanOf(record.Schema);
        var sizes = new List<string>();
        for (var i = 0; i < plan.Length; i++)
        {
            if (record[i]?.Trim() is { Length: > 0 } value && Resolved(plan[i], record).Check == Check.File && ExportPaths.Check(value, out _) is not null)
            {
                sizes.Add(value);
            }
        }

        return (sizes, _rebuildObjects.Contains(record.ObjectType) ? DefinitionFile(record) : null);
    }

    private ColumnPlan[] PlanOf(RecordSchema schema)
    {
        if (!_plans.TryGetValue(schema, out var plan))
        {
            _plans[schema] = plan = Plan(schema);
        }

        return plan;
    }

    /// <summary>The column's check for this record: a column whose kind depends on another takes it from there.</summary>
    private static ColumnPlan Resolved(ColumnPlan column, SourceRecord record) =>
        column.When is { } when && when.Column >= 0 && record[when.Column]?.Contains(when.Contains, StringComparison.OrdinalIgnoreCase) == true
            ? column with { Check = when.Check }
            : column;

    private void CheckReference(string objectName, string target, string id, FindingRecord at)
    {
        if (_objects.TryGetValue(target, out var targetState) && (targetState.Complete || target == objectName && targetState.Ids.Contains(Key(id))))
        {
            if (!targetState.Ids.Contains(Key(id)))
            {
                AddDangling(target, id, at);
            }
        }
        else
        {
            _pendingReferences.Add((target, id, at));
        }
    }

    private void CheckValue(SourceRecord record, int i, ColumnPlan column, string value, string objectName)
    {
        switch (column.Check)
        {
            case Check.Email:
                var email = value.Trim();
                if (!EmailValues.IsValid(email))
                {
                    Add(FindingKinds.BadEmail, Severity.Warning, "Values that are not e-mail addresses (left empty on load)", At(record, i, value));
                }
                else if (_emails.TryGetValue(CaseInsensitiveKey(email), out var seen))
                {
                    // The first holder is listed once, with the first duplicate, so every record sharing it appears.
                    if (!seen.Reported)
                    {
                        var first = seen.First;
                        Add(FindingKinds.DuplicateEmail, Severity.Warning, DuplicateEmailMessage, new FindingRecord(first.Object, first.SourceId, first.File, first.Line, first.Column, email));
                        _emails[CaseInsensitiveKey(email)] = (seen.First, true);
                    }

                    Add(FindingKinds.DuplicateEmail, Severity.Warning, DuplicateEmailMessage, At(record, i, value));
                }
                else
                {
                    _emails[CaseInsensitiveKey(email)] = (new EmailHolder(record.ObjectType, record.SourceId, record.Location.File, record.Location.Line, record.Schema.SourceColumnNumbers[i]), false);
                }

                break;
            case Check.Date or Check.DateTime:
                if (!_dateOrders.TryGetValue((record.Location.File, record.Schema.Columns[i]), out var detector))
                {
                    _dateOrders[(record.Location.File, record.Schema.Columns[i])] = detector = new DateOrderDetector();
                }

                detector.Observe(value);
                if (!DateValues.TryParse(value, DateOrder.DayFirst, out _, out _, out _) && !DateValues.TryParse(value, DateOrder.MonthFirst, out _, out _, out _))
                {
                    Add(FindingKinds.BadDate, Severity.Warning, "Dates that cannot be read in any order (left empty on load, or the record fails when required)", At(record, i, value));
                }

                break;
            case Check.Integer:
                if (!long.TryParse(value.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out _))
                {
                    Add(FindingKinds.BadNumber, Severity.Warning, "Numbers that cannot be read", At(record, i, value));
                }

                break;
            case Check.Decimal:
                if (Transforms.Transforms.Decimal(value).Error is not null)
                {
                    Add(FindingKinds.BadNumber, Severity.Warning, "Numbers that cannot be read", At(record, i, value));
                }

                break;
            case Check.Boolean:
                if (Transforms.Transforms.Boolean(value).Error is not null)
                {
                    Add(FindingKinds.BadBoolean, Severity.Warning, "Yes/no values that cannot be read", At(record, i, value));
                }

                break;
            case Check.Html or Check.Text:
                CheckText(record, i, value, column.Check == Check.Text);
                break;
            case Check.File:
                CheckFile(record, i, value.Trim());
                break;
            case Check.Reference:
                var target = column.Layout!.References!;
                var id = value.Trim();
                if (column.IsOwner && !CheckOwnerNow(id, At(record, i, value)))
                {
                    if (!_ownerReferences.TryGetValue(id, out var list))
                    {
                        _ownerReferences[id] = list = [];
                    }

                    list.Add(At(record, i, value));
                }

                CheckReference(objectName, target, id, At(record, i, value));
                break;
        }
    }

    private const string DuplicateEmailMessage = "E-mails shared by several records (destination contacts would be matched to one of them)";

    private void CheckText(SourceRecord record, int i, string value, bool plainText)
    {
        if (plainText && HtmlValues.LooksLikeHtml(value))
        {
            Add(FindingKinds.HtmlInText, Severity.Info, "HTML markup in text (sanitised: scripts, handlers and styles removed)", At(record, i, Clip(value)));
        }
        else if (!plainText && value.Contains('<', StringComparison.Ordinal) && value.Contains("script", StringComparison.OrdinalIgnoreCase))
        {
            Add(FindingKinds.HtmlInText, Severity.Info, "HTML markup in text (sanitised: scripts, handlers and styles removed)", At(record, i, Clip(value)));
        }

        foreach (var c in value)
        {
            if (c > 0x24F && !char.IsWhiteSpace(c) && !char.IsPunctuation(c))
            {
                Add(FindingKinds.NonLatinText, Severity.Info, "Non-Latin scripts and emoji (kept as they are: destinations store UTF-8)", At(record, i, Clip(value)));
                break;
            }
        }
    }

    private void CheckFile(SourceRecord record, int i, string path)
    {
        if (ExportPaths.Check(path, out var problem) is null)
        {
            Add(FindingKinds.UnsafeAttachmentPath, Severity.Warning, "Attachment paths that leave the export folder or cannot be resolved safely (the record loads without the file)", At(record, i, $"{path}: {problem}"));
            return;
        }

        var size = _options.FileSize(path);
        if (size is null)
        {
            Add(FindingKinds.MissingAttachment, Severity.Blocking, "Attachments whose file is not in the export", At(record, i, path));
        }
        else if (size == 0)
        {
            Add(FindingKinds.EmptyAttachment, Severity.Warning, "Empty (zero-byte) attachments", At(record, i, path));
        }
        else if (size > _options.MaxAttachmentBytes)
        {
            Add(FindingKinds.OversizeAttachment, Severity.Blocking, $"Attachments over {_options.MaxAttachmentBytes / (1024 * 1024)} MB (flagged for manual retrieval)", At(record, i, path));
        }
    }

    /// <summary>Checks an owner reference at once when the owners' object has been read (the usual file order), so
    /// only references read before their owners are kept for <see cref="Build"/>.</summary>
    private bool CheckOwnerNow(string key, FindingRecord at)
    {
        if (_spec?.Owners is not { } owners || !_objects.TryGetValue(owners.Object, out var state) || !state.Complete)
        {
            return false;
        }

        CheckOwner(key, at);
        return true;
    }

    private void CheckOwner(string key, FindingRecord at)
    {
        var email = key.Contains('@', StringComparison.Ordinal) ? key : _ownerEmails.GetValueOrDefault(key);
        if (email is null)
        {
            Add(FindingKinds.OwnerWithoutEmail, Severity.Blocking, "Owners with no e-mail in the users export (no destination user can be matched)", at);
        }
        else if (_options.DestinationUserEmails is { } users && !users.Contains(email.Trim()))
        {
            Add(FindingKinds.UnmatchedOwner, Severity.Blocking, "Owners that match no destination user (create the user or set a fallback owner)", at with { Value = $"{key} <{email}>" });
        }
    }

    private static ulong CaseInsensitiveKey(string text)
    {
        Span<char> lower = text.Length <= 256 ? stackalloc char[text.Length] : new char[text.Length];
        text.AsSpan().ToLowerInvariant(lower);
        return System.IO.Hashing.XxHash64.HashToUInt64(System.Runtime.InteropServices.MemoryMarshal.AsBytes((ReadOnlySpan<char>)lower));
    }

    private static ulong Key(string text) => System.IO.Hashing.XxHash64.HashToUInt64(System.Runtime.InteropServices.MemoryMarshal.AsBytes(text.AsSpan()));

    /// <summary>Closes the audit: resolves references across objects, owners against destination users.</summary>
    public AuditReport Build()
    {
        foreach (var (target, id, at) in _pendingReferences)
        {
            if (!_objects.TryGetValue(target, out var state) || !state.Ids.Contains(Key(id)))
            {
                AddDangling(target, id, at);
            }
        }

        _pendingReferences.Clear();
        foreach (var (key, references) in _ownerReferences.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            foreach (var at in references)
            {
                CheckOwner(key, at);
            }
        }

        _ownerReferences.Clear();

        foreach (var ((file, column), detector) in _dateOrders.Where(d => d.Value.IsContradictory).OrderBy(d => d.Key.File, StringComparer.Ordinal))
        {
            Add(FindingKinds.AmbiguousDateOrder, Severity.Warning, "Date columns holding both day-first and month-first dates", new FindingRecord("(column)", string.Empty, file, 0, 0, column));
        }

        return new AuditReport(
            _layout.System,
            _spec?.Pair ?? _layout.System,
            [.. _objects.OrderBy(o => _layout.Objects.ToList().FindIndex(l => l.Name == o.Key)).Select(o => Inventory(o.Key, o.Value))],
            [.. _findings.Values.OrderByDescending(f => f.Severity).ThenBy(f => f.Kind, StringComparer.Ordinal)
                .Select(f => new Finding(f.Kind, f.Severity, f.Message, f.Count, f.Records))],
            CustomFieldPlan(),
            [.. (_spec?.Objects ?? []).Where(o => o.Disclosure is not null).Select(o => new Disclosure(o.SeedRow, o.Source, o.Disposition.ToString(), o.Disclosure!))],
            _packages,
            [.. _dateOrders.OrderBy(d => d.Key.File, StringComparer.Ordinal).ThenBy(d => d.Key.Column, StringComparer.Ordinal)
                .Where(d => d.Value.DayFirstEvidence + d.Value.MonthFirstEvidence > 0)
                .Select(d => new DateOrderDecision(d.Key.File, d.Key.Column, d.Value.Decide(_options.DateConvention), d.Value.DayFirstEvidence, d.Value.MonthFirstEvidence, d.Value.DayFirstEvidence != d.Value.MonthFirstEvidence))]);
    }

    /// <summary>The date order a file's column holds (for the load's transforms).</summary>
    public DateOrder DateOrderOf(string file, string column) =>
        _dateOrders.TryGetValue((file, column), out var detector) ? detector.Decide(_options.DateConvention) : _options.DateConvention;

    private List<PlannedField> CustomFieldPlan() =>
        [.. (_spec?.Objects ?? [])
            .Where(o => o.Target is not null)
            .SelectMany(o => o.Fields.Where(f => f.Custom is not null).Select(f => new PlannedField(o.Target!, f.To, f.Custom!.Type, f.Custom.Label, f.Custom.Selection, f.Proposal is null ? "default spec" : "proposal: " + f.Proposal.Reason)))
            .DistinctBy(f => (f.Model, f.Name))];

    private ObjectInventory Inventory(string name, ObjectState state)
    {
        var documented = _layout.Object(name);
        var columns = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var (schema, filled) in state.Filled)
        {
            for (var i = 0; i < schema.Columns.Count; i++)
            {
                columns[schema.Columns[i]] = columns.GetValueOrDefault(schema.Columns[i]) + filled[i];
            }
        }

        return new ObjectInventory(name, [.. state.Files.Order(StringComparer.Ordinal)], state.Records,
            [.. columns.Select(c => new ColumnInventory(c.Key, documented?.Column(c.Key) is not null, c.Value, state.Records == 0 ? 0 : Math.Round((double)c.Value / state.Records, 4)))]);
    }

    private ColumnPlan[] Plan(RecordSchema schema)
    {
        var obj = _layout.Object(schema.ObjectType);
        return [.. schema.Columns.Select(name =>
        {
            var column = obj?.Column(name);
            var check = CheckOf(column?.Kind, name == obj?.KeyColumn);
            var isOwner = check == Check.Reference && _ownerColumns.Contains((schema.ObjectType, column!.Name));
            var when = column?.KindWhen is { } rule ? (schema.IndexOf(rule.Column), rule.Contains, CheckOf(rule.Kind, false)) : ((int, string, Check)?)null;
            return new ColumnPlan(column, check, column?.Required == true && name != obj!.KeyColumn, isOwner, when);
        })];
    }

    private static Check CheckOf(ValueKind? kind, bool isKey) =>
            kind switch
            {
                ValueKind.Email => Check.Email,
                ValueKind.Date => Check.Date,
                ValueKind.DateTime => Check.DateTime,
                ValueKind.Integer => isKey ? Check.None : Check.Integer,
                ValueKind.Decimal => Check.Decimal,
                ValueKind.Boolean => Check.Boolean,
                ValueKind.Html => Check.Html,
                ValueKind.Text or ValueKind.LongText => Check.Text,
                ValueKind.FilePath => Check.File,
                ValueKind.Reference => Check.Reference,
                _ => Check.None,
            };

    private RebuildPackage Package(SourceRecord record)
    {
        var definition = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < record.Count; i++)
        {
            definition[record.Schema.Columns[i]] = record[i];
        }

        if (DefinitionFile(record) is { } safe && _options.ReadText(safe) is { } xml)
        {
            definition["bpmn"] = BpmnPackage.Describe(xml);
        }

        var name = record["name"] ?? record["process_name"] ?? record.SourceId;
        return new RebuildPackage(record.ObjectType, record.SourceId, name, record.Location.File, record.Location.Line, definition);
    }

    /// <summary>A rebuild package's BPMN definition: its file column's path, when it names a .bpmn file safely.</summary>
    private string? DefinitionFile(SourceRecord record)
    {
        var layout = _layout.Object(record.ObjectType);
        var file = layout?.Columns.FirstOrDefault(c => c.Kind == ValueKind.FilePath) is { } fileColumn ? record[fileColumn.Name] : null;
        return file is not null && file.EndsWith(".bpmn", StringComparison.OrdinalIgnoreCase) ? ExportPaths.Check(file, out _) : null;
    }

    private void AddDangling(string target, string id, FindingRecord at) =>
        Add(FindingKinds.DanglingReference, Severity.Warning, "References to records that are not in the export (loaded without the link, or failed when the link is required)", at with { Value = $"{target} {id}" });

    private void Add(string kind, Severity severity, string message, FindingRecord record)
    {
        if (!_findings.TryGetValue(kind, out var finding))
        {
            _findings[kind] = finding = new FindingState(kind, severity, message);
        }

        finding.Count++;
        if (finding.Records.Count < _options.MaxRecordsPerFinding)
        {
            finding.Records.Add(record);
        }
    }

    private static FindingRecord At(SourceRecord record, int index, string? value) =>
        new(record.ObjectType, record.SourceId, record.Location.File, record.Location.Line, index < record.Schema.SourceColumnNumbers.Count ? record.Schema.SourceColumnNumbers[index] : 0, value);

    private static string Clip(string value) => value.Length <= 80 ? value : value[..77] + "...";
}
