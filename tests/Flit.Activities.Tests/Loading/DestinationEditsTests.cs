using Flit.Activities.Loading;
using Flit.Core.Destinations;
using Flit.Core.Ports;
using Flit.Core.Records;

namespace Flit.Activities.Tests.Loading;

/// <summary>
/// A later run must tell an edit made in the destination from the migration's own write: by the write date (to the
/// second) and by the values against what it last wrote — so a write date Odoo moved for its own reasons is no
/// conflict, while a changed value or a deleted record is one, reported with both values.
/// </summary>
public sealed class DestinationEditsTests
{
    private static readonly DateTimeOffset WrittenAt = new(2026, 11, 30, 10, 0, 0, 400, TimeSpan.Zero);

    private static readonly DestinationRecord Written = Record(new() { ["name"] = "Ada Lovelace", ["function"] = "Engineer", ["is_company"] = false, ["street"] = null, ["datas"] = new FileBytes([1, 2, 3]) });

    private static DestinationRecord Record(Dictionary<string, object?> values) =>
        new("acme_contact_c1", "contact", "C1", "res.partner", values, [], "hash", new SourceLocation("contacts.csv", 2));

    private static IdMapEntry Entry(string? digest) =>
        new("contact", "C1", "7", "acme_contact_c1", IdMapOperation.Created, "hash", "b1", WrittenAt, "m#1", null, digest);

    /// <summary>The source changed again: a new job title.</summary>
    private static readonly DestinationRecord Newer = Record(new() { ["name"] = "Ada Lovelace", ["function"] = "Director", ["is_company"] = false, ["datas"] = new FileContent("files/cv.pdf") });

    private static PreImage Current(string function, DateTimeOffset? modifiedAt) =>
        new(new Dictionary<string, object?> { ["name"] = "<p>Ada Lovelace</p>", ["function"] = function, ["is_company"] = false, ["street"] = null, ["email"] = "ada@example.com" }, true, modifiedAt);

    [Fact]
    public void Conflict_WriteDateMovedButOurFieldsHoldWhatWeWrote_IsNone()
    {
        // Odoo recomputed or synced the record (its e-mail is not ours to compare); our fields are as written.
        var conflict = DestinationEdits.Conflict("res.partner", Newer, Entry(DestinationEdits.WrittenDigest(Written)), Current("Engineer", WrittenAt.AddMinutes(5)));

        Assert.Null(conflict);
    }

    [Fact]
    public void Conflict_AValueChangedAfterOurWrite_NamesBothValues()
    {
        var conflict = DestinationEdits.Conflict("res.partner", Newer, Entry(DestinationEdits.WrittenDigest(Written)), Current("Head of sales", WrittenAt.AddMinutes(5)));

        Assert.NotNull(conflict);
        Assert.Contains("contacts.csv, line 2", conflict, StringComparison.Ordinal);
        Assert.Contains("function: destination 'Head of sales', source 'Director'", conflict, StringComparison.Ordinal);
        Assert.Contains("use --force", conflict, StringComparison.Ordinal);
    }

    [Fact]
    public void Conflict_AChangeInTheSecondOfOurWrite_IsOurs()
    {
        var conflict = DestinationEdits.Conflict("res.partner", Newer, Entry(DestinationEdits.WrittenDigest(Written)), Current("Head of sales", new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero)));

        Assert.Null(conflict);
    }

    [Fact]
    public void Conflict_ARecordDeletedInTheDestination_IsLeftDeleted()
    {
        var conflict = DestinationEdits.Conflict("res.partner", Newer, Entry(DestinationEdits.WrittenDigest(Written)), current: null);

        Assert.Contains("was deleted in the destination", conflict, StringComparison.Ordinal);
    }

    [Fact]
    public void Conflict_AnEntryWithoutADigest_CountsEveryLaterChange()
    {
        // Written before digests were kept: a later write date is all there is to tell by.
        Assert.NotNull(DestinationEdits.Conflict("res.partner", Newer, Entry(null), Current("Engineer", WrittenAt.AddMinutes(5))));
        Assert.Null(DestinationEdits.Conflict("res.partner", Newer, Entry(null), Current("Engineer", WrittenAt.AddSeconds(-30))));
    }

    [Fact]
    public void Conflict_ADestinationWithoutWriteDates_IsComparedByValues()
    {
        var entry = Entry(DestinationEdits.WrittenDigest(Written));

        Assert.Null(DestinationEdits.Conflict("res.partner", Newer, entry, Current("Engineer", modifiedAt: null)));
        Assert.NotNull(DestinationEdits.Conflict("res.partner", Newer, entry, Current("Head of sales", modifiedAt: null)));
    }
}
