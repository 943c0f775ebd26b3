using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Flit.Functions.Http;

/// <summary>
/// The caller as App Service authentication passes it: the <c>X-MS-CLIENT-PRINCIPAL</c> header, base64 JSON with the
/// claims and which claim types hold the name and the roles. Absent when authentication is not configured (function
/// keys only). The platform strips the header from outside requests, so it can be trusted inside the app.
/// </summary>
public sealed class ClientPrincipal
{
    public const string Header = "X-MS-CLIENT-PRINCIPAL";

    private ClientPrincipal(string? name, IReadOnlyList<Claim> claims, string roleType)
    {
        Name = name;
        Claims = claims;
        RoleType = roleType;
    }

    public string? Name { get; }

    public IReadOnlyList<Claim> Claims { get; }

    private string RoleType { get; }

    public bool IsInRole(string role) => Claims.Any(c => c.Type == RoleType && string.Equals(c.Value, role, StringComparison.Ordinal));

    public string? ClaimValue(string type) => Claims.FirstOrDefault(c => c.Type == type)?.Value;

    /// <summary>The request's principal; null without the header; <see cref="FormatException"/> for one that is not the
    /// platform's.</summary>
    public static ClientPrincipal? From(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Headers.TryGetValue(Header, out var header) || string.IsNullOrEmpty(header))
        {
            return null;
        }

        Payload payload;
        try
        {
            payload = JsonSerializer.Deserialize<Payload>(Encoding.UTF8.GetString(Convert.FromBase64String(header.ToString()))) ?? throw new FormatException($"{Header} is empty.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{Header} is not a client principal: {e.Message}", e);
        }

        var claims = (payload.Claims ?? []).Select(c => new Claim(c.Type ?? "", c.Value ?? "")).ToList();
        var nameType = payload.NameType ?? "name";
        return new ClientPrincipal(claims.FirstOrDefault(c => c.Type == nameType)?.Value, claims, payload.RoleType ?? "roles");
    }

    public sealed record Claim(string Type, string Value);

    private sealed class Payload
    {
        [JsonPropertyName("name_typ")]
        public string? NameType { get; init; }

        [JsonPropertyName("role_typ")]
        public string? RoleType { get; init; }

        [JsonPropertyName("claims")]
        public List<PayloadClaim>? Claims { get; init; }
    }

    private sealed class PayloadClaim
    {
        [JsonPropertyName("typ")]
        public string? Type { get; init; }

        [JsonPropertyName("val")]
        public string? Value { get; init; }
    }
}
