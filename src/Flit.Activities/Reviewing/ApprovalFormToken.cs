using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Flit.Activities.Reviewing;

/// <summary>
/// The approve form's anti-forgery token: an HMAC-SHA256 over the migration, the spec hash and the expiry, so a token
/// approves only the spec the page showed, of that migration, until it expires. Format: <c>{expiry unix seconds}.{mac}</c>,
/// the mac base64url.
/// </summary>
public static class ApprovalFormToken
{
    public static string Issue(ReadOnlySpan<byte> key, string migrationId, string specHash, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(migrationId);
        ArgumentNullException.ThrowIfNull(specHash);
        var expiry = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"{expiry}.{Base64Url.EncodeToString(Mac(key, migrationId, specHash, expiry))}";
    }

    /// <summary>True when the token was issued with <paramref name="key"/> for this migration and spec hash and has
    /// not expired at <paramref name="time"/>'s now.</summary>
    public static bool Verify(ReadOnlySpan<byte> key, string? token, string migrationId, string specHash, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(migrationId);
        ArgumentNullException.ThrowIfNull(specHash);
        ArgumentNullException.ThrowIfNull(time);
        var dot = token?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (token is null || dot <= 0
            || !long.TryParse(token.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || !Base64Url.IsValid(token.AsSpan(dot + 1)))
        {
            return false;
        }

        var expiry = token[..dot];
        var given = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        var valid = CryptographicOperations.FixedTimeEquals(given, Mac(key, migrationId, specHash, expiry));
        return valid && time.GetUtcNow().ToUnixTimeSeconds() < seconds;
    }

    /// <summary>The fields are length-prefixed so no two different (migration, hash) pairs sign the same bytes.</summary>
    private static byte[] Mac(ReadOnlySpan<byte> key, string migrationId, string specHash, string expiry)
    {
        var message = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"flit-approve\n{migrationId.Length}:{migrationId}\n{specHash.Length}:{specHash}\n{expiry}"));
        return HMACSHA256.HashData(key, message);
    }
}
