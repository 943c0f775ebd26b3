using System.Text.Json;

namespace Flit.Activities;

/// <summary>Staged JSON values back as the plain CLR values destinations take (whole numbers as longs, never doubles:
/// an id must go out as an integer).</summary>
public static class JsonValues
{
    public static object? ToPlain(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.TryGetInt64(out var n) ? n : value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.Array => value.EnumerateArray().Select(ToPlain).ToList(),
        JsonValueKind.Object => value.EnumerateObject().ToDictionary(p => p.Name, p => ToPlain(p.Value), StringComparer.Ordinal),
        _ => value.GetRawText(),
    };
}
