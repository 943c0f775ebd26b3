using Flit.Activities.Planning;
using Flit.Activities.Sources;
using Flit.Core.Destinations;
using Flit.Core.Mapping;
using Flit.Core.Ports;
using Flit.Sources.Layouts;

namespace Flit.Activities.Registry;

/// <summary>
/// What one migration's activities run against, whichever host opened it: its staging area, ID map, approvals and
/// destination, and the staged exports and compiled mappings read through them. Disposing closes the destination and
/// the ID map.
/// </summary>
public sealed class MigrationResources : IAsyncDisposable
{
    public MigrationResources(string pair, IStagingStore store, IIdMap idMap, IApprovalStore approvals, IDestination destination)
    {
        ArgumentNullException.ThrowIfNull(pair);
        Store = store ?? throw new ArgumentNullException(nameof(store));
        IdMap = idMap ?? throw new ArgumentNullException(nameof(idMap));
        Approvals = approvals ?? throw new ArgumentNullException(nameof(approvals));
        Destination = destination ?? throw new ArgumentNullException(nameof(destination));
        var layout = SourceLayouts.Get(MappingSpecLoader.LoadShipped(pair).Source);
        Exports = new StagedExportFiles(store, _ => layout);
        Mappings = new StagedMappingSource(store, Exports, destination);
    }

    public IStagingStore Store { get; }

    public IIdMap IdMap { get; }

    public IApprovalStore Approvals { get; }

    public IDestination Destination { get; }

    public IStagedExports Exports { get; }

    public IMappingSource Mappings { get; }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Destination.DisposeAsync();
        }
        finally
        {
            if (IdMap is IAsyncDisposable idMap)
            {
                await idMap.DisposeAsync();
            }
        }
    }
}
