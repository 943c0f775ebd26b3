using Flit.Activities.Loading;
using Flit.Activities.Planning;
using Flit.Core.Destinations;
using Flit.Core.Ports;
using Flit.Core.Records;
using Flit.Core.Workflow;
using Flit.Core.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace Flit.Activities.Tests.Loading;

/// <summary>
/// Attachments are sent in calls cut by file bytes as well as by count: a batch of large files never holds more than
/// one call's worth, each file goes whole, as its bytes, and a file missing from the export fails its record only.
/// </summary>
public sealed class LoadBatchFileBytesTests : LoadBatchFixture
{
    private const int FileBytes = 12 * 1024 * 1024;
    private static readonly MigrationRequest Request = new(Migration, "acme", "oncourse-odoo", "drop", RunMode.Full, BatchSize: 500);
    private readonly List<(int Records, long Bytes, bool AllWhole)> _calls = [];

    private static byte[] Content(int i) => Enumerable.Range(0, FileBytes).Select(b => (byte)(b * (i + 3))).ToArray();

    [Fact]
    public async Task RunAsync_FilesLargerTogetherThanACallTakes_GoInSeveralCallsWholeAndAsTheirBytes()
    {
        var (mapping, mappings) = await MappingAsync("oncourse-odoo");
        await IdMap.RecordAsync(Migration, [new IdMapEntry("contact", "C1", "7", "flit_acme.oncourse_contact_c1", IdMapOperation.Created, "h", "b", DateTimeOffset.UnixEpoch, Migration)], CancellationToken.None);
        var schema = new RecordSchema("attachment", "attachments.csv", ["Attachment ID", "Related To", "Related Type", "File Name", "Path"], [1, 2, 3, 4, 5]);
        var records = new List<SourceRecord>();
        for (var i = 0; i < 6; i++)
        {
            // The fourth file is not in the export.
            if (i != 3)
            {
                await using var stream = await Store.OpenWriteAsync($"{RunPaths.Exports(Migration)}/files/scan{i}.bin", CancellationToken.None);
                await stream.WriteAsync(Content(i));
                await stream.CommitAsync(CancellationToken.None);
            }

            records.Add(new SourceRecord(schema, $"A{i}", [$"A{i}", "C1", "Contact", $"scan{i}.bin", $"files/scan{i}.bin"], new SourceLocation("attachments.csv", i + 2)));
        }

        var batchPath = await WriteBatchAsync(5, "attachment", "5-attachment-000-0000", records);

        var destination = new Mock<IDestination>();
        destination.Setup(d => d.SnapshotAsync(It.IsAny<string>(), It.IsAny<IReadOnlyList<DestinationRecord>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Dictionary<string, PreImage>());
        destination.Setup(d => d.UpsertAsync("ir.attachment", It.IsAny<IReadOnlyList<DestinationRecord>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, IReadOnlyList<DestinationRecord> call, CancellationToken _) =>
            {
                var files = call.Select(r => (Id: int.Parse(r.SourceId[1..], System.Globalization.CultureInfo.InvariantCulture), File: (FileBytes)r.Values["datas"]!)).ToList();
                _calls.Add((call.Count, files.Sum(f => (long)f.File.Bytes.Length), files.All(f => f.File.Bytes.AsSpan().SequenceEqual(Content(f.Id)))));
                return [.. call.Select((r, i) => new UpsertOutcome(r.ExternalId, UpsertStatus.Created, (100 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)))];
            });
        var activity = new LoadBatchActivity(Store, IdMap, destination.Object, mappings, TimeProvider.System, NullLogger<LoadBatchActivity>.Instance, FlitMetrics.Shared);

        var result = await activity.RunAsync(new ActivityInput(Request, mapping.SpecHash, new BatchWork("5-attachment-000-0000", "attachment", "ir.attachment", 5, batchPath, 6, false)), CancellationToken.None);

        // Five files of 12 MiB under a cap of 32 MiB a call: two, two and one.
        Assert.Equal([(2, 2L * FileBytes, true), (2, 2L * FileBytes, true), (1, FileBytes, true)], _calls);
        Assert.All(_calls, c => Assert.True(c.Bytes <= LoadBatchActivity.FileBytesPerCall));
        Assert.Equal((5, 1), (result.Created, result.Failed));
        var outcome = await Store.ReadJsonAsync<BatchOutcomeFile>(result.OutcomePath, CancellationToken.None);
        Assert.Contains("the file 'files/scan3.bin' is not in the export", Assert.Single(outcome.Records, r => r.Fate == RecordFate.Failed).Reason, StringComparison.Ordinal);
    }
}
