namespace Flit.XmlRpc;

/// <summary>
/// A string value whose text is the base64 of some bytes, written as <c>&lt;string&gt;</c> straight from the bytes: a
/// file travels once as bytes and once in the request body, never as a text copy in between. (Odoo's binary fields
/// take base64 text; XML-RPC's own <c>&lt;base64&gt;</c> type would reach them as raw bytes.)
/// </summary>
public sealed class Base64String(byte[] bytes)
{
    public byte[] Bytes { get; } = bytes ?? throw new ArgumentNullException(nameof(bytes));

    public override string ToString() => Convert.ToBase64String(Bytes);
}
