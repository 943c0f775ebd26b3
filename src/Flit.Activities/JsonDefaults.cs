using System.Text.Json;
using System.Text.Json.Serialization;

namespace Flit.Activities;

/// <summary>One JSON style for every artefact a run writes: camelCase, indented for people, enums as strings.</summary>
public static class JsonDefaults
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Compact form for line-oriented files (batch files).</summary>
    public static JsonSerializerOptions Compact { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
