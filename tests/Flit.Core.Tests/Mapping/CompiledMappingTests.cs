using Flit.Core.Destinations;
using Flit.Core.Mapping;
using Flit.Core.Records;
using Flit.Core.Transforms;
using Flit.Core.Values;

namespace Flit.Core.Tests.Mapping;

public sealed class CompiledMappingTests
{
    private static readonly TransformContext Context = new(
        TimeZoneInfo.FindSystemTimeZoneById("America/New_York"), DateOrder.MonthFirst, key => key == "ann-acm" ? "ann@agency.gov" : null);

    private static CompiledMapping CreateSut() => CompiledMapping.Compile(MappingSpecLoader.LoadShipped("arkcase-odoo"), "Acme Corp", Context);

    private static SourceRecord Record(string objectType, string file, params (string Column, string? Value)[] values)
    {
        var schema = new RecordSchema(objectType, file, [.. values.Select(v => v.Column)], [.. Enumerable.Range(1, values.Length)]);
        return new SourceRecord(schema, values[0].Value!, [.. values.Select(v => v.Value)], new SourceLocation(file, 12));
    }

    [Fact]
    public void Map_Person_JoinsNameKeepsOwnAddressAndBuildsADeterministicExternalId()
    {
        var record = Record("person", "acm_person.csv", ("cm_person_id", "101"), ("cm_given_name", "Ada"), ("cm_family_name", "Lovelace"),
            ("cm_default_email", " ADA@Example.org "), ("cm_person_date_of_birth", "12/10/1815"));

        var outcome = CreateSut().Map("person", record);

        var mapped = Assert.IsType<DestinationRecord>(outcome.Record);
        Assert.Equal("Ada Lovelace", mapped.Values["name"]);
        Assert.Equal("other", mapped.Values["type"]);
        Assert.Equal("ada@example.org", mapped.Values["email"]);
        Assert.Equal(new DateOnly(1815, 12, 10), mapped.Values["x_arkcase_birth_date"]);
        Assert.Equal("flit_acme_corp.arkcase_person_101", mapped.ExternalId);
        Assert.Equal(mapped.ContentHash, CreateSut().Map("person", record).Record!.ContentHash);
    }

    [Fact]
    public void Map_BadOptionalDate_LoadsWithoutItAndWarnsWithFileLineColumn()
    {
        var record = Record("person", "acm_person.csv", ("cm_person_id", "102"), ("cm_given_name", "Bo"), ("cm_family_name", "Li"), ("cm_person_date_of_birth", "31/02/1990"));

        var outcome = CreateSut().Map("person", record);

        Assert.NotNull(outcome.Record);
        Assert.False(outcome.Record!.Values.ContainsKey("x_arkcase_birth_date"));
        Assert.Contains("acm_person.csv, line 12, column 4", Assert.Single(outcome.Warnings!).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_MissingRequiredName_FailsNamingTheColumn()
    {
        var record = Record("organization", "acm_organization.csv", ("cm_organization_id", "7"), ("cm_organization_value", "  "));

        var outcome = CreateSut().Map("organization", record);

        Assert.Null(outcome.Record);
        Assert.Contains("acm_organization.csv, line 12, column 2: name is required", outcome.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_NoteOnACase_PolymorphicParentSetsModelAndReference()
    {
        var record = Record("note", "acm_note.csv", ("cm_note_id", "55"), ("cm_note_text", "Called <b>back</b>"), ("cm_parent_object_id", "900"),
            ("cm_parent_object_type", "CASE_FILE"), ("cm_note_author", "ann-acm"), ("cm_note_created", "2024-03-10 09:15:00"));

        var mapped = CreateSut().Map("note", record).Record!;

        Assert.Equal("crm.lead", mapped.Values["model"]);
        // A FOIA request is a row of the case table too: the note finds its parent whichever entry loaded it.
        Assert.Equal(new RecordReference("res_id", "case", "900", true, "foia_request"), Assert.Single(mapped.References));
        Assert.Equal("ann@agency.gov", mapped.Values["email_from"]);
        Assert.Equal(new DateTime(2024, 3, 10, 13, 15, 0, DateTimeKind.Utc), mapped.Values["date"]);
    }

    [Fact]
    public void Map_FoiaRequestUnderTheCaseEntry_IsSkippedByRule()
    {
        var record = Record("case_file", "acm_case_file.csv", ("cm_case_id", "3"), ("cm_case_number", "FOIA-3"), ("cm_case_title", "Records"), ("cm_class_name", "FOIARequest"));

        var sut = CreateSut();

        Assert.NotNull(sut.Map("case", record).Skip);
        Assert.NotNull(sut.Map("foia_request", record).Record);
    }

    [Fact]
    public void Compile_DestinationWithoutMobile_DropsTheFieldInsteadOfSendingIt()
    {
        var schema = new DestinationSchema(new Dictionary<string, IReadOnlyDictionary<string, DestinationField>>
        {
            ["res.partner"] = new Dictionary<string, DestinationField> { ["name"] = new("name", "char", true), ["type"] = new("type", "selection", false) },
        });
        var sut = CompiledMapping.Compile(MappingSpecLoader.LoadShipped("casemanager-odoo"), "t", Context, schema);
        var record = Record("contact", "contacts.csv", ("Contact ID", "1"), ("Name", "Jo Bloggs"), ("Mobile", "0400 000 000"));

        var mapped = sut.Map("contact", record).Record!;

        Assert.False(mapped.Values.ContainsKey("mobile"));
        Assert.Equal("Jo", mapped.Values["x_first_name"]);
    }
}
