using Flit.Core.Mapping;
using Flit.Core.Records;
using Flit.Core.Transforms;

namespace Flit.Core.Tests.Mapping;

/// <summary>One compiled mapping serves parallel batches: records of files with different column orders, mapped at the
/// same time, each get their own values (the mapper's schema cache is read and written whole).</summary>
public sealed class CompiledMappingConcurrencyTests
{
    [Fact]
    public async Task Map_RecordsOfTwoSchemasOnManyThreads_NeverPairsOneSchemaWithTheOthersColumns()
    {
        var mapping = CompiledMapping.Compile(MappingSpecLoader.LoadShipped("oncourse-odoo"), "acme", TransformContext.Utc);
        var first = new RecordSchema("contact", "a.csv", ["Contact ID", "First Name", "Last Name", "Email"], [1, 2, 3, 4]);
        var second = new RecordSchema("contact", "b.csv", ["Email", "Last Name", "Contact ID", "First Name"], [1, 2, 3, 4]);
        var a = new SourceRecord(first, "C1", ["C1", "Ada", "Lovelace", "ada@acme.test"], new SourceLocation("a.csv", 2));
        var b = new SourceRecord(second, "C2", ["bo@acme.test", "Ray", "C2", "Bo"], new SourceLocation("b.csv", 2));

        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                var record = (i + w) % 2 == 0 ? a : b;
                var mapped = mapping.Map("contact", record).Record!;
                var expected = record == a ? "ada@acme.test" : "bo@acme.test";
                if (!Equals(mapped.Values["email"], expected))
                {
                    return $"{record.SourceId} mapped with email {mapped.Values["email"]}";
                }
            }

            return null;
        })).ToList();

        Assert.All(await Task.WhenAll(workers), problem => Assert.Null(problem));
    }
}
