using System.Text;
using Flit.Core.Ports;

namespace Flit.Storage.Local.Tests;

/// <summary>The embedded default stores, on real files and real SQLite.</summary>
public sealed class LocalStoresTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("flit-stores-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static IdMapEntry Entry(string sourceId, string destinationId, IdMapOperation operation = IdMapOperation.Created) =>
        new("contact", sourceId, destinationId, $"flit_acme.contact_{sourceId}", operation, "hash" + destinationId, "b1", new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task StagingStore_WriteIsAtomic_ReadersNeverSeeAHalfWrittenFile()
    {
        var store = new FileStagingStore(_root);
        await using (var stream = await store.OpenWriteAsync("runs/m1/a.json", CancellationToken.None))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes("{\"half\":"));
            Assert.False(await store.ExistsAsync("runs/m1/a.json", CancellationToken.None));
            await stream.WriteAsync(Encoding.UTF8.GetBytes("1}"));
            await stream.CommitAsync(CancellationToken.None);
        }

        var listed = new List<StagedItem>();
        await foreach (var item in store.ListAsync("runs", CancellationToken.None))
        {
            listed.Add(item);
        }

        Assert.Equal("runs/m1/a.json", Assert.Single(listed).Path);
        await using var read = await store.OpenReadAsync("runs/m1/a.json", CancellationToken.None);
        Assert.Equal("{\"half\":1}", await new StreamReader(read).ReadToEndAsync());
    }

    [Theory]
    [InlineData("../outside.json")]
    [InlineData("/etc/passwd")]
    [InlineData("runs/../../x")]
    public void StagingStore_PathsLeavingTheStore_AreRefused(string path)
    {
        var store = new FileStagingStore(_root);

        var error = Assert.Throws<ArgumentException>(() => store.LocalPath(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdMap_SurvivesReopening_ReplacesByKey_KeepsCreated_AndForgetsWhatARollbackUndid()
    {
        var path = Path.Combine(_root, "idmap.db");
        await using (var map = await SqliteIdMap.OpenAsync(path, CancellationToken.None))
        {
            await map.RecordAsync("m1", [Entry("1", "10"), Entry("2", "20")], CancellationToken.None);
            await map.RecordAsync("m1", [Entry("2", "21", IdMapOperation.Updated)], CancellationToken.None);
            await map.RecordAsync("m2", [Entry("1", "99")], CancellationToken.None);
        }

        await using var reopened = await SqliteIdMap.OpenAsync(path, CancellationToken.None);
        var found = await reopened.LookupAsync("m1", "contact", ["1", "2", "3"], CancellationToken.None);
        // A record the run created stays "created" when a later attempt writes it again: rollback must delete it.
        Assert.Equal(("10", "21", IdMapOperation.Created), (found["1"].DestinationId, found["2"].DestinationId, found["2"].Operation));
        Assert.False(found.ContainsKey("3"));
        Assert.Equal(2, await reopened.CountAsync("m1", null, CancellationToken.None));

        await reopened.RemoveAsync("m1", [("contact", "1")], CancellationToken.None);

        Assert.Equal(1, await reopened.CountAsync("m1", "contact", CancellationToken.None));
        Assert.Equal(1, await reopened.CountAsync("m2", "contact", CancellationToken.None));
    }

    [Fact]
    public async Task IdMap_ListOfMorePagesThanOne_YieldsEveryEntryOnceInKeyOrder_EvenWhileTheConsumerRemovesThem()
    {
        await using var map = await SqliteIdMap.OpenAsync(Path.Combine(_root, "idmap.db"), CancellationToken.None);
        var entries = Enumerable.Range(0, 2_500).Select(i => Entry(i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture), i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        await map.RecordAsync("m1", [.. entries.Select(e => e with { ObjectType = "company" }).Take(700), .. entries], CancellationToken.None);
        await map.RecordAsync("m2", [.. entries.Take(10)], CancellationToken.None);

        // As a rollback does: a chunk undone and forgotten at a time, while the listing goes on.
        var listed = new List<(string, string)>();
        await foreach (var entry in map.ListAsync("m1", null, CancellationToken.None))
        {
            listed.Add((entry.ObjectType, entry.SourceId));
            if (listed.Count % 100 == 0)
            {
                await map.RemoveAsync("m1", listed[^100..], CancellationToken.None);
            }
        }

        Assert.Equal(3_200, listed.Count);
        Assert.Equal(listed.OrderBy(l => l.Item1, StringComparer.Ordinal).ThenBy(l => l.Item2, StringComparer.Ordinal), listed);
        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.Equal(0, await map.CountAsync("m1", null, CancellationToken.None));
        Assert.Equal(10, await map.CountAsync("m2", null, CancellationToken.None));
    }

    [Fact]
    public async Task IdMap_SourceDigestsOfOneObject_ArePagedWholeAndKeptAcrossRewrites()
    {
        await using var map = await SqliteIdMap.OpenAsync(Path.Combine(_root, "idmap.db"), CancellationToken.None);
        var entries = Enumerable.Range(0, 25_001).Select(i => Entry(i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture), i.ToString(System.Globalization.CultureInfo.InvariantCulture)) with { SourceDigest = $"d{i}" }).ToList();
        await map.RecordAsync("m1", entries, CancellationToken.None);
        await map.RecordAsync("m1", [entries[7] with { SourceDigest = "rewritten" }, Entry("x", "1") with { ObjectType = "company", SourceDigest = "other object" }], CancellationToken.None);
        await map.RecordAsync("m2", [entries[0] with { SourceDigest = "other migration" }], CancellationToken.None);

        var digests = new List<(string SourceId, string? Digest)>();
        await foreach (var item in map.ListSourceDigestsAsync("m1", entries[0].ObjectType, CancellationToken.None))
        {
            digests.Add(item);
        }

        Assert.Equal(25_001, digests.Count);
        Assert.Equal(entries.Select(e => e.SourceId), digests.Select(d => d.SourceId));
        Assert.Equal("rewritten", digests[7].Digest);
        Assert.Equal("d25000", digests[^1].Digest);
    }

    [Fact]
    public async Task Journal_KeepsEntriesInOrderAcrossReopening_AndRefusesTheSameStepTwice()
    {
        var path = Path.Combine(_root, "journal.db");
        var at = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
        await using (var journal = await SqliteRunJournal.OpenAsync(path, CancellationToken.None))
        {
            await journal.AppendAsync(new JournalEntry("m1#1", 0, "Stage", "h0", "{}", at), CancellationToken.None);
            await journal.AppendAsync(new JournalEntry("m1#1", 1, "Audit", "h1", "{\"n\":1}", at.AddSeconds(1)), CancellationToken.None);
        }

        await using var reopened = await SqliteRunJournal.OpenAsync(path, CancellationToken.None);
        var entries = await reopened.ReadAsync("m1#1", CancellationToken.None);

        Assert.Equal(["Stage", "Audit"], entries.OrderBy(e => e.Key).Select(e => e.Value.Activity));
        Assert.Equal(at.AddSeconds(1), entries[1].CompletedAt);
        Assert.Empty(await reopened.ReadAsync("m1#2", CancellationToken.None));
        var twice = await Assert.ThrowsAsync<InvalidOperationException>(() => reopened.AppendAsync(new JournalEntry("m1#1", 1, "Audit", "h1", "{}", at), CancellationToken.None));
        Assert.Contains("entry 1", twice.Message, StringComparison.Ordinal);
    }
}
