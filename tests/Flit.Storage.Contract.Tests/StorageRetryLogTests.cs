using System.Net;
using Azure.Core.Pipeline;
using Flit.Storage.Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Flit.Storage.Contract.Tests;

/// <summary>The stores log what the SDK's retry policy retries: here Azurite answers the first calls "server busy".</summary>
public sealed class StorageRetryLogTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task ServerBusy_IsLoggedAsThrottlingPerAttempt_AndTheCallSucceedsOnRetry()
    {
        var collector = new FakeLogCollector();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(collector)));
        using var busy = new BusyFirst(2);
        var options = new AzureStorageOptions
        {
            ConnectionString = azurite.Server.ConnectionString,
            TablePrefix = "t" + Guid.NewGuid().ToString("N")[..12],
            Loggers = loggers,
            RetryDelay = TimeSpan.FromMilliseconds(10),
            Transport = new HttpClientTransport(new HttpClient(busy)),
        };
        var state = new TableMigrationState(new AzureTables(options), options.CreateClients().Blobs.GetBlobContainerClient("t" + Guid.NewGuid().ToString("N")[..20]));

        await state.WriteAsync("m1", "status", "{\"stage\":\"load\"}", CancellationToken.None);

        Assert.Equal("{\"stage\":\"load\"}", await state.ReadAsync("m1", "status", CancellationToken.None));
        var throttled = collector.GetSnapshot().Where(r => r.Id.Name == "StorageThrottled").ToList();
        Assert.Equal([1, 2], throttled.Select(r => int.Parse(r.StructuredState!.Single(p => p.Key == "Attempt").Value!, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(throttled, r => Assert.Equal(("table", "503"), (r.GetStructuredStateValue("StorageService"), r.GetStructuredStateValue("StatusCode"))));
        Assert.All(collector.GetSnapshot(), r => Assert.DoesNotContain("http", r.Message, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(200_000)]
    public async Task Journal_AnAppendWhoseAnswerWasLost_IsRetriedByTheSdk_AndNotTakenForASecondAppend(int outputLength)
    {
        using var lost = new AnswerLost("POST", "journal");
        var container = "t" + Guid.NewGuid().ToString("N")[..20];
        var options = new AzureStorageOptions
        {
            ConnectionString = azurite.Server.ConnectionString,
            TablePrefix = "t" + Guid.NewGuid().ToString("N")[..12],
            StagingContainer = container,
            RetryDelay = TimeSpan.FromMilliseconds(10),
            Transport = new HttpClientTransport(new HttpClient(lost)),
        };
        var (blobs, _) = options.CreateClients();
        var journal = new TableRunJournal(new AzureTables(options), blobs.GetBlobContainerClient(container));
        var output = new string('o', outputLength);

        await journal.AppendAsync(new Flit.Core.Ports.JournalEntry("m1#1", 0, "Stage", "h0", output, DateTimeOffset.UnixEpoch), CancellationToken.None);

        Assert.True(lost.Lost, "no answer was lost");
        Assert.Equal(output, (await journal.ReadAsync("m1#1", CancellationToken.None))[0].OutputJson);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            journal.AppendAsync(new Flit.Core.Ports.JournalEntry("m1#1", 0, "Stage", "other", "{}", DateTimeOffset.UnixEpoch), CancellationToken.None));
        Assert.Equal(output, (await journal.ReadAsync("m1#1", CancellationToken.None))[0].OutputJson);
    }

    /// <summary>Passes the first request of a method to a table on, then answers it 503 as a lost connection would
    /// look after the service did the work: the SDK sends it again.</summary>
    private sealed class AnswerLost(string method, string table) : DelegatingHandler(new HttpClientHandler())
    {
        public bool Lost { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (!Lost && request.Method.Method == method && request.RequestUri!.AbsolutePath.EndsWith(table, StringComparison.Ordinal) && response.IsSuccessStatusCode)
            {
                Lost = true;
                response.Dispose();
                return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { RequestMessage = request };
            }

            return response;
        }
    }

    /// <summary>Answers the first <paramref name="count"/> requests 503 Server Busy, as Table Storage does over its
    /// targets, then passes requests on to Azurite.</summary>
    private sealed class BusyFirst(int count) : DelegatingHandler(new HttpClientHandler())
    {
        private int _left = count;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Interlocked.Decrement(ref _left) >= 0
                ? Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { ReasonPhrase = "Server Busy", RequestMessage = request })
                : base.SendAsync(request, cancellationToken);
    }
}
