using System.Globalization;
using System.Text;
using System.Xml;

namespace Flit.XmlRpc;

/// <summary>
/// XML-RPC as Python's <c>xmlrpc.client</c> writes and reads it (Odoo's server side). Values are plain CLR values:
/// null (<c>&lt;nil/&gt;</c>), bool, int and long (<c>&lt;int&gt;</c> within 32 bits, <c>&lt;i8&gt;</c> beyond, which
/// Python reads; read back as long), double, string, <see cref="DateTime"/> (<c>dateTime.iso8601</c>, <c>yyyyMMddTHH:mm:ss</c>),
/// byte[] (base64), dictionaries with string keys (struct) and lists (array).
/// </summary>
public static class XmlRpcCodec
{
    private static readonly XmlWriterSettings WriterSettings = new() { Encoding = new UTF8Encoding(false), Indent = false, OmitXmlDeclaration = true };

    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = false,
    };

    public static void WriteMethodCall(Stream stream, string method, IReadOnlyList<object?> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        WriteDocument(stream, writer =>
        {
            writer.WriteStartElement("methodCall");
            writer.WriteElementString("methodName", method);
            WriteParams(writer, parameters);
            writer.WriteEndElement();
        });
    }

    public static void WriteResponse(Stream stream, object? value) =>
        WriteDocument(stream, writer =>
        {
            writer.WriteStartElement("methodResponse");
            WriteParams(writer, [value]);
            writer.WriteEndElement();
        });

    public static void WriteFault(Stream stream, int code, string message) =>
        WriteDocument(stream, writer =>
        {
            writer.WriteStartElement("methodResponse");
            writer.WriteStartElement("fault");
            WriteValue(writer, new Dictionary<string, object?> { ["faultCode"] = code, ["faultString"] = message });
            writer.WriteEndElement();
            writer.WriteEndElement();
        });

    /// <summary>Reads a call: method name and parameters.</summary>
    public static (string Method, IReadOnlyList<object?> Parameters) ReadMethodCall(Stream stream)
    {
        using var reader = Open(stream);
        return Guard(reader, () =>
        {
            reader.MoveToContent();
            Expect(reader, "methodCall");
            reader.ReadStartElement("methodCall");
            SkipWhitespace(reader);
            Expect(reader, "methodName");
            var method = reader.ReadElementContentAsString();
            SkipWhitespace(reader);
            var parameters = reader.IsStartElement("params") ? ReadParams(reader) : [];
            return (method.Trim(), parameters);
        });
    }

    /// <summary>Reads a response: its value, or throws <see cref="XmlRpcFaultException"/> for a fault.</summary>
    public static object? ReadResponse(Stream stream)
    {
        using var reader = Open(stream);
        return Guard(reader, () =>
        {
            reader.MoveToContent();
            Expect(reader, "methodResponse");
            reader.ReadStartElement("methodResponse");
            SkipWhitespace(reader);
            if (reader.IsStartElement("fault"))
            {
                reader.ReadStartElement("fault");
                SkipWhitespace(reader);
                var fault = ReadValue(reader) as IReadOnlyDictionary<string, object?>
                    ?? throw new XmlRpcFormatException("A fault must hold a struct with faultCode and faultString.");
                var code = fault.TryGetValue("faultCode", out var c) ? Convert.ToInt32(c, CultureInfo.InvariantCulture) : 0;
                throw new XmlRpcFaultException(code, fault.TryGetValue("faultString", out var s) ? s as string ?? string.Empty : string.Empty);
            }

            var values = ReadParams(reader);
            return values.Count == 1 ? values[0] : throw new XmlRpcFormatException($"A response holds one value, not {values.Count}.");
        });
    }

    private static XmlReader Open(Stream stream) => XmlReader.Create(stream, ReaderSettings);

    private static T Guard<T>(XmlReader reader, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (XmlException e)
        {
            throw new XmlRpcFormatException($"Not valid XML-RPC at line {e.LineNumber}, position {e.LinePosition}: {e.Message}", e);
        }
        catch (FormatException e)
        {
            var info = (IXmlLineInfo)reader;
            throw new XmlRpcFormatException($"Not valid XML-RPC at line {info.LineNumber}, position {info.LinePosition}: {e.Message}", e);
        }
    }

    private static void WriteDocument(Stream stream, Action<XmlWriter> body)
    {
        // Python writes the declaration with single quotes; any XML parser accepts either.
        stream.Write("<?xml version='1.0'?>\n"u8);
        using var writer = XmlWriter.Create(stream, WriterSettings);
        body(writer);
    }

    private static void WriteParams(XmlWriter writer, IReadOnlyList<object?> parameters)
    {
        writer.WriteStartElement("params");
        foreach (var parameter in parameters)
        {
            writer.WriteStartElement("param");
            WriteValue(writer, parameter);
            writer.WriteEndElement();
        }

        writer.WriteEndElement();
    }

    private static void WriteValue(XmlWriter writer, object? value)
    {
        writer.WriteStartElement("value");
        switch (value)
        {
            case null:
                writer.WriteElementString("nil", string.Empty);
                break;
            case bool b:
                writer.WriteElementString("boolean", b ? "1" : "0");
                break;
            case int or short or byte or sbyte or ushort:
                writer.WriteElementString("int", Convert.ToInt32(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
                break;
            case long or uint or ulong:
                var number = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                writer.WriteElementString(number is >= int.MinValue and <= int.MaxValue ? "int" : "i8", number.ToString(CultureInfo.InvariantCulture));
                break;
            case double or float or decimal:
                var d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (!double.IsFinite(d))
                {
                    throw new ArgumentException($"XML-RPC has no representation for {d}.", nameof(value));
                }

                writer.WriteElementString("double", d.ToString("R", CultureInfo.InvariantCulture));
                break;
            case string s:
                writer.WriteElementString("string", StripControl(s));
                break;
            case DateTime dt:
                writer.WriteElementString("dateTime.iso8601", dt.ToString("yyyyMMdd'T'HH:mm:ss", CultureInfo.InvariantCulture));
                break;
            case byte[] bytes:
                writer.WriteStartElement("base64");
                writer.WriteBase64(bytes, 0, bytes.Length);
                writer.WriteEndElement();
                break;
            case Base64String text:
                writer.WriteStartElement("string");
                writer.WriteBase64(text.Bytes, 0, text.Bytes.Length);
                writer.WriteEndElement();
                break;
            case IReadOnlyDictionary<string, object?> map:
                writer.WriteStartElement("struct");
                foreach (var (key, item) in map)
                {
                    writer.WriteStartElement("member");
                    writer.WriteElementString("name", key);
                    WriteValue(writer, item);
                    writer.WriteEndElement();
                }

                writer.WriteEndElement();
                break;
            case System.Collections.IEnumerable items:
                writer.WriteStartElement("array");
                writer.WriteStartElement("data");
                foreach (var item in items)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndElement();
                writer.WriteEndElement();
                break;
            default:
                throw new ArgumentException($"Cannot marshal {value.GetType().Name} objects (XML-RPC types: nil, boolean, int, i8, double, string, dateTime, base64, struct, array).", nameof(value));
        }

        writer.WriteEndElement();
    }

    /// <summary>XML 1.0 cannot carry control characters other than tab, LF and CR; Odoo strips them too.</summary>
    private static string StripControl(string text)
    {
        foreach (var c in text)
        {
            if (c < 0x20 && c is not '\t' and not '\n' and not '\r')
            {
                return string.Concat(text.Where(x => x >= 0x20 || x is '\t' or '\n' or '\r'));
            }
        }

        return text;
    }

    private static List<object?> ReadParams(XmlReader reader)
    {
        var values = new List<object?>();
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return values;
        }

        reader.ReadStartElement("params");
        SkipWhitespace(reader);
        while (reader.IsStartElement("param"))
        {
            reader.ReadStartElement("param");
            SkipWhitespace(reader);
            values.Add(ReadValue(reader));
            SkipWhitespace(reader);
            reader.ReadEndElement();
            SkipWhitespace(reader);
        }

        reader.ReadEndElement();
        return values;
    }

    private static object? ReadValue(XmlReader reader)
    {
        Expect(reader, "value");
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return string.Empty;
        }

        reader.ReadStartElement("value");
        if (reader.NodeType is XmlNodeType.Text or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace or XmlNodeType.EndElement)
        {
            // A bare value without a type element is a string (whitespace included).
            var text = reader.NodeType == XmlNodeType.EndElement ? string.Empty : reader.ReadContentAsString();
            if (reader.NodeType == XmlNodeType.EndElement)
            {
                reader.ReadEndElement();
                return text;
            }

            SkipWhitespace(reader);
        }

        object? value = reader.LocalName switch
        {
            "nil" => ReadNil(reader),
            "boolean" => ReadBoolean(reader.ReadElementContentAsString()),
            "int" or "i4" or "i8" or "i1" or "i2" => ReadInteger(reader.ReadElementContentAsString()),
            "double" or "float" => double.Parse(reader.ReadElementContentAsString().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture),
            "string" => reader.IsEmptyElement ? ReadEmpty(reader) : reader.ReadElementContentAsString(),
            "dateTime.iso8601" => ReadDateTime(reader.ReadElementContentAsString()),
            "base64" => Convert.FromBase64String(reader.ReadElementContentAsString().Trim()),
            "struct" => ReadStruct(reader),
            "array" => ReadArray(reader),
            var other => throw new FormatException($"unknown value type <{other}>"),
        };
        SkipWhitespace(reader);
        reader.ReadEndElement();
        return value;
    }

    private static object? ReadNil(XmlReader reader)
    {
        reader.Skip();
        return null;
    }

    private static string ReadEmpty(XmlReader reader)
    {
        reader.Read();
        return string.Empty;
    }

    private static bool ReadBoolean(string text) => text.Trim() switch
    {
        "1" => true,
        "0" => false,
        var other => throw new FormatException($"bad boolean value '{other}' (Python accepts 0 or 1)"),
    };

    /// <summary>Integers read as long whatever their tag (Python has one int type).</summary>
    private static long ReadInteger(string text) =>
        long.Parse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    private static DateTime ReadDateTime(string text)
    {
        var trimmed = text.Trim();
        string[] formats = ["yyyyMMdd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyyMMdd'T'HHmmss"];
        return DateTime.ParseExact(trimmed, formats, CultureInfo.InvariantCulture, DateTimeStyles.None);
    }

    private static Dictionary<string, object?> ReadStruct(XmlReader reader)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return map;
        }

        reader.ReadStartElement("struct");
        SkipWhitespace(reader);
        while (reader.IsStartElement("member"))
        {
            reader.ReadStartElement("member");
            SkipWhitespace(reader);
            Expect(reader, "name");
            var name = reader.ReadElementContentAsString();
            SkipWhitespace(reader);
            map[name] = ReadValue(reader);
            SkipWhitespace(reader);
            reader.ReadEndElement();
            SkipWhitespace(reader);
        }

        reader.ReadEndElement();
        return map;
    }

    private static List<object?> ReadArray(XmlReader reader)
    {
        var items = new List<object?>();
        reader.ReadStartElement("array");
        SkipWhitespace(reader);
        if (reader.IsEmptyElement)
        {
            reader.Read();
        }
        else
        {
            reader.ReadStartElement("data");
            SkipWhitespace(reader);
            while (reader.IsStartElement("value"))
            {
                items.Add(ReadValue(reader));
                SkipWhitespace(reader);
            }

            reader.ReadEndElement();
        }

        SkipWhitespace(reader);
        reader.ReadEndElement();
        return items;
    }

    private static void SkipWhitespace(XmlReader reader)
    {
        while (reader.NodeType is XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
        {
            reader.Read();
        }
    }

    private static void Expect(XmlReader reader, string name)
    {
        SkipWhitespace(reader);
        if (reader.NodeType != XmlNodeType.Element || reader.LocalName != name)
        {
            throw new FormatException($"expected <{name}>, found {(reader.NodeType == XmlNodeType.Element ? $"<{reader.LocalName}>" : reader.NodeType.ToString())}");
        }
    }
}
