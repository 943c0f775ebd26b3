using Flit.Core.Destinations;
using Flit.Core.Ports;
using Flit.Core.Records;

namespace Flit.Activities.Loading;

/// <summary>A record that cannot be sent yet (or at all), with the reason a person will read.</summary>
public sealed record UnresolvedRecord(DestinationRecord Record, RecordIssue Reason, bool MissingParent);

/// <summary>What resolution produced: records ready to send, and records held back with their reason.</summary>
public sealed record ResolvedBatch(IReadOnlyList<DestinationRecord> Ready, IReadOnlyList<UnresolvedRecord> HeldBack, IReadOnlyList<RecordWarning> Warnings);

/// <summary>
/// Turns references and lookup markers into destination ids: links to migrated records through the ID map, named
/// records (stages, teams, tags) and owners through what prepare resolved. Pure: the ID map entries are looked up
/// by the caller in one round trip per referenced object.
/// </summary>
public static class ReferenceResolver
{
    /// <param name="records">Mapped records of one batch.</param>
    /// <param name="parents">ID-map entries per referenced source object, keyed by source id.</param>
    /// <param name="lookups">Named records and users resolved by prepare.</param>
    /// <param name="finalAttempt">On the retry pass an optional link that still cannot resolve is dropped (and
    /// reported); on the first pass the record waits for the retry pass instead.</param>
    public static ResolvedBatch Resolve(
        IReadOnlyList<DestinationRecord> records,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, IdMapEntry>> parents,
        PrepareOutcome lookups,
        bool finalAttempt)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(parents);
        ArgumentNullException.ThrowIfNull(lookups);
        var ready = new List<DestinationRecord>(records.Count);
        var held = new List<UnresolvedRecord>();
        var warnings = new List<RecordWarning>();
        foreach (var record in records)
        {
            var values = new Dictionary<string, object?>(record.Values, StringComparer.Ordinal);
            RecordIssue? problem = null;
            var missingParent = false;
            foreach (var reference in record.References)
            {
                if (ParentLookup.Find(parents, reference) is { } found)
                {
                    values[reference.Field] = found.DestinationId;
                    continue;
                }

                var what = $"{reference.Field} → {reference.SourceObject} '{reference.SourceId}' is not in the destination";
                if (!finalAttempt)
                {
                    problem = new RecordIssue(IssueKinds.MissingParent, reference.Field, what + " yet (parent missing; retried after its phase)");
                    missingParent = true;
                    break;
                }

                if (reference.Required)
                {
                    problem = new RecordIssue(IssueKinds.MissingParent, reference.Field, what + " (its parent failed or does not exist in the export)");
                    missingParent = true;
                    break;
                }

                values.Remove(reference.Field);
                warnings.Add(RecordWarning.Of(record, new RecordIssue(IssueKinds.LinkDropped, reference.Field, $"{record.SourceObject} '{record.SourceId}' ({record.Location}): {what}; loaded without the link.")));
            }

            problem ??= ResolveLookups(values, lookups, record, warnings);
            if (problem is null)
            {
                ready.Add(record with { Values = values });
            }
            else
            {
                held.Add(new UnresolvedRecord(record, problem, missingParent));
            }
        }

        return new ResolvedBatch(ready, held, warnings);
    }

    private static RecordIssue? ResolveLookups(Dictionary<string, object?> values, PrepareOutcome lookups, DestinationRecord record, List<RecordWarning> warnings)
    {
        List<KeyValuePair<string, object?>>? resolved = null;
        foreach (var (field, value) in values)
        {
            string? id;
            switch (value)
            {
                case NamedLookup named:
                    if (!lookups.NamedRecordIds.TryGetValue(PrepareOutcome.Key(named), out id))
                    {
                        if (!named.IsFindOnly)
                        {
                            return new RecordIssue(IssueKinds.LookupNotPrepared, field, $"{field}: {named.Model} '{named.Name}' was not prepared in the destination.");
                        }

                        warnings.Add(RecordWarning.Of(record, new RecordIssue(IssueKinds.LookupNotFound, field, $"{record.SourceObject} '{record.SourceId}' ({record.Location}): {field}: the destination has no {named.Model} '{named.Name}'; left empty.")));
                    }

                    break;
                case UserLookup { AsPartner: true } author:
                    if (!(lookups.UserPartnerIdsByEmail ?? new Dictionary<string, string>()).TryGetValue(PrepareOutcome.UserKey(author.Email), out id))
                    {
                        warnings.Add(RecordWarning.Of(record, new RecordIssue(IssueKinds.AuthorNotAUser, field, $"{record.SourceObject} '{record.SourceId}' ({record.Location}): {field}: the author '{author.Email}' is no user of the destination; left empty.")));
                    }

                    break;
                case UserLookup user:
                    if (!lookups.UserIdsByEmail.TryGetValue(PrepareOutcome.UserKey(user.Email), out id))
                    {
                        return new RecordIssue(IssueKinds.OwnerUnmatched, field, $"{field}: owner '{user.Email}' matches no destination user and no fallback user is set.");
                    }

                    break;
                default:
                    continue;
            }

            (resolved ??= []).Add(new(field, id));
        }

        foreach (var (field, id) in resolved ?? [])
        {
            if (id is null)
            {
                values.Remove(field);
            }
            else
            {
                values[field] = id;
            }
        }

        return null;
    }
}
