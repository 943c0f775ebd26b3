using Flit.Core.Mapping;
using Flit.Core.Transforms;
using Flit.Sources.Layouts;

namespace Flit.Core.Tests.Mapping;

public sealed class ShippedSpecsTests
{
    /// <summary>The object rows of each seed page's mapping table (shared/seeds), copied here so the check runs anywhere.</summary>
    private static readonly Dictionary<string, string[]> SeedRows = new()
    {
        ["arkcase-odoo"] = ["Person", "Organization", "Entity Association", "Case", "Complaint", "Task", "File / Document", "Request (FOIA / Public Records)", "Parties (Complainant, Respondent)", "Calendar / Event", "Note / Comment"],
        ["casemanager-odoo"] = ["Case", "Case Status", "Contact", "Company", "Contact-Company Association", "Document / Attachment", "Activity Log (Call, Email, Note)", "Case Owner / Assigned User", "Case Priority", "Custom Fields (Case)", "Case Number / Reference", "Workflow / Automation Rules"],
        ["oncourse-odoo"] = ["Lead", "Contact", "Companies/Accounts", "Deal", "Pipeline Stages", "Pipeline", "Task", "Engagement: Note", "Custom Fields", "Owner", "Lead Source", "Attachments"],
        ["actimo-odoo"] = ["Contact (Actimo User)", "Workspaces", "Contact Properties / Custom Properties", "Pulse Survey Responses", "Learning Path Completions", "Messages / Announcements", "Engagement Score / NPS Score", "Onboarding Flows", "Groups / Social Wall Posts", "Owner / Manager Assignment"],
        ["actimo-dynamics"] = ["User", "Workspace", "Workspace Membership", "Training Enrollment", "Training Completion", "Learning Path", "Pulse Survey", "Engagement Score", "Message/News Post", "Group Chat / Social Post", "User Custom Properties", "Training Custom Properties"],
    };

    public static TheoryData<string> Pairs() => [.. MappingSpecLoader.ShippedPairs];

    [Theory]
    [MemberData(nameof(Pairs))]
    public void ShippedSpec_CoversEverySeedRow(string pair)
    {
        var spec = MappingSpecLoader.LoadShipped(pair);

        var missing = SeedRows[pair].Except(spec.Objects.Select(o => o.SeedRow), StringComparer.Ordinal).ToList();

        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void ShippedSpec_NamesOnlyObjectsAndColumnsTheLayoutHas(string pair)
    {
        var spec = MappingSpecLoader.LoadShipped(pair);
        var layout = SourceLayouts.Get(spec.Source);
        var keys = spec.Migrated.Select(o => o.Key).ToHashSet(StringComparer.Ordinal);

        foreach (var entry in spec.Objects)
        {
            var obj = layout.Object(entry.Source);
            Assert.True(obj is not null, $"{pair}: layout has no object '{entry.Source}'");
            var columns = entry.Fields.SelectMany(f => f.From)
                .Concat(entry.References.Select(r => r.From))
                .Concat(entry.References.Where(r => r.ObjectBy is not null).Select(r => r.ObjectBy!.Column))
                .Concat(entry.IdFrom is null ? [] : [entry.IdFrom]);
            var joined = (entry.Joins ?? []).SelectMany(j => j.Columns.Keys.Select(name => $"{j.As}.{name}")).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var column in columns)
            {
                Assert.True(obj!.Column(column) is not null || joined.Contains(column), $"{pair}/{entry.Key}: {entry.Source} has no column '{column}'");
            }

            foreach (var join in entry.Joins ?? [])
            {
                var other = layout.Object(join.Object);
                Assert.True(other is not null, $"{pair}/{entry.Key}: joins unknown object '{join.Object}'");
                Assert.True(join.On is null || other!.Column(join.On) is not null, $"{pair}/{entry.Key}: {join.Object} has no column '{join.On}'");
                Assert.True(join.By is null || obj!.Column(join.By) is not null, $"{pair}/{entry.Key}: {entry.Source} has no column '{join.By}'");
                Assert.All(join.Columns.Values.SelectMany(c => c.From), c => Assert.True(other!.Column(c) is not null, $"{pair}/{entry.Key}: {join.Object} has no column '{c}'"));
            }

            foreach (var reference in entry.References)
            {
                var targets = reference.ObjectBy?.Map.Values ?? [reference.Object!];
                Assert.All(targets, t => Assert.True(keys.Contains(t), $"{pair}/{entry.Key}.{reference.To} → '{t}' is not a migrated object"));
            }
        }

        Assert.NotNull(spec.Owners);
        Assert.NotNull(layout.Object(spec.Owners!.Object)?.Column(spec.Owners.Email));
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Hash_AfterYamlRoundTrip_IsUnchanged(string pair)
    {
        var spec = MappingSpecLoader.LoadShipped(pair);

        var again = MappingSpecLoader.Parse(MappingSpecLoader.ToYaml(spec), pair);

        Assert.Equal(MappingSpecLoader.Hash(spec), MappingSpecLoader.Hash(again));
    }

    [Fact]
    public void Hash_ContentChange_ChangesTheHash()
    {
        var spec = MappingSpecLoader.LoadShipped("arkcase-odoo");

        var changed = spec with { Objects = [.. spec.Objects.Skip(1)] };

        Assert.NotEqual(MappingSpecLoader.Hash(spec), MappingSpecLoader.Hash(changed));
    }

    [Fact]
    public void Hash_ProposalReasonsQuotingTheExport_DoNotChangeIt_WhatTheFieldWritesDoes()
    {
        var spec = MappingSpecLoader.LoadShipped("oncourse-odoo");
        FieldMapping Proposed(string reason, string to) => new(to, ["Region"], "text", new Dictionary<string, string>(), null, false, new CustomField("char", "Region"), new Flit.Core.Mapping.Proposal(0.5, reason));
        MappingSpec With(FieldMapping field) => spec with { Objects = [spec.Objects[0] with { Fields = [.. spec.Objects[0].Fields, field] }, .. spec.Objects.Skip(1)] };

        // A newer export of the same layout (a delta pass) has more rows: the approved mapping is the same mapping.
        var first = With(Proposed("no standard field is close; 80 of 80 rows filled", "x_region"));
        var newer = With(Proposed("no standard field is close; 81 of 81 rows filled", "x_region"));
        var elsewhere = With(Proposed("no standard field is close; 80 of 80 rows filled", "x_area"));

        Assert.Equal(MappingSpecLoader.Hash(first), MappingSpecLoader.Hash(newer));
        Assert.NotEqual(MappingSpecLoader.Hash(first), MappingSpecLoader.Hash(elsewhere));
    }

    [Fact]
    public void Parse_UnknownTransform_NamesSpecPositionAndValidTransforms()
    {
        const string Yaml = """
            pair: p
            version: 1
            source: arkcase
            destination: odoo
            objects:
              - seedRow: Person
                source: person
                target: res.partner
                fields:
                  - { to: name, from: cm_given_name, transform: shout }
            """;

        var error = Assert.Throws<MappingSpecException>(() => MappingSpecLoader.Parse(Yaml, "custom.yaml"));

        Assert.Contains("custom.yaml, objects[0] (Person).fields[0]", error.Message, StringComparison.Ordinal);
        Assert.Contains("priority", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadYaml_NamesLineAndColumn()
    {
        var error = Assert.Throws<MappingSpecException>(() => MappingSpecLoader.Parse("pair: [unclosed\nversion: 1", "broken.yaml"));

        Assert.Matches(@"broken\.yaml, line \d+, column \d+", error.Message);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Compile_EveryShippedSpec_BindsAllTransforms(string pair)
    {
        var compiled = CompiledMapping.Compile(MappingSpecLoader.LoadShipped(pair), "acme", TransformContext.Utc);

        Assert.NotEmpty(compiled.Objects);
        Assert.Equal(compiled.Objects.Count, compiled.Objects.Select(o => o.Key).Distinct().Count());
    }

    public static TheoryData<string> OdooPairs() => [.. MappingSpecLoader.ShippedPairs.Where(p => p.EndsWith("-odoo", StringComparison.Ordinal))];

    /// <summary>
    /// Odoo reserves message_type 'notification' for its own system messages (facts #15): every message a spec writes is
    /// a comment (with the note subtype, what "Log note" writes, unless it is an e-mail) or an e-mail.
    /// </summary>
    [Theory]
    [MemberData(nameof(OdooPairs))]
    public void ShippedSpec_OdooMessages_AreCommentsOrEmailsWithASubtype(string pair)
    {
        var spec = MappingSpecLoader.LoadShipped(pair);

        foreach (var entry in spec.Migrated.Where(o => o.Target == "mail.message"))
        {
            var type = Assert.Single(entry.Fields, f => f.To == "message_type");
            var types = type.Value is { } constant ? [constant] : type.Args.Values.ToArray();
            Assert.All(types, t => Assert.Contains(t, new[] { "comment", "email" }));
            var subtype = Assert.Single(entry.Fields, f => f.To == "subtype_id");
            Assert.Equal("ref", subtype.Transform);
            var subtypes = subtype.Value is { } value ? [value] : subtype.Args.Where(a => a.Key != "model").Select(a => a.Value).ToArray();
            Assert.All(subtypes, s => Assert.Contains(s, new[] { "mail.mt_note", "mail.mt_comment" }));
        }
    }

    /// <summary>No documented object is silently dropped: every object of the pair's layout has an entry — mapped,
    /// folded into another, or not migrated with the disclosure that says why.</summary>
    [Theory]
    [MemberData(nameof(Pairs))]
    public void ShippedSpec_AccountsForEveryObjectOfTheLayout(string pair)
    {
        var spec = MappingSpecLoader.LoadShipped(pair);
        var layout = SourceLayouts.Get(spec.Source);

        foreach (var obj in layout.Objects)
        {
            var entries = spec.Objects.Where(o => o.Source == obj.Name).ToList();
            Assert.True(entries.Count > 0, $"{pair}: the layout's object '{obj.Name}' has no entry in the spec");
            Assert.True(entries.Any(e => e.Disposition == Disposition.Migrate) || entries.Any(e => e.Disclosure is not null), $"{pair}: '{obj.Name}' is not migrated and no entry discloses why");
        }
    }

    [Fact]
    public void ArkCaseSpec_FoiaRequests_MapEveryFoColumnAndKnowTheRealClassName()
    {
        var spec = MappingSpecLoader.LoadShipped("arkcase-odoo");
        var foia = spec.Objects.Single(o => o.Key == "foia_request");
        var mapped = foia.Fields.SelectMany(f => f.From).ToHashSet(StringComparer.Ordinal);

        var unmapped = SourceLayouts.Get("arkcase").Object("case_file")!.Columns.Where(c => c.Name.StartsWith("fo_", StringComparison.Ordinal) && !mapped.Contains(c.Name)).Select(c => c.Name);

        Assert.Empty(unmapped);
        Assert.Contains("gov.foia.model.FOIARequest", foia.Where, StringComparison.Ordinal);
    }
}
