using Flit.Core.Destinations;
using Flit.Destinations.Odoo;
using Flit.Destinations.Odoo.Rpc;

namespace Flit.Sandbox.Odoo;

/// <summary>
/// The target <c>sandbox</c>: an Odoo sandbox started in this process, holding the destination's users, and the Odoo
/// connector connected to it — for the demo. Its data lives as long as the process; resumable runs use
/// <c>flit sandbox odoo</c> and an <c>odoo://</c> target.
/// </summary>
public sealed class SandboxDestinationFactory(OdooDestinationFactory odoo) : IDestinationFactory
{
    public const string Target = "sandbox";

    public string Syntax => Target;

    public bool Handles(string target) => string.Equals(target, Target, StringComparison.OrdinalIgnoreCase);

    public async Task<IDestination> OpenAsync(DestinationTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var sandbox = await OdooSandbox.StartAsync(new OdooSandboxOptions { Users = SandboxUser.AdminAnd(target.DestinationUsers) }, cancellationToken);
        try
        {
            var options = new OdooClientOptions { Url = new Uri(sandbox.BaseAddress, "/"), Database = "sandbox", Login = "admin", Password = "admin", MigrationId = target.MigrationId };
            return new OwningDestination(await odoo.ConnectAsync(options, cancellationToken), sandbox);
        }
        catch
        {
            await sandbox.DisposeAsync();
            throw;
        }
    }

    /// <summary>A destination that also owns the sandbox it talks to, stopped with it.</summary>
    private sealed class OwningDestination(IDestination inner, IAsyncDisposable owned) : IDestination
    {
        public string Kind => inner.Kind;

        public Task<DestinationSchema> DescribeAsync(IReadOnlyCollection<string> models, CancellationToken cancellationToken) => inner.DescribeAsync(models, cancellationToken);

        public Task<IReadOnlyCollection<string>?> ListUserEmailsAsync(CancellationToken cancellationToken) => inner.ListUserEmailsAsync(cancellationToken);

        public Task<PrepareOutcome> PrepareAsync(PreparePlan plan, CancellationToken cancellationToken) => inner.PrepareAsync(plan, cancellationToken);

        public Task<IReadOnlyDictionary<string, PreImage>> SnapshotAsync(string model, IReadOnlyList<DestinationRecord> batch, CancellationToken cancellationToken) => inner.SnapshotAsync(model, batch, cancellationToken);

        public Task<IReadOnlyList<UpsertOutcome>> UpsertAsync(string model, IReadOnlyList<DestinationRecord> batch, CancellationToken cancellationToken) => inner.UpsertAsync(model, batch, cancellationToken);

        public Task<IReadOnlyList<ReadBackRecord>> ReadBackAsync(string model, IReadOnlyCollection<string> externalIds, IReadOnlyCollection<string> fields, CancellationToken cancellationToken) =>
            inner.ReadBackAsync(model, externalIds, fields, cancellationToken);

        public Task<RollbackOutcome> RollbackAsync(RollbackRequest request, CancellationToken cancellationToken) => inner.RollbackAsync(request, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await owned.DisposeAsync();
        }
    }
}
