using Flit.Activities.Planning;
using Flit.Core.Destinations;
using Flit.Core.Mapping;
using Flit.Core.Records;
using Flit.Core.Sources;
using Flit.Core.Workflow;
using Moq;

namespace Flit.Activities.Tests.Planning;

public sealed class StagedMappingSourceTests
{
    private static readonly MigrationRequest Request = new("m-1", "acme", "oncourse-odoo", "drop", RunMode.Sample);

    private static async Task<InMemoryStagingStore> StoreWithProposedSpecAsync()
    {
        var store = new InMemoryStagingStore();
        await store.WriteTextAsync(RunPaths.ProposedSpec("m-1"), MappingSpecLoader.ToYaml(MappingSpecLoader.LoadShipped("oncourse-odoo")), CancellationToken.None);
        return store;
    }

    private sealed class NoExports : IStagedExports
    {
        public IAsyncEnumerable<SourceRecord> ReadAsync(MigrationRequest request, string sourceObject, Action<ReadProblem> problems, CancellationToken cancellationToken) => AsyncEnumerable.Empty<SourceRecord>();
    }

    [Fact]
    public async Task GetAsync_AfterACompileThatFailed_CompilesAgainInsteadOfRepeatingTheFailure()
    {
        var store = await StoreWithProposedSpecAsync();
        var destination = new Mock<IDestination>(MockBehavior.Strict);
        destination.SetupSequence(d => d.DescribeAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new HttpRequestException("Odoo is restarting"))
            .ReturnsAsync(new DestinationSchema(new Dictionary<string, IReadOnlyDictionary<string, DestinationField>>()));
        var hash = MappingSpecLoader.Hash(MappingSpecLoader.LoadShipped("oncourse-odoo"));
        var sut = new StagedMappingSource(store, new NoExports(), destination.Object);

        await Assert.ThrowsAsync<HttpRequestException>(() => sut.GetAsync(Request, hash, CancellationToken.None));
        var mapping = await sut.GetAsync(Request, hash, CancellationToken.None);
        var again = await sut.GetAsync(Request, hash, CancellationToken.None);

        Assert.Equal(hash, mapping.SpecHash);
        Assert.Same(mapping, again);
        destination.Verify(d => d.DescribeAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }
}
