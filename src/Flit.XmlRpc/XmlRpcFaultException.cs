namespace Flit.XmlRpc;

/// <summary>An XML-RPC fault answered by the server: its code and its text, as sent.</summary>
public sealed class XmlRpcFaultException(int faultCode, string faultString) : Exception($"XML-RPC fault {faultCode}: {faultString}")
{
    public int FaultCode { get; } = faultCode;

    public string FaultString { get; } = faultString;
}

/// <summary>A document that is not valid XML-RPC, with where it broke.</summary>
public sealed class XmlRpcFormatException(string message, Exception? inner = null) : Exception(message, inner);
