using System.Security.Cryptography;
using System.Text;
using Flit.Core.Ports;

namespace Flit.Storage.Contract.Tests;

/// <summary>
/// What every adapter of the engine's ports must do, whatever it stores on: the same tests run on the embedded
/// default (<see cref="LocalStoreContractTests"/>) and on the Azure adapters (<see cref="AzureStoreContractTests"/>).
/// </summary>
public abstract class StoreContract
{
    private static readonly CancellationToken None = CancellationToken.None;

    protected abstract StoreSet CreateStores();

    private static IdMapEntry Entry(string objectType, string sourceId, string destinationId, IdMapOperation operation = IdMapOperation.Created, string? preImage = null) =>
        new(objectType, sourceId, destinationId, $"flit_acme.{objectType}_{sourceId}", operation, "hash" + destinationId, "b1",
            new DateTimeOffset(2026, 11, 1, 9, 0, 0, 123, TimeSpan.FromHours(1)), "m1#1", preImage, "w" + destinationId, "s" + destinationId);

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    [Fact]
    public async Task Staging_WriteIsInvisibleUntilDisposed_EvenAfterAFlush()
    {
        await using var stores = CreateStores();
        var store = stores.Staging("m1");
        await using (var stream = await store.OpenWriteAsync("runs/m1/a.json", None))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes("{\"half\":"));
            await stream.FlushAsync();
            Assert.False(await store.ExistsAsync("runs/m1/a.json", None));
            await stream.WriteAsync(Encoding.UTF8.GetBytes("1}"));
            Assert.False(await store.ExistsAsync("runs/m1/a.json", None));
            await stream.CommitAsync(None);
        }

        Assert.True(await store.ExistsAsync("runs/m1/a.json", None));
        Assert.Equal(10, await store.LengthAsync("runs/m1/a.json", None));
        await using var read = await store.OpenReadAsync("runs/m1/a.json", None);
        Assert.Equal("{\"half\":1}", await new StreamReader(read).ReadToEndAsync());
    }

    [Fact]
    public async Task Staging_AnItemOverwritten_ReadersSeeTheOldOneUntilTheNewOneIsComplete()
    {
        await using var stores = CreateStores();
        var store = stores.Staging("m1");
        await WriteAsync(store, "report.json", "old");
        await using (var stream = await store.OpenWriteAsync("report.json", None))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes("new, longer"));
            Assert.Equal("old", await ReadAsync(store, "report.json"));
            await stream.CommitAsync(None);
        }

        Assert.Equal("new, longer", await ReadAsync(store, "report.json"));
    }

    [Fact]
    public async Task Staging_AWriterThatThrowsBeforeCommitting_LeavesTheItemAsItWas_AndNoTraceInTheListing()
    {
        await using var stores = CreateStores();
        var store = stores.Staging("m1");
        await WriteAsync(store, "runs/snapshot.json", "{\"whole\":true}");

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var stream = await store.OpenWriteAsync("runs/snapshot.json", None);
            await stream.WriteAsync(new byte[5 * 1024 * 1024]);
            throw new InvalidOperationException("the serializer failed half way");
        });
        await using (var never = await store.OpenWriteAsync("runs/never.json", None))
        {
            await never.WriteAsync(Encoding.UTF8.GetBytes("{\"half\":"));
        }

        Assert.Equal("the serializer failed half way", thrown.Message);
        Assert.Equal("{\"whole\":true}", await ReadAsync(store, "runs/snapshot.json"));
        Assert.False(await store.ExistsAsync("runs/never.json", None));
        Assert.Equal(["runs/snapshot.json"], (await ToListAsync(store.ListAsync("runs", None))).Select(i => i.Path));
    }

    [Fact]
    public async Task Staging_AWriterAroundTheStream_FlushesAfterTheCommitWithoutError()
    {
        await using var stores = CreateStores();
        var store = stores.Staging("m1");
        await using (var stream = await store.OpenWriteAsync("report.csv", None))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteAsync("a,b\n1,2\n");
            await writer.FlushAsync();
            await stream.CommitAsync(None);
        }

        Assert.Equal("a,b\n1,2\n", await ReadAsync(store, "report.csv"));
    }

    [Fact]
    public async Task Staging_ALargeItem_StreamsBothWaysByteForByte()
    {
        await using var stores = CreateStores();
        var store = stores.Staging("m1");
        // Over two of the blob adapter's 4 MiB blocks, written in odd-sized pieces.
        var content = new byte[9 * 1024 * 1024 + 17];
        new Random(7).NextBytes(content);
        await using (var stream = await store.OpenWriteAsync("exports/big.bin", None))
        {
            for (var offset = 0; offset < content.Length; offset += 100_003)
            {
                await stream.WriteAsync(content.AsMemory(offset, Math.Min(100_003, content.Length - offset)));
            }

            await stream.CommitAsync(None);
        }

        await using var read = await store.OpenReadAsync("exports/big.bin", None);
        Assert.Equal(SHA256.HashData(content), await SHA256.HashDataAsync(read));
        Assert.Equal(content.Length, await store.LengthAsync("exports/big.bin", None));
    }

    [Fact]
    public async Task Staging_ListsAFolder_ItsItemsInNameOrder_NotASiblingThatSharesItsPrefix()
    {
        await using var stores = CreateStores();
        var store = stores.Staging("m1");
        foreach (var path in (string[])["exports/b.csv", "exports/a.csv", "exports/files/1.pdf", "exports2/c.csv", "other.json"])
        {
            await WriteAsync(store, path, path);
        }

        var listed = await ToListAsync(store.ListAsync("exports", None));

        Assert.Equal(["exports/a.csv", "exports/b.csv", "exports/files/1.pdf"], listed.Select(i => i.Path));
        Assert.Equal("exports/a.csv".Length, listed[0].Length);
        Assert.Empty(await ToListAsync(store.ListAsync("nothing-here", None)));
    }

    [Fact]
    public async Task Staging_TwoAreas_NeverSeeEachOther()
    {
        await using var stores = CreateStores();
        await WriteAsync(stores.Staging("m1"), "runs/a.json", "m1");

        Assert.False(await stores.Staging("m2").ExistsAsync("runs/a.json", None));
        Assert.Empty(await ToListAsync(stores.Staging("m2").ListAsync("runs", None)));
    }

    [Fact]
    public async Task Staging_MissingItem_ReadIsFileNotFound_LengthIsNull_DeleteIsQuiet()
    {
        await using var stores = CreateStores();
        var store = stores.Staging("m1");

        await Assert.ThrowsAsync<FileNotFoundException>(() => store.OpenReadAsync("runs/none.json", None));
        Assert.Null(await store.LengthAsync("runs/none.json", None));
        await store.DeleteAsync("runs/none.json", None);
        await WriteAsync(store, "runs/x.json", "x");
        await store.DeleteAsync("runs/x.json", None);
        Assert.False(await store.ExistsAsync("runs/x.json", None));
    }

    [Theory]
    [InlineData("../outside.json")]
    [InlineData("/etc/passwd")]
    [InlineData("runs/../../x")]
    [InlineData("runs\\..\\x")]
    public async Task Staging_PathsLeavingTheStore_AreRefused(string path)
    {
        await using var stores = CreateStores();
        var store = stores.Staging("m1");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.OpenWriteAsync(path, None));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => store.OpenReadAsync(path, None));
    }

    [Fact]
    public async Task IdMap_SurvivesReopening_ReplacesByKey_KeepsTheFirstWritesOperationAndPreImage()
    {
        await using var stores = CreateStores();
        var map = await stores.OpenIdMapAsync();
        await map.RecordAsync("m1", [Entry("contact", "1", "10"), Entry("contact", "2", "20", IdMapOperation.Updated, "snap/2.json")], None);
        await map.RecordAsync("m1", [Entry("contact", "1", "11", IdMapOperation.Updated), Entry("contact", "2", "21", IdMapOperation.Created, "snap/late.json")], None);
        await map.RecordAsync("m2", [Entry("contact", "1", "99")], None);

        var reopened = await stores.OpenIdMapAsync();
        var found = await reopened.LookupAsync("m1", "contact", ["1", "2", "3"], None);

        Assert.Equal(2, found.Count);
        Assert.Equal(("11", IdMapOperation.Created, (string?)null), (found["1"].DestinationId, found["1"].Operation, found["1"].PreImagePath));
        Assert.Equal(("21", IdMapOperation.Updated, "snap/2.json"), (found["2"].DestinationId, found["2"].Operation, found["2"].PreImagePath));
        Assert.Equal(Entry("contact", "1", "11") with { Operation = IdMapOperation.Created }, found["1"]);
        Assert.Equal("99", (await reopened.LookupAsync("m2", "contact", ["1"], None))["1"].DestinationId);
    }

    [Fact]
    public async Task IdMap_ABatchRecordedTwice_IsOneEntryPerKey()
    {
        await using var stores = CreateStores();
        var map = await stores.OpenIdMapAsync();
        var batch = Enumerable.Range(1, 250).Select(i => Entry("lead", i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture), "d" + i)).ToList();

        await map.RecordAsync("m1", batch, None);
        await map.RecordAsync("m1", batch, None);

        Assert.Equal(250, await map.CountAsync("m1", "lead", None));
        Assert.Equal(250, (await ToListAsync(map.ListAsync("m1", "lead", None))).Select(e => e.SourceId).Distinct().Count());
    }

    [Fact]
    public async Task IdMap_ManyIds_AreLookedUpListedAndCountedPerObjectAndMigration()
    {
        await using var stores = CreateStores();
        var map = await stores.OpenIdMapAsync();
        var contacts = Enumerable.Range(1, 230).Select(i => Entry("contact", "c" + i, "d" + i)).ToList();
        await map.RecordAsync("m1", contacts, None);
        await map.RecordAsync("m1", [Entry("company", "k1", "1")], None);
        await map.RecordAsync("m10", [Entry("contact", "c1", "x")], None);

        var found = await map.LookupAsync("m1", "contact", [.. contacts.Select(c => c.SourceId).Append("missing")], None);

        Assert.Equal(230, found.Count);
        Assert.All(contacts, c => Assert.Equal(c, found[c.SourceId]));
        Assert.Equal(231, await map.CountAsync("m1", null, None));
        Assert.Equal(230, await map.CountAsync("m1", "contact", None));
        Assert.Equal(231, (await ToListAsync(map.ListAsync("m1", null, None))).Count);
        var digests = await ToListAsync(map.ListSourceDigestsAsync("m1", "contact", None));
        Assert.Equal(contacts.Select(c => (c.SourceId, (string?)c.SourceDigest)).Order(), digests.Order());
    }

    [Fact]
    public async Task IdMap_SourceIdsWithCharactersKeysForbid_RoundTrip()
    {
        await using var stores = CreateStores();
        var map = await stores.OpenIdMapAsync();
        string[] ids = ["a/b", "c\\d", "e#f", "g?h", "100%", "pipe|id", "tab\tid", "o'brien", "ünï", "%2F", "~tilde", new string('/', 300), new string('x', 700)];
        await map.RecordAsync("m1", [.. ids.Select((id, i) => Entry("note", id, "d" + i))], None);

        var found = await map.LookupAsync("m1", "note", ids, None);
        var listed = await ToListAsync(map.ListAsync("m1", "note", None));

        Assert.Equal(ids.Order(StringComparer.Ordinal), found.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(ids.Order(StringComparer.Ordinal), listed.Select(e => e.SourceId).Order(StringComparer.Ordinal));
        Assert.Equal("d0", found["a/b"].DestinationId);
        Assert.Equal("d9", found["%2F"].DestinationId);
        Assert.Equal("d12", found[new string('x', 700)].DestinationId);
        Assert.Equal(ids.Order(StringComparer.Ordinal), (await ToListAsync(map.ListSourceDigestsAsync("m1", "note", None))).Select(d => d.SourceId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task IdMap_ManyIdsOfOneBucket_WithCharactersKeysForbidAndNonAscii_AreAllFound()
    {
        await using var stores = CreateStores();
        var map = await stores.OpenIdMapAsync();
        // Ids sharing one bucket (the parents a batch looks up), escaped and non-ASCII among them, amid other entries.
        var candidates = Enumerable.Range(0, 6000).Select(i => (i % 3) switch { 0 => $"ü-{i}", 1 => $"a/{i}#", _ => $"plain-{i}" }).ToList();
        var bucket = candidates.GroupBy(Flit.Core.Records.IdBuckets.Of).MaxBy(g => g.Count())!.ToList();
        await map.RecordAsync("m1", [.. candidates.Select((id, i) => Entry("contact", id, "d" + i))], None);

        var found = await map.LookupAsync("m1", "contact", bucket, None);

        Assert.True(bucket.Count > 14 && bucket.Any(id => id.StartsWith('ü')) && bucket.Any(id => id.Contains('/', StringComparison.Ordinal)), string.Join(",", bucket));
        Assert.Equal(bucket.Order(StringComparer.Ordinal), found.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task IdMap_RollbackForgets_OnlyTheKeysItNames_AndAlreadyGoneKeysAreNoError()
    {
        await using var stores = CreateStores();
        var map = await stores.OpenIdMapAsync();
        await map.RecordAsync("m1", [.. Enumerable.Range(1, 150).Select(i => Entry("contact", "c" + i, "d" + i)), Entry("company", "k1", "1")], None);

        await map.RemoveAsync("m1", [.. Enumerable.Range(1, 120).Select(i => ("contact", "c" + i)), ("contact", "never-there"), ("company", "k1")], None);

        Assert.Equal(30, await map.CountAsync("m1", "contact", None));
        Assert.Equal(0, await map.CountAsync("m1", "company", None));
        Assert.Single(await map.LookupAsync("m1", "contact", ["c1", "c121"], None));
    }

    [Fact]
    public async Task Journal_ReadsBackInOrder_AcrossReopening_AndRefusesASecondAppendOfAStep()
    {
        await using var stores = CreateStores();
        var journal = await stores.OpenJournalAsync();
        var at = new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);
        // Outputs of every size: small, over one table property (64 KiB), and over a whole entity (a load plan of
        // thousands of batches).
        var big = new string('x', 50_000);
        var huge = string.Concat(Enumerable.Range(0, 40_000).Select(i => $"batch-{i:D6},"));
        for (var sequence = 12; sequence >= 0; sequence -= 3)
        {
            await journal.AppendAsync(new JournalEntry("m1#1", sequence, "LoadBatch", "h" + sequence, sequence switch { 0 => big, 6 => huge, _ => "{}" }, at.AddSeconds(sequence)), None);
        }

        await journal.AppendAsync(new JournalEntry("m1#2", 0, "Stage", "h", "{}", at), None);

        var reopened = await stores.OpenJournalAsync();
        var entries = await reopened.ReadAsync("m1#1", None);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => reopened.AppendAsync(new JournalEntry("m1#1", 3, "LoadBatch", "other", "{}", at), None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => reopened.AppendAsync(new JournalEntry("m1#1", 6, "LoadBatch", "other", huge + "more", at), None));

        Assert.Equal([0, 3, 6, 9, 12], entries.Keys);
        Assert.Equal(big, entries[0].OutputJson);
        Assert.Equal(huge, entries[6].OutputJson);
        Assert.Equal(at.AddSeconds(9), entries[9].CompletedAt);
        Assert.Equal("h9", entries[9].InputHash);
        Assert.Contains("already has journal entry 3", error.Message, StringComparison.Ordinal);
        Assert.Equal("h3", (await reopened.ReadAsync("m1#1", None))[3].InputHash);
        Assert.Equal(huge, (await reopened.ReadAsync("m1#1", None))[6].OutputJson);
        Assert.Single(await reopened.ReadAsync("m1#2", None));
    }

    [Fact]
    public async Task State_DocumentsAreReplacedWhole_PerMigration()
    {
        await using var stores = CreateStores();
        var big = "{\"passes\":\"" + new string('p', 90_000) + "\"}";
        var huge = "{\"passes\":\"" + new string('q', 1_200_000) + "\"}";
        await stores.State().WriteAsync("m1", "delta-window", "{\"v\":1}", None);
        await stores.State().WriteAsync("m1", "delta-window", big, None);
        await stores.State().WriteAsync("m2", "request", "{\"v\":3}", None);
        await stores.State().WriteAsync("m3", "delta-window", huge, None);
        Assert.Equal(huge, await stores.State().ReadAsync("m3", "delta-window", None));
        await stores.State().WriteAsync("m3", "delta-window", "{\"v\":4}", None);
        Assert.Equal("{\"v\":4}", await stores.State().ReadAsync("m3", "delta-window", None));

        Assert.Equal(big, await stores.State().ReadAsync("m1", "delta-window", None));
        Assert.Null(await stores.State().ReadAsync("m1", "request", None));
        Assert.Equal("{\"v\":3}", await stores.State().ReadAsync("m2", "request", None));
    }

    [Fact]
    public async Task Approvals_TheLatestIsTheOneThatCounts()
    {
        await using var stores = CreateStores();
        var first = new ApprovalRecord("m1", "aaa", "dana@flitstack.io", new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero), null);
        var second = new ApprovalRecord("m1", "bbb", "lee@flitstack.io", first.ApprovedAt.AddHours(2), "after the new export");

        Assert.Null(await stores.Approvals().GetAsync("m1", None));
        await stores.Approvals().RecordAsync(first, None);
        await stores.Approvals().RecordAsync(second, None);

        Assert.Equal(second, await stores.Approvals().GetAsync("m1", None));
        Assert.Null(await stores.Approvals().GetAsync("m2", None));

        // The last one recorded counts, whatever the clock of the machine that approved it said.
        var skewed = new ApprovalRecord("m1", "ccc", "kim@flitstack.io", first.ApprovedAt.AddDays(-1), "clock behind");
        await stores.Approvals().RecordAsync(skewed, None);
        Assert.Equal(skewed, await stores.Approvals().GetAsync("m1", None));
    }

    [Fact]
    public async Task Index_ListsATenantsMigrationsOnly_WithTheirLatestState()
    {
        await using var stores = CreateStores();
        var index = await stores.OpenIndexAsync();
        var at = new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);
        await index.RecordAsync(new MigrationIndexEntry("acme", "m2", "actimo-odoo", "running", "m2#1", at), None);
        await index.RecordAsync(new MigrationIndexEntry("acme", "m1", "oncourse-odoo", "awaiting-approval", "m1#1", at), None);
        await index.RecordAsync(new MigrationIndexEntry("acme", "m1", "oncourse-odoo", "completed", "m1#1", at.AddHours(1)), None);
        await index.RecordAsync(new MigrationIndexEntry("globex", "m9", "arkcase-odoo", "failed", null, at), None);

        var acme = await ToListAsync((await stores.OpenIndexAsync()).ListAsync("acme", None));

        Assert.Equal(["m1", "m2"], acme.Select(m => m.MigrationId));
        Assert.Equal("completed", acme[0].State);
        Assert.Equal(at.AddHours(1), acme[0].UpdatedAt);
        Assert.Null(await index.GetAsync("acme", "m9", None));
        Assert.Equal("failed", (await index.GetAsync("globex", "m9", None))!.State);
    }

    private static async Task WriteAsync(IStagingStore store, string path, string text)
    {
        await using var stream = await store.OpenWriteAsync(path, None);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text));
        await stream.CommitAsync(None);
    }

    private static async Task<string> ReadAsync(IStagingStore store, string path)
    {
        await using var stream = await store.OpenReadAsync(path, None);
        return await new StreamReader(stream).ReadToEndAsync();
    }
}

/// <summary>The contract on the embedded default: files and SQLite.</summary>
public sealed class LocalStoreContractTests : StoreContract
{
    protected override StoreSet CreateStores() => new LocalStoreSet();
}

/// <summary>The contract on the Azure adapters, against a real Azurite.</summary>
public sealed class AzureStoreContractTests(AzuriteFixture azurite) : StoreContract, IClassFixture<AzuriteFixture>
{
    protected override StoreSet CreateStores() => new AzureStoreSet(azurite.Server);
}
