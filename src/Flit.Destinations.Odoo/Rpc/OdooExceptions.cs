namespace Flit.Destinations.Odoo.Rpc;

/// <summary>An error Odoo answered. Subclasses follow Odoo's fault codes (rpc.py): 1 other, 2 user/validation/missing, 3 access denied, 4 access error.</summary>
public abstract class OdooException(string message, string? serverType) : Exception(message)
{
    /// <summary>Odoo's exception type as the server named it (e.g. <c>odoo.exceptions.ValidationError</c>), when known.</summary>
    public string? ServerType { get; } = serverType;
}

/// <summary>Fault 2: UserError, ValidationError, MissingError — a problem with the data sent; never retried.</summary>
public sealed class OdooUserException(string message, string? serverType = null) : OdooException(message, serverType);

/// <summary>Fault 3: bad credentials (or an expired API key).</summary>
public sealed class OdooAccessDeniedException(string message, string? serverType = null) : OdooException(message, serverType);

/// <summary>Fault 4: the user lacks the rights for the model or record.</summary>
public sealed class OdooAccessException(string message, string? serverType = null) : OdooException(message, serverType);

/// <summary>Fault 1: anything else; <see cref="Exception.Message"/> is the real exception (the traceback's last line).</summary>
public sealed class OdooServerException(string message, string traceback, string? serverType = null) : OdooException(message, serverType)
{
    public string Traceback { get; } = traceback;

    /// <summary>PostgreSQL serialization failures and deadlocks: the only server errors worth retrying.</summary>
    public bool IsTransient =>
        Traceback.Contains("could not serialize access", StringComparison.OrdinalIgnoreCase)
        || Traceback.Contains("deadlock detected", StringComparison.OrdinalIgnoreCase)
        || Traceback.Contains("SerializationFailure", StringComparison.Ordinal)
        || Traceback.Contains("TransactionRollbackError", StringComparison.Ordinal);

    /// <summary>The last non-empty line of a Python traceback: where the real exception is named.</summary>
    public static string LastLine(string traceback)
    {
        ArgumentNullException.ThrowIfNull(traceback);
        return traceback.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? traceback;
    }
}
