using System.Globalization;
using Flit.Core.Destinations;
using Flit.Core.Mapping;
using Flit.Core.Values;

namespace Flit.Core.Transforms;

/// <summary>A transform's answer: a value (null = empty) or the reason the source value cannot be used.</summary>
public readonly record struct TransformResult(object? Value, string? Error)
{
    public static TransformResult Ok(object? value) => new(value, null);

    public static TransformResult Fail(string error) => new(null, error);
}

/// <summary>What transforms may know beyond the value: the source's time zone and date order, and the owners.</summary>
/// <param name="Zone">Time zone the source writes local times in.</param>
/// <param name="DateOrder">Day/month order of the source's slash dates.</param>
/// <param name="OwnerEmail">Owner key (user id or name as the source writes it) → e-mail, or null when unknown.</param>
/// <param name="DateOrders">The order the audit found in each file's date column (file, column → order), where the data
/// proves one; other columns use <paramref name="DateOrder"/>.</param>
public sealed record TransformContext(TimeZoneInfo Zone, DateOrder DateOrder, Func<string, string?> OwnerEmail, IReadOnlyDictionary<(string File, string Column), DateOrder>? DateOrders = null)
{
    /// <summary>The context for one column of one file: its proven date order, if the audit found one.</summary>
    public TransformContext For(string file, string column) =>
        DateOrders is { } orders && orders.TryGetValue((file, column), out var order) && order != DateOrder ? this with { DateOrder = order } : this;

    public static TransformContext Utc { get; } = new(TimeZoneInfo.Utc, DateOrder.DayFirst, _ => null);
}

/// <summary>A transform bound to its arguments: takes the source values (one per <c>from</c> column).</summary>
public delegate TransformResult BoundTransform(ReadOnlySpan<string?> values, TransformContext context);

/// <summary>
/// The pure value transforms a mapping spec can name. Each is bound once to its arguments (value maps parsed,
/// formats checked) so mapping a record costs no parsing of the spec.
/// </summary>
public static class Transforms
{
    private static readonly Dictionary<string, Func<FieldMapping, BoundTransform>> Registry = new(StringComparer.OrdinalIgnoreCase)
    {
        ["text"] = _ => (v, _) => TransformResult.Ok(Text(v[0])),
        ["html"] = _ => (v, _) => TransformResult.Ok(HtmlValues.ToSafeHtml(v[0])),
        ["email"] = _ => (v, _) => Email(v[0]),
        ["phone"] = _ => (v, _) => TransformResult.Ok(Phone(v[0])),
        ["integer"] = _ => (v, _) => Integer(v[0]),
        ["decimal"] = _ => (v, _) => Decimal(v[0]),
        ["bool"] = _ => (v, _) => Boolean(v[0]),
        ["date"] = _ => (v, c) => Date(v[0], c),
        ["datetime"] = _ => (v, c) => DateTimeUtc(v[0], c),
        ["map"] = f => Map(f, static s => s),
        ["priority"] = f => Priority(f),
        ["stage"] = f => Map(f, static s => new NamedLookup("crm.stage", s)),
        ["named"] = f => Map(f, s => new NamedLookup(Arg(f, "model"), s)),
        // A record the destination's own data defines, by its external id (e.g. mail.mt_note): never created.
        ["ref"] = f => Map(f, s => new NamedLookup(Arg(f, "model"), s, ByExternalId: true)),
        ["join"] = _ => (v, _) => TransformResult.Ok(Text(NameValues.Join(string.Join(' ', v.ToArray()), null))),
        ["firstName"] = _ => (v, _) => TransformResult.Ok(Text(NameValues.Split(v[0]).First)),
        ["lastName"] = _ => (v, _) => TransformResult.Ok(Text(NameValues.Split(v[0]).Last)),
        ["template"] = f => Template(f),
        ["owner"] = _ => (v, c) => Owner(v[0], c),
        // mail.message.author_id is a partner, not a user: authors travel as email_from (their address) instead.
        ["ownerAddress"] = _ => (v, c) => Owner(v[0], c) is { Value: UserLookup user } ? TransformResult.Ok(user.Email) : Owner(v[0], c),
        // A message's author: the user's contact record when the author is a destination user, else nothing (the
        // message keeps the author's address in email_from); an author without an e-mail is no failure either.
        ["author"] = _ => (v, c) => Owner(v[0], c) is { Value: UserLookup user } ? TransformResult.Ok(user with { AsPartner = true }) : TransformResult.Ok(null),
        ["ownerEmail"] = _ => (v, _) => Text(v[0]) is { } email ? TransformResult.Ok(new UserLookup(email)) : TransformResult.Ok(null),
        ["modelId"] = f => (_, _) => TransformResult.Ok(new NamedLookup("ir.model", Arg(f, "model"))),
        ["companyName"] = _ => (v, _) => TransformResult.Ok(Text(NameValues.Join(v[0], null))),
        ["file"] = f => (v, _) => TransformResult.Ok(Text(v[0]) is { } path ? new FileContent(path, f.Args.GetValueOrDefault("typeField"), f.Args.GetValueOrDefault("nameField")) : null),
        ["list"] = _ => (v, _) => TransformResult.Ok(Text(string.Join(", ", (v[0] ?? string.Empty).Split([',', ';', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))),
    };

    /// <summary>Transforms whose value is plain (text, numbers, dates, files), never a record or user the destination
    /// must find first. Any other transform — one added later included — is taken to name one.</summary>
    private static readonly HashSet<string> PlainValues = new(StringComparer.OrdinalIgnoreCase)
    {
        "text", "html", "email", "phone", "integer", "decimal", "bool", "date", "datetime", "map", "priority", "join",
        "firstName", "lastName", "template", "ownerAddress", "companyName", "file", "list",
    };

    public static IReadOnlyCollection<string> Names => Registry.Keys;

    /// <summary>Whether a field with this transform (null: text) holds a plain value rather than naming a
    /// destination record or user.</summary>
    public static bool IsPlainValue(string? transform) => transform is null || PlainValues.Contains(transform);

    /// <summary>For a transform whose work is costly (sanitising HTML), one that is empty, or fails, exactly when it
    /// is, without the work: all that deciding whether a record loads needs of a required field.</summary>
    public static BoundTransform? Presence(string transform) =>
        string.Equals(transform, "html", StringComparison.OrdinalIgnoreCase) ? HtmlPresence : null;

    /// <summary><see cref="HtmlValues.ToSafeHtml"/> is empty for blank text only.</summary>
    private static readonly BoundTransform HtmlPresence = (v, _) => TransformResult.Ok(string.IsNullOrWhiteSpace(v[0]) ? null : v[0]);

    /// <summary>Transforms that combine several source columns; the others take the first column that has a value.</summary>
    public static bool TakesSeveral(string name) => name is "join" or "template";

    public static bool IsKnown(string name) => Registry.ContainsKey(name);

    /// <summary>Binds a field's transform to its arguments; unknown names and bad arguments throw (spec errors).</summary>
    public static BoundTransform Bind(FieldMapping field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return Registry.TryGetValue(field.Transform, out var factory)
            ? factory(field)
            : throw new MappingSpecException($"Unknown transform '{field.Transform}' for {field.To}. Known: {string.Join(", ", Names)}.");
    }

    public static string? Text(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var trimmed = value.Trim();
        return trimmed.Length == 0 ? null : trimmed;
    }

    public static TransformResult Email(string? value)
    {
        var text = Text(value)?.ToLowerInvariant();
        return text is null ? TransformResult.Ok(null)
            : EmailValues.IsValid(text)
                ? TransformResult.Ok(text)
                : TransformResult.Fail($"'{value}' is not an e-mail address");
    }

    public static string? Phone(string? value) => Text(value);

    public static TransformResult Integer(string? value) =>
        Text(value) is not { } text ? TransformResult.Ok(null)
        : long.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var n) ? TransformResult.Ok(n)
        : TransformResult.Fail($"'{text}' is not a whole number");

    /// <summary>Accepts '.' or ',' as the decimal separator (European exports), and thousands separators.</summary>
    public static TransformResult Decimal(string? value)
    {
        if (Text(value) is not { } text)
        {
            return TransformResult.Ok(null);
        }

        var normalized = text.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("\u00A0", string.Empty, StringComparison.Ordinal);
        var comma = normalized.LastIndexOf(',');
        var dot = normalized.LastIndexOf('.');
        if (comma > dot)
        {
            normalized = normalized.Replace(".", string.Empty, StringComparison.Ordinal).Replace(',', '.');
        }
        else
        {
            normalized = normalized.Replace(",", string.Empty, StringComparison.Ordinal);
        }

        normalized = normalized.TrimStart('£', '$', '€').TrimEnd('%');
        return double.TryParse(normalized, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            ? TransformResult.Ok(d)
            : TransformResult.Fail($"'{text}' is not a number");
    }

    public static TransformResult Boolean(string? value) => Text(value)?.ToLowerInvariant() switch
    {
        null => TransformResult.Ok(null),
        "true" or "yes" or "y" or "1" or "x" or "on" => TransformResult.Ok(true),
        "false" or "no" or "n" or "0" or "off" => TransformResult.Ok(false),
        var other => TransformResult.Fail($"'{other}' is not yes/no (true, false, yes, no, 1, 0)"),
    };

    public static TransformResult Date(string? value, TransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Text(value) is not { } text ? TransformResult.Ok(null)
            : DateValues.TryParseDate(text, context.DateOrder, out var date, out var error) ? TransformResult.Ok(date)
            : TransformResult.Fail(error!);
    }

    public static TransformResult DateTimeUtc(string? value, TransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Text(value) is not { } text ? TransformResult.Ok(null)
            : DateValues.TryParseUtc(text, context.DateOrder, context.Zone, out var utc, out var error) ? TransformResult.Ok(DateTime.SpecifyKind(utc, DateTimeKind.Utc))
            : TransformResult.Fail(error!);
    }

    /// <summary>
    /// Odoo's crm.lead priority selection is '0' Low, '1' Medium, '2' High, '3' Very High. Source labels land on it
    /// in order: Low→'0', Medium/Normal→'1', High→'2', Critical/Urgent/Expedite/Very High→'3'. A numeric 0–4 scale
    /// (the seed's "0–4 star" wording) lands on the nearest of the four: 0 and 1→'0', 2→'1', 3→'2', 4→'3'.
    /// Spec args override or add labels.
    /// </summary>
    public static TransformResult PriorityOf(string? value, IReadOnlyDictionary<string, string>? overrides = null)
    {
        if (Text(value) is not { } text)
        {
            return TransformResult.Ok(null);
        }

        if (overrides is not null && overrides.TryGetValue(text, out var mapped))
        {
            return TransformResult.Ok(mapped);
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return number is < 0 or > 4
                ? TransformResult.Fail($"priority {text} is outside the 0–4 scale")
                : TransformResult.Ok(Math.Round(number, MidpointRounding.AwayFromZero) switch { <= 1 => "0", 2 => "1", 3 => "2", _ => "3" });
        }

        return text.ToLowerInvariant() switch
        {
            "low" or "lowest" or "minor" => TransformResult.Ok("0"),
            "medium" or "normal" or "moderate" => TransformResult.Ok("1"),
            "high" or "major" or "important" => TransformResult.Ok("2"),
            "critical" or "urgent" or "expedite" or "very high" or "highest" or "blocker" => TransformResult.Ok("3"),
            _ => TransformResult.Fail($"priority '{text}' is not one of low, medium, high, critical (or 0–4)"),
        };
    }

    public static TransformResult Owner(string? value, TransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Text(value) is not { } key)
        {
            return TransformResult.Ok(null);
        }

        var email = key.Contains('@', StringComparison.Ordinal) ? key : context.OwnerEmail(key);
        return email is null
            ? TransformResult.Fail($"owner '{key}' has no e-mail in the users export, so no destination user can be matched")
            : TransformResult.Ok(new UserLookup(email));
    }

    private static BoundTransform Priority(FieldMapping field)
    {
        var overrides = field.Args.Count == 0 ? null : new Dictionary<string, string>(field.Args, StringComparer.OrdinalIgnoreCase);
        return (v, _) => PriorityOf(v[0], overrides);
    }

    /// <summary>Value map: args are source value → target value (case-insensitive); "*" is the default for others.</summary>
    private static BoundTransform Map(FieldMapping field, Func<string, object> wrap)
    {
        var map = field.Args.Where(a => a.Key is not "*" and not "model").ToDictionary(a => a.Key, a => a.Value, StringComparer.OrdinalIgnoreCase);
        field.Args.TryGetValue("*", out var fallback);
        return (v, _) =>
        {
            if (Text(v[0]) is not { } text)
            {
                return fallback is null ? TransformResult.Ok(null) : TransformResult.Ok(wrap(fallback));
            }

            if (map.Count == 0)
            {
                return TransformResult.Ok(wrap(text));
            }

            return map.TryGetValue(text, out var target) ? TransformResult.Ok(wrap(target))
                : fallback is not null ? TransformResult.Ok(wrap(fallback))
                : TransformResult.Fail($"'{text}' has no mapping (mapped values: {string.Join(", ", map.Keys)})");
        };
    }

    private static BoundTransform Template(FieldMapping field)
    {
        var format = Arg(field, "format");
        return (v, _) =>
        {
            var args = v.ToArray().Select(x => (object?)Text(x) ?? string.Empty).ToArray();
            var text = string.Format(CultureInfo.InvariantCulture, format, args).Trim();
            return TransformResult.Ok(text.Length == 0 ? null : text);
        };
    }

    private static string Arg(FieldMapping field, string name) =>
        field.Args.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new MappingSpecException($"Transform '{field.Transform}' for {field.To} needs the argument '{name}'.");
}
