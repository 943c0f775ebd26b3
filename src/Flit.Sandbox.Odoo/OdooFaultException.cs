namespace Flit.Sandbox.Odoo;

/// <summary>An error the sandbox answers with Odoo's fault code (rpc.py): 1 other (traceback), 2 user/validation, 3 access denied, 4 access error.</summary>
public sealed class OdooFaultException(int code, string message, string exceptionType) : Exception(message)
{
    public int Code { get; } = code;

    /// <summary>Odoo's exception name, e.g. <c>odoo.exceptions.ValidationError</c> or <c>builtins.ValueError</c>.</summary>
    public string ExceptionType { get; } = exceptionType;

    /// <summary>What XML-RPC carries as faultString: the message for codes 2–4, a traceback ending in the exception for 1.</summary>
    public string FaultString => Code == 1
        ? $"Traceback (most recent call last):\n  File \"/odoo/odoo/service/model.py\", line 156, in retrying\n    result = func()\n{ExceptionType.Replace("builtins.", string.Empty, StringComparison.Ordinal)}: {Message}\n"
        : Message;

    public static OdooFaultException Validation(string message) => new(2, "The operation cannot be completed: " + message, "odoo.exceptions.ValidationError");

    public static OdooFaultException User(string message) => new(2, message, "odoo.exceptions.UserError");

    public static OdooFaultException Value(string message) => new(1, message, "builtins.ValueError");

    public static OdooFaultException Denied() => new(3, "Access Denied", "odoo.exceptions.AccessDenied");
}
