using System.Security.Cryptography;
using System.Text;

namespace Flit.Activities.Reviewing;

/// <summary>
/// The HTTP headers the host sends with the review and report pages: a policy that lets the page's one style element
/// apply (by its hash) and nothing else run or load, and no caching, sniffing or referrer.
/// </summary>
public static class PageSecurity
{
    /// <summary>The Content-Security-Policy for a page whose only style element holds <paramref name="css"/>: no
    /// script-src at all, images only as data: URIs, forms only to the page's own origin.</summary>
    public static string ContentSecurityPolicy(string css)
    {
        ArgumentNullException.ThrowIfNull(css);
        return $"default-src 'none'; style-src {StyleHash(css)}; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    }

    /// <summary>The CSP source expression of a style element's text: <c>'sha256-…'</c>.</summary>
    public static string StyleHash(string css) => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(css)))}'";

    /// <summary>Every header the host copies onto the response of a page whose style element holds <paramref name="css"/>.</summary>
    public static IReadOnlyDictionary<string, string> Headers(string css) => new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["Content-Security-Policy"] = ContentSecurityPolicy(css),
        ["X-Content-Type-Options"] = "nosniff",
        ["Referrer-Policy"] = "no-referrer",
        ["Cache-Control"] = "no-store",
    };
}
