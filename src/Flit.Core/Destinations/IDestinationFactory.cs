namespace Flit.Core.Destinations;

/// <summary>What a host asks a destination factory to open: the target as the engineer wrote it (or as a connection
/// reference resolved it), and what a destination may need besides.</summary>
/// <param name="Target">The target, e.g. <c>odoo://login@host:port/database</c> or <c>rehearsal</c>.</param>
/// <param name="MigrationId">The migration the destination is opened for (named in the destination's logs).</param>
/// <param name="DestinationUsers">For stand-in destinations (rehearsal, in-process sandbox): the users they hold.</param>
/// <param name="Secret">Looks up a secret by name (<c>ApiKey</c>, <c>Password</c>): from the environment locally, from
/// app settings or Key Vault references in Azure. Never from the target itself.</param>
/// <param name="LocalFolder">Where a destination kept on this machine lives (the rehearsal), or null in a host that
/// has no local disk to keep one.</param>
public sealed record DestinationTarget(
    string Target,
    string MigrationId,
    IReadOnlyCollection<string> DestinationUsers,
    Func<string, string?> Secret,
    string? LocalFolder = null);

/// <summary>
/// A destination project's entry point for hosts: it recognises its own targets and opens an <see cref="IDestination"/>
/// for them, so neither host names a destination. Hosts resolve every registered factory and ask each in turn.
/// </summary>
public interface IDestinationFactory
{
    /// <summary>The targets this factory opens, as a person writes them (for the error listing the known targets).</summary>
    string Syntax { get; }

    /// <summary>Whether <paramref name="target"/> is one of this factory's (by its form, without connecting).</summary>
    bool Handles(string target);

    /// <summary>Opens the destination: connected and checked (credentials, version). Throws
    /// <see cref="DestinationTargetException"/> for a target or secret that is wrong.</summary>
    Task<IDestination> OpenAsync(DestinationTarget target, CancellationToken cancellationToken);
}

/// <summary>A target that cannot be opened: written wrong, a secret missing, or the destination unreachable. The
/// message says what is wrong and what to do, and names no secret.</summary>
public sealed class DestinationTargetException : Exception
{
    public DestinationTargetException(string message, bool unreachable = false)
        : base(message)
    {
        Unreachable = unreachable;
    }

    public DestinationTargetException()
    {
    }

    public DestinationTargetException(string message, Exception innerException)
        : base(message, innerException)
    {
        Unreachable = true;
    }

    /// <summary>The target was well formed but the destination could not be reached or refused the credentials.</summary>
    public bool Unreachable { get; }
}

/// <summary>Opens a target with the first factory that handles it.</summary>
public static class DestinationFactories
{
    public static Task<IDestination> OpenAsync(IEnumerable<IDestinationFactory> factories, DestinationTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(factories);
        ArgumentNullException.ThrowIfNull(target);
        var all = factories.ToList();
        var factory = all.FirstOrDefault(f => f.Handles(target.Target))
            ?? throw new DestinationTargetException($"Unknown target '{target.Target}'. Targets: {string.Join(", ", all.Select(f => f.Syntax))}.");
        return factory.OpenAsync(target, cancellationToken);
    }
}
