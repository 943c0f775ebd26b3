using System.Globalization;
using System.Text;
using Flit.Core.Mapping;
using Flit.Core.Values;

namespace Flit.Core.Proposal;

/// <summary>What the export holds for one column: its header and a sample of values.</summary>
public sealed record ObservedColumn(string Object, string Column, bool Documented, long Rows, long Filled, IReadOnlyList<string> Sample);

/// <summary>A proposed target for a column the spec does not cover.</summary>
public sealed record ColumnProposal(string Object, string Column, string Model, string Field, string Type, bool NewField, double Confidence, string Reason, bool Included);

/// <summary>The spec the run would execute (default + proposals) and the review a person reads before approving.</summary>
public sealed record ProposalOutcome(MappingSpec Spec, string SpecHash, IReadOnlyList<ColumnProposal> Proposals, string Review);

/// <summary>
/// Proposes a target for every column the default spec does not cover: a standard field when the name is close
/// enough, otherwise a new custom field typed from the values (picklists detected). Proposals at or above
/// <see cref="IncludeThreshold"/> join the proposed spec; the others are listed for the reviewer only.
/// </summary>
public static class MappingProposer
{
    public const double IncludeThreshold = 0.5;

    public static ProposalOutcome Propose(MappingSpec spec, IEnumerable<ObservedColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(columns);
        var covered = spec.Objects
            .SelectMany(o => o.Fields.SelectMany(f => f.From).Concat(o.References.Select(r => r.From)).Concat(o.References.Where(r => r.ObjectBy is not null).Select(r => r.ObjectBy!.Column))
                .Concat(o.IdFrom is null ? [] : [o.IdFrom]).Select(c => (o.Source, c)))
            .ToHashSet();
        var proposals = new List<ColumnProposal>();
        var added = new Dictionary<string, List<FieldMapping>>(StringComparer.Ordinal);
        var taken = spec.Objects.Where(o => o.Target is not null).GroupBy(o => o.Target!)
            .ToDictionary(g => g.Key, g => (ISet<string>)g.SelectMany(o => o.Fields.Select(f => f.To)).Concat(g.SelectMany(o => o.References.Select(r => r.To))).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var column in columns.OrderBy(c => c.Object, StringComparer.Ordinal).ThenBy(c => c.Column, StringComparer.Ordinal))
        {
            if (covered.Contains((column.Object, column.Column)))
            {
                continue;
            }

            var entry = spec.Migrated.FirstOrDefault(o => o.Source == column.Object);
            if (entry is null || column.Filled == 0)
            {
                continue;
            }

            var proposal = ProposeOne(spec, entry, column, taken.TryGetValue(entry.Target!, out var names) ? names : taken[entry.Target!] = new HashSet<string>(StringComparer.Ordinal));
            proposals.Add(proposal);
            if (proposal.Included)
            {
                if (!added.TryGetValue(entry.Key, out var list))
                {
                    added[entry.Key] = list = [];
                }

                list.Add(ToField(proposal));
            }
        }

        var proposed = spec with
        {
            Objects = [.. spec.Objects.Select(o => added.TryGetValue(o.Key, out var extra) && o.Disposition == Disposition.Migrate ? o with { Fields = [.. o.Fields, .. extra] } : o)],
        };
        var hash = MappingSpecLoader.Hash(proposed);
        return new ProposalOutcome(proposed, hash, proposals, Review(spec, hash, proposals));
    }

    private static ColumnProposal ProposeOne(MappingSpec spec, ObjectMapping entry, ObservedColumn column, ISet<string> taken)
    {
        var inference = new TypeInference();
        foreach (var value in column.Sample)
        {
            inference.Observe(value);
        }

        var type = inference.Infer();
        var best = KnownFields.For(entry.Target!)
            .Where(f => !taken.Contains(f.Field))
            .Select(f => (f.Field, f.Type, Score: f.Words.Append(f.Field).Max(w => Similarity(column.Column, w))))
            .OrderByDescending(f => f.Score)
            .FirstOrDefault();
        if (best.Field is not null && best.Score >= 0.8)
        {
            taken.Add(best.Field);
            return new ColumnProposal(column.Object, column.Column, entry.Target!, best.Field, best.Type, false, Math.Round(best.Score, 2),
                $"name similarity {best.Score:0.00} to '{best.Field}'; values look like {type.Kind}", true);
        }

        var isOdoo = spec.Destination == "odoo";
        var name = FieldNames.Unique(isOdoo ? FieldNames.Odoo($"{spec.Source} {column.Column}") : FieldNames.Dataverse(column.Column).ToLowerInvariant(), taken);
        var fill = column.Rows == 0 ? 0 : (double)column.Filled / column.Rows;
        var confidence = Math.Round(Math.Clamp(0.45 + (0.35 * fill) + (type.Kind is "text" ? 0 : 0.15), 0, 0.95), 2);
        var reason = new StringBuilder();
        reason.Append(CultureInfo.InvariantCulture, $"no standard field is close (best {(best.Field ?? "none")} {best.Score:0.00}); ");
        reason.Append(CultureInfo.InvariantCulture, $"{column.Filled:N0} of {column.Rows:N0} rows filled; ");
        reason.Append(type.Kind == "picklist"
            ? $"{type.Options!.Count} distinct values in {column.Sample.Count:N0} sampled rows → selection ({string.Join(", ", type.Options.Take(6))})"
            : $"values look like {type.Kind}");
        return new ColumnProposal(column.Object, column.Column, entry.Target!, name, isOdoo ? type.OdooType : type.DataverseType, true, confidence, reason.ToString(), confidence >= IncludeThreshold);
    }

    private static FieldMapping ToField(ColumnProposal p)
    {
        var transform = p.Type switch
        {
            "integer" or "Integer" => "integer",
            "float" or "monetary" or "Decimal" => "decimal",
            "boolean" or "Boolean" => "bool",
            "date" => "date",
            "datetime" or "DateTime" => "datetime",
            "html" => "html",
            _ => "text",
        };
        return new FieldMapping(p.Field, [p.Column], transform, new SortedDictionary<string, string>(StringComparer.Ordinal), null, false,
            p.NewField ? new CustomField(p.Type == "selection" ? "char" : p.Type, p.Column) : null, new Mapping.Proposal(p.Confidence, p.Reason));
    }

    /// <summary>Similarity of a header and a field word, 0–1: normalised edit distance or shared words, whichever is higher.</summary>
    public static double Similarity(string a, string b)
    {
        var x = Normalize(a);
        var y = Normalize(b);
        if (x.Length == 0 || y.Length == 0)
        {
            return 0;
        }

        if (x == y)
        {
            return 1;
        }

        var edit = 1 - ((double)Levenshtein(x.Replace(" ", string.Empty, StringComparison.Ordinal), y.Replace(" ", string.Empty, StringComparison.Ordinal)) / Math.Max(x.Length, y.Length));
        var wx = x.Split(' ').ToHashSet(StringComparer.Ordinal);
        var wy = y.Split(' ').ToHashSet(StringComparer.Ordinal);
        var jaccard = (double)wx.Intersect(wy).Count() / wx.Union(wy).Count();
        return Math.Max(edit, jaccard);
    }

    private static string Normalize(string text)
    {
        var words = new StringBuilder();
        foreach (var c in text.ToLowerInvariant())
        {
            words.Append(char.IsLetterOrDigit(c) ? c : ' ');
        }

        var parts = words.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => w is not "cm" and not "fo" and not "default").ToArray();
        return string.Join(' ', parts).Replace("e mail", "email", StringComparison.Ordinal);
    }

    private static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static string Review(MappingSpec spec, string hash, List<ColumnProposal> proposals)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(c, $"# Mapping proposal: {spec.Pair} v{spec.Version}\n\nSpec to approve: `{hash}` (the default spec plus the included proposals below).\n\n");
        text.Append(c, $"{proposals.Count(p => p.Included)} of {proposals.Count} proposals included (confidence ≥ {IncludeThreshold:0.0}).\n\n");
        text.Append("| object | column | → model.field | type | new field | confidence | included | reason |\n|---|---|---|---|---|---:|---|---|\n");
        foreach (var p in proposals)
        {
            text.Append(c, $"| {p.Object} | {p.Column} | {p.Model}.{p.Field} | {p.Type} | {(p.NewField ? "yes" : "no")} | {p.Confidence:0.00} | {(p.Included ? "yes" : "no")} | {p.Reason.Replace("|", "/", StringComparison.Ordinal)} |\n");
        }

        text.Append("\n## Default mapping\n\n| seed row | source | disposition | target | fields |\n|---|---|---|---|---:|\n");
        foreach (var o in spec.Objects)
        {
            text.Append(c, $"| {o.SeedRow} | {o.Source} | {o.Disposition} | {o.Target ?? "—"} | {o.Fields.Count} |\n");
        }

        return text.ToString();
    }
}
