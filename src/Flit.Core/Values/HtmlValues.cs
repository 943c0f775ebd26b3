using System.Net;
using Ganss.Xss;

namespace Flit.Core.Values;

/// <summary>Note bodies as safe HTML: real HTML is sanitised (no scripts, handlers, styles); plain text is escaped.</summary>
public static class HtmlValues
{
    private static readonly ThreadLocal<HtmlSanitizer> Sanitizer = new(() =>
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedTags.Clear();
        foreach (var tag in new[] { "p", "br", "b", "strong", "i", "em", "u", "ul", "ol", "li", "a", "blockquote", "pre", "code", "h1", "h2", "h3", "h4", "table", "thead", "tbody", "tr", "td", "th", "span", "div" })
        {
            sanitizer.AllowedTags.Add(tag);
        }

        sanitizer.AllowedAttributes.Clear();
        sanitizer.AllowedAttributes.Add("href");
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.Add("http");
        sanitizer.AllowedSchemes.Add("https");
        sanitizer.AllowedSchemes.Add("mailto");
        return sanitizer;
    });

    /// <summary>Whether a value looks like HTML rather than text that happens to hold a '&lt;'.</summary>
    public static bool LooksLikeHtml(string? text) =>
        text is not null && text.Contains('<', StringComparison.Ordinal) && text.Contains('>', StringComparison.Ordinal)
        && System.Text.RegularExpressions.Regex.IsMatch(text, "</?[a-zA-Z][a-zA-Z0-9]*(\\s[^>]*)?/?>");

    public static string? ToSafeHtml(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (LooksLikeHtml(text))
        {
            return Sanitizer.Value!.Sanitize(text).Trim();
        }

        var paragraphs = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Trim()
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(p => "<p>" + WebUtility.HtmlEncode(p.Trim()).Replace("\n", "<br>", StringComparison.Ordinal) + "</p>");
        return string.Concat(paragraphs);
    }
}
