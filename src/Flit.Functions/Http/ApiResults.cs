using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace Flit.Functions.Http;

/// <summary>The API's answers: JSON bodies (camelCase), problems as <c>{ "error": … }</c> with the status that says what
/// kind of problem it is.</summary>
internal static class ApiResults
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static ContentResult Ok(object body, int status = 200) =>
        new() { StatusCode = status, ContentType = "application/json; charset=utf-8", Content = JsonSerializer.Serialize(body, Json) };

    public static ContentResult Problem(int status, string error) => Ok(new { error }, status);

    public static ContentResult BadRequest(string error) => Problem(400, error);

    public static ContentResult NotFound(string migrationId) => Problem(404, $"No migration '{migrationId}'.");

    public static ContentResult Forbidden(string error) => Problem(403, error);

    public static ContentResult Conflict(string error) => Problem(409, error);
}
