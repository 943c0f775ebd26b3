using Flit.Core.Records;

namespace Flit.Core.Tests;

public sealed class RecordSchemaTests
{
    [Fact]
    public void Where_KnownColumn_NamesFileLineAndSourceColumn()
    {
        var schema = new RecordSchema("person", "acm_person.csv", ["cm_person_id", "cm_given_name"], [1, 4]);
        var record = new SourceRecord(schema, "101", ["101", "Ada"], new SourceLocation("acm_person.csv", 7));

        Assert.Equal("acm_person.csv, line 7, column 4", record.Where("CM_GIVEN_NAME"));
        Assert.Equal("Ada", record["cm_given_name"]);
        Assert.Null(record["missing"]);
    }
}
