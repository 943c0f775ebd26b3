using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Flit.XmlRpc.Tests;

public sealed class XmlRpcCodecTests
{
    private static object? Read(string document) => XmlRpcCodec.ReadResponse(new MemoryStream(Encoding.UTF8.GetBytes(document)));

    private static object? RoundTrip(object? value)
    {
        using var stream = new MemoryStream();
        XmlRpcCodec.WriteResponse(stream, value);
        stream.Position = 0;
        return XmlRpcCodec.ReadResponse(stream);
    }

    /// <summary>Equal as XML-RPC sees it: integers of any width, control characters dropped, structures recursively.</summary>
    private static bool SameValue(object? expected, object? actual) => (expected, actual) switch
    {
        (IReadOnlyDictionary<string, object?> e, IReadOnlyDictionary<string, object?> a) =>
            e.Count == a.Count && e.All(kv => a.TryGetValue(kv.Key, out var v) && SameValue(kv.Value, v)),
        (byte[] e, byte[] a) => e.AsSpan().SequenceEqual(a),
        (string e, string a) => new string(e.Where(c => c >= 0x20 || c is '\t' or '\n').ToArray()) == a,
        (int e, long a) => e == a,
        (System.Collections.IList e, System.Collections.IList a) => e.Count == a.Count && Enumerable.Range(0, e.Count).All(i => SameValue(e[i], a[i])),
        _ => Equals(expected, actual),
    };

    /// <summary>Python documents exactly as xmlrpc.client.dumps((value,), methodresponse=True) writes them.</summary>
    [Fact]
    public void ReadResponse_PythonDocuments_AllTypes()
    {
        const string Document = """
            <?xml version='1.0'?>
            <methodResponse>
            <params>
            <param>
            <value><array><data>
            <value><int>7</int></value>
            <value><i8>9007199254740993</i8></value>
            <value><boolean>1</boolean></value>
            <value><double>0.1</double></value>
            <value><string>caf&#233; &amp; &lt;tag&gt;</string></value>
            <value>bare text</value>
            <value><dateTime.iso8601>20240310T13:15:00</dateTime.iso8601></value>
            <value><base64>
            aGVsbG8=
            </base64></value>
            <value><struct>
            <member>
            <name>id</name>
            <value><int>42</int></value>
            </member>
            <member>
            <name>partner_id</name>
            <value><array><data>
            <value><int>3</int></value>
            <value><string>Acme</string></value>
            </data></array></value>
            </member>
            </struct></value>
            <value><nil/></value>
            </data></array></value>
            </param>
            </params>
            </methodResponse>

            """;

        var items = Assert.IsType<List<object?>>(Read(Document));

        Assert.Equal(7L, items[0]);
        Assert.Equal(9007199254740993L, items[1]);
        Assert.Equal(true, items[2]);
        Assert.Equal(0.1, items[3]);
        Assert.Equal("café & <tag>", items[4]);
        Assert.Equal("bare text", items[5]);
        Assert.Equal(new DateTime(2024, 3, 10, 13, 15, 0), items[6]);
        Assert.Equal("hello"u8.ToArray(), items[7]);
        var record = Assert.IsType<Dictionary<string, object?>>(items[8]);
        Assert.Equal(42L, record["id"]);
        Assert.Equal([3L, "Acme"], Assert.IsType<List<object?>>(record["partner_id"]));
        Assert.Null(items[9]);
    }

    [Fact]
    public void ReadResponse_PythonFault_ThrowsWithCodeAndText()
    {
        const string Document = """
            <?xml version='1.0'?>
            <methodResponse>
            <fault>
            <value><struct>
            <member>
            <name>faultCode</name>
            <value><int>2</int></value>
            </member>
            <member>
            <name>faultString</name>
            <value><string>The operation cannot be completed: Missing required value for the field 'Name' (name)</string></value>
            </member>
            </struct></value>
            </fault>
            </methodResponse>

            """;

        var fault = Assert.Throws<XmlRpcFaultException>(() => Read(Document));

        Assert.Equal(2, fault.FaultCode);
        Assert.StartsWith("The operation cannot be completed", fault.FaultString, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteMethodCall_ExecuteKw_IsWhatPythonParses()
    {
        using var stream = new MemoryStream();

        XmlRpcCodec.WriteMethodCall(stream, "execute_kw", ["db", 2, "key", "res.partner", "create", new object?[] { new Dictionary<string, object?> { ["name"] = "Ada", ["is_company"] = false } }, new Dictionary<string, object?>()]);
        var text = Encoding.UTF8.GetString(stream.ToArray());
        stream.Position = 0;
        var (method, parameters) = XmlRpcCodec.ReadMethodCall(stream);

        Assert.StartsWith("<?xml version='1.0'?>", text, StringComparison.Ordinal);
        Assert.Contains("<value><int>2</int></value>", text, StringComparison.Ordinal);
        Assert.Contains("<member><name>is_company</name><value><boolean>0</boolean></value></member>", text, StringComparison.Ordinal);
        Assert.Equal("execute_kw", method);
        Assert.Equal(7, parameters.Count);
    }

    [Fact]
    public void WriteResponse_Base64String_IsAStringHoldingTheBase64Text()
    {
        var bytes = Enumerable.Range(0, 100_003).Select(i => (byte)(i * 7)).ToArray();
        using var stream = new MemoryStream();

        XmlRpcCodec.WriteResponse(stream, new Base64String(bytes));
        stream.Position = 0;

        Assert.Contains("<value><string>" + Convert.ToBase64String(bytes)[..40], Encoding.UTF8.GetString(stream.ToArray()), StringComparison.Ordinal);
        Assert.Equal(Convert.ToBase64String(bytes), XmlRpcCodec.ReadResponse(stream));
    }

    [Fact]
    public void ReadResponse_Broken_NamesLineAndPosition()
    {
        var error = Assert.Throws<XmlRpcFormatException>(() => Read("<?xml version='1.0'?>\n<methodResponse>\n<params><param><value><int>x</int></value></param></params></methodResponse>"));

        Assert.Matches(@"line \d+, position \d+", error.Message);
    }

    [Fact]
    public void WriteResponse_ControlCharacters_AreStrippedLikeOdoo() =>
        Assert.Equal("a\tb\nc", RoundTrip("a\u0001\tb\nc\u001F"));

    private static Gen<object?> Scalar() => Gen.OneOf(
        Gen.Constant<object?>(null),
        ArbMap.Default.GeneratorFor<bool>().Select(b => (object?)b),
        ArbMap.Default.GeneratorFor<int>().Select(i => (object?)i),
        ArbMap.Default.GeneratorFor<long>().Select(l => (object?)l),
        ArbMap.Default.GeneratorFor<NormalFloat>().Select(f => (object?)f.Get),
        ArbMap.Default.GeneratorFor<NonNull<string>>().Select(s => (object?)new string(s.Get.Where(c => !char.IsSurrogate(c) && c != '\r' && c != '\uFFFE' && c != '\uFFFF').ToArray())),
        ArbMap.Default.GeneratorFor<byte[]>().Where(b => b is not null).Select(b => (object?)b),
        Gen.Choose(0, 100_000_000).Select(s => (object?)new DateTime(2000, 1, 1).AddSeconds(s)));

    private static Gen<object?> Value(int depth) => depth == 0
        ? Scalar()
        : Gen.OneOf(
            Scalar(),
            Gen.Choose(0, 4).SelectMany(n => Value(depth - 1).ArrayOf(n)).Select(l => (object?)l.ToList()),
            Gen.Choose(0, 4).SelectMany(n => Gen.Zip(ArbMap.Default.GeneratorFor<NonEmptyString>().Select(s => new string(s.Get.Where(c => c >= 0x20 && !char.IsSurrogate(c) && c < 0xFFFE).ToArray())).Where(s => s.Length > 0), Value(depth - 1)).ArrayOf(n))
                .Select(members => (object?)members.GroupBy(m => m.Item1).ToDictionary(g => g.Key, g => g.First().Item2)));

    [Property(MaxTest = 300)]
    public Property RoundTrip_AnyValue_ReadsBackTheSame() =>
        Prop.ForAll(Value(3).ToArbitrary(), value => SameValue(value, RoundTrip(value)));
}
