using Flit.Core.Destinations;

namespace Flit.Destinations.Rehearsal;

/// <summary>The target <c>rehearsal</c>: a destination kept in a local folder, holding the given users. Only a host
/// with a local disk for it (the CLI) can open one.</summary>
public sealed class RehearsalDestinationFactory : IDestinationFactory
{
    public const string Target = "rehearsal";

    public string Syntax => Target;

    public bool Handles(string target) => string.Equals(target, Target, StringComparison.OrdinalIgnoreCase);

    public async Task<IDestination> OpenAsync(DestinationTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var folder = target.LocalFolder ?? throw new DestinationTargetException("The rehearsal target is kept on a local disk: only the flit command can run it.");
        return await RehearsalDestination.OpenAsync(folder, target.DestinationUsers, cancellationToken);
    }
}
