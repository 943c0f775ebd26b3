using Flit.Activities.Loading;
using Flit.Core.Destinations;
using Flit.Core.Ports;
using Flit.Core.Records;

namespace Flit.Activities.Tests.Loading;

public sealed class ReferenceResolverTests
{
    private static readonly PrepareOutcome Lookups = new(
        new Dictionary<string, string> { [PrepareOutcome.Key(new NamedLookup("crm.stage", "Qualified"))] = "5" },
        new Dictionary<string, string> { [PrepareOutcome.UserKey("ann@acme.test")] = "9" },
        [],
        []);

    private static readonly Dictionary<string, IReadOnlyDictionary<string, IdMapEntry>> Parents = new()
    {
        ["organization"] = new Dictionary<string, IdMapEntry>
        {
            ["100"] = new("organization", "100", "41", "x", IdMapOperation.Created, "h", "b1", DateTimeOffset.UnixEpoch),
        },
    };

    private static DestinationRecord Record(string id, params RecordReference[] references) => new(
        $"case_{id}",
        "case_file",
        id,
        "crm.lead",
        new Dictionary<string, object?> { ["name"] = "Case", ["stage_id"] = new NamedLookup("crm.stage", "qualified "), ["user_id"] = new UserLookup("ANN@acme.test") },
        references,
        "h",
        new SourceLocation("acm_case_file.csv", 3));

    [Fact]
    public void Resolve_KnownParentAndLookups_FillsDestinationIds()
    {
        var batch = ReferenceResolver.Resolve([Record("1", new RecordReference("partner_id", "organization", "100", true))], Parents, Lookups, finalAttempt: false);

        var ready = Assert.Single(batch.Ready);
        Assert.Equal("41", ready.Values["partner_id"]);
        Assert.Equal("5", ready.Values["stage_id"]);
        Assert.Equal("9", ready.Values["user_id"]);
    }

    [Fact]
    public void Resolve_MissingParentFirstPass_HoldsBackForTheRetryPass()
    {
        var batch = ReferenceResolver.Resolve([Record("1", new RecordReference("partner_id", "organization", "404", false))], Parents, Lookups, finalAttempt: false);

        var held = Assert.Single(batch.HeldBack);
        Assert.True(held.MissingParent);
        Assert.Contains("'404'", held.Reason.Message, StringComparison.Ordinal);
        Assert.Empty(batch.Ready);
    }

    [Fact]
    public void Resolve_MissingOptionalParentOnRetry_LoadsWithoutTheLinkAndWarns()
    {
        var batch = ReferenceResolver.Resolve([Record("1", new RecordReference("partner_id", "organization", "404", false))], Parents, Lookups, finalAttempt: true);

        var ready = Assert.Single(batch.Ready);
        Assert.False(ready.Values.ContainsKey("partner_id"));
        Assert.Contains("acm_case_file.csv, line 3", Assert.Single(batch.Warnings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_MissingRequiredParentOnRetry_Fails()
    {
        var batch = ReferenceResolver.Resolve([Record("1", new RecordReference("partner_id", "organization", "404", true))], Parents, Lookups, finalAttempt: true);

        Assert.Single(batch.HeldBack);
        Assert.Empty(batch.Ready);
    }

    [Fact]
    public void Resolve_UnmatchedOwner_HeldBackWithTheOwnerNamed()
    {
        var record = Record("1") with { Values = new Dictionary<string, object?> { ["user_id"] = new UserLookup("ghost@acme.test") } };

        var batch = ReferenceResolver.Resolve([record], Parents, Lookups, finalAttempt: false);

        var held = Assert.Single(batch.HeldBack);
        Assert.False(held.MissingParent);
        Assert.Contains("ghost@acme.test", held.Reason.Message, StringComparison.Ordinal);
    }
}
