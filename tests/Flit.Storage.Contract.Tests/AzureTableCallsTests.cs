using Flit.Core.Ports;
using Flit.Core.Records;
using Flit.Storage.Azure;

namespace Flit.Storage.Contract.Tests;

/// <summary>What the Azure adapters cost in calls, counted at the emulator, and the service limits they keep.</summary>
public sealed class AzureTableCallsTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static IdMapEntry Entry(string objectType, int i) =>
        new(objectType, "s" + i, "d" + i, $"flit_acme.{objectType}_{i}", IdMapOperation.Created, "h" + i, "b1", DateTimeOffset.UnixEpoch, "m1#1");

    [Fact]
    public async Task IdMap_AThousandRecords_AreTenTransactions_AndAReplayIsOneEntryPerKey()
    {
        await using var stores = new AzureStoreSet(azurite.Server);
        var map = await stores.OpenIdMapAsync();
        await map.CountAsync("m1", null, None);
        var batch = Enumerable.Range(0, 1000).Select(i => Entry("contact", i)).ToList();
        await azurite.Server.CountAsync("");
        azurite.Server.ClearRequests();

        await map.RecordAsync("m1", batch, None);
        var firstWrite = await azurite.Server.CountAsync("/$batch");
        await map.RecordAsync("m1", batch, None);
        var total = await azurite.Server.CountAsync("/$batch");

        Assert.Equal(10, firstWrite);
        // A replay: each group's insert is refused whole, its entries read (14 a query), then replaced.
        Assert.Equal(20, total - firstWrite);
        Assert.Equal(1000, await map.CountAsync("m1", "contact", None));
    }

    [Fact]
    public async Task IdMap_ABatchOfSeveralObjects_NeverMixesPartitionsInATransaction()
    {
        await using var stores = new AzureStoreSet(azurite.Server);
        var map = await stores.OpenIdMapAsync();
        await map.CountAsync("m1", null, None);
        await azurite.Server.CountAsync("");
        azurite.Server.ClearRequests();

        // Azurite accepts mixed partition keys in one transaction (the service refuses them): the adapter must split.
        await map.RecordAsync("m1", [.. Enumerable.Range(0, 30).Select(i => Entry(i % 2 == 0 ? "contact" : "company", i))], None);

        Assert.Equal(2, await azurite.Server.CountAsync("/$batch"));
        Assert.Equal(15, await map.CountAsync("m1", "company", None));
    }

    [Fact]
    public async Task IdMap_LookUpOfOneBucketsIds_IsOneRangeQuery()
    {
        await using var stores = new AzureStoreSet(azurite.Server);
        var map = await stores.OpenIdMapAsync();
        var entries = Enumerable.Range(0, 5000).Select(i => Entry("contact", i)).ToList();
        await map.RecordAsync("m1", entries, None);
        var bucket = entries.GroupBy(e => IdBuckets.Of(e.SourceId)).MaxBy(g => g.Count())!.Select(e => e.SourceId).ToList();
        await azurite.Server.CountAsync("");
        azurite.Server.ClearRequests();

        // The parents of a batch: the partition grouped its rows by them, so they share a bucket.
        var found = await map.LookupAsync("m1", "contact", bucket, None);

        Assert.True(bucket.Count > TableIdMap.IdsPerQuery, $"{bucket.Count} ids");
        Assert.Equal(bucket.Order(StringComparer.Ordinal), found.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(1, await azurite.Server.CountAsync(stores.Options.TablePrefix + TableIdMap.TableName + "()"));
    }

    [Fact]
    public async Task IdMap_ManyIdsSpreadOverASmallPartition_AreReadAsThePartition()
    {
        await using var stores = new AzureStoreSet(azurite.Server);
        var map = await stores.OpenIdMapAsync();
        var entries = Enumerable.Range(0, 2000).Select(i => Entry("deal", i)).ToList();
        await map.RecordAsync("m1", entries, None);
        var spread = Spread(entries, 280);
        await azurite.Server.CountAsync("");
        azurite.Server.ClearRequests();

        var found = await map.LookupAsync("m1", "deal", [.. spread, "never-written"], None);

        Assert.Equal(spread.Order(StringComparer.Ordinal), found.Keys.Order(StringComparer.Ordinal));
        // Two pages of 1,000 instead of 21 queries of 14 ids.
        Assert.Equal(2, await azurite.Server.CountAsync(stores.Options.TablePrefix + TableIdMap.TableName + "()"));
    }

    [Fact]
    public async Task IdMap_SpreadIdsOfALargerPartition_ScanGivesUpAtTheCallsItWouldSave_ThenFourteenIdsAQuery()
    {
        await using var stores = new AzureStoreSet(azurite.Server);
        var map = await stores.OpenIdMapAsync();
        var entries = Enumerable.Range(0, 5000).Select(i => Entry("contact", i)).ToList();
        await map.RecordAsync("m1", entries, None);
        var first = Spread(entries, 42);
        var second = Spread(entries.Skip(2500).ToList(), 42);
        await azurite.Server.CountAsync("");
        azurite.Server.ClearRequests();

        var found = await map.LookupAsync("m1", "contact", first, None);
        var scanning = await azurite.Server.CountAsync(stores.Options.TablePrefix + TableIdMap.TableName + "()");
        azurite.Server.ClearRequests();
        var again = await map.LookupAsync("m1", "contact", second, None);

        Assert.Equal((42, 42), (found.Count, again.Count));
        // Three queries would do: the scan reads three pages and gives up on the fourth, then the three queries run;
        // the partition is known to be too large from then on.
        Assert.Equal(4 + 3, scanning);
        Assert.Equal(3, await azurite.Server.CountAsync(stores.Options.TablePrefix + TableIdMap.TableName + "()"));
    }

    /// <summary>Ids of as many different buckets as asked for (ranges of buckets never apply to them).</summary>
    private static List<string> Spread(List<IdMapEntry> entries, int count) =>
        [.. entries.GroupBy(e => IdBuckets.Of(e.SourceId)).SelectMany(g => g.Take((count / 256) + 1)).Select(e => e.SourceId).Take(count)];

    [Fact]
    public async Task IdMap_ABucketHoldingFarMoreThanAskedFor_GivesUpTheRangeAndAsksIdByIdInstead()
    {
        await using var stores = new AzureStoreSet(azurite.Server);
        var map = new TableIdMap(new AzureTables(stores.Options), rangeSlack: 5);
        var entries = Enumerable.Range(0, 8000).Select(i => Entry("contact", i)).ToList();
        await map.RecordAsync("m1", entries, None);
        var bucket = entries.GroupBy(e => IdBuckets.Of(e.SourceId)).MaxBy(g => g.Count())!.Select(e => e.SourceId).Order(StringComparer.Ordinal).ToList();
        var asked = bucket.Where((_, i) => i % 2 == 0).ToList();
        await azurite.Server.CountAsync("");
        azurite.Server.ClearRequests();

        var found = await map.LookupAsync("m1", "contact", asked, None);

        Assert.Equal(asked, found.Keys.Order(StringComparer.Ordinal));
        // One page of the range, abandoned (its range holds every id of the bucket: twice those asked), then 14 a query.
        Assert.Equal(1 + ((asked.Count + 13) / 14), await azurite.Server.CountAsync(stores.Options.TablePrefix + TableIdMap.TableName + "()"));
    }

    [Theory]
    [InlineData("plain-id_42")]
    [InlineData("a/b\\c#d?e")]
    [InlineData("100% |pipe|")]
    [InlineData("line\nbreak\u007f")]
    public void Keys_EscapeWhatTableStorageForbids_AndReadBack(string value)
    {
        var key = TableKeys.Escape(value);

        Assert.DoesNotMatch(@"[/\\#?\u0000-\u001f\u007f-\u009f|]", key);
        Assert.Equal(value, TableKeys.Unescape(key));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("UseDevelopmentStorage=true", "https://acct.blob.core.windows.net")]
    public void Options_NeedExactlyOneWayToTheAccount(string? connection, string? url)
    {
        var options = new AzureStorageOptions { ConnectionString = connection, AccountUrl = url is null ? null : new Uri(url) };

        var error = Assert.Throws<ArgumentException>(() => options.CreateClients());

        Assert.Contains("connection string or an account URL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_AccountUrl_ReachesTheTablesOfTheSameAccount()
    {
        var (blobs, tables) = new AzureStorageOptions { AccountUrl = new Uri("https://flitprod.blob.core.windows.net") }.CreateClients();

        Assert.Equal("flitprod", blobs.AccountName);
        Assert.Equal("flitprod", tables.AccountName);
        Assert.Equal("https://flitprod.table.core.windows.net/", tables.Uri.ToString());
    }
}
