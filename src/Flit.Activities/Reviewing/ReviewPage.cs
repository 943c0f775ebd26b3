using System.Globalization;
using System.Text;
using Flit.Activities.Reporting;
using static System.Net.WebUtility;

namespace Flit.Activities.Reviewing;

/// <summary>
/// The page a client's admin reads before approving a mapping: the proposed mapping (default fields and proposals),
/// the audit's findings, the sample run's field-level diff when there is one, and the approve form. Self-contained,
/// no JavaScript; every value from the export is HTML-encoded, and the host serves it with
/// <see cref="PageSecurity.Headers"/> of <see cref="Css"/>.
/// </summary>
public static class ReviewPage
{
    /// <summary>The page's one style element (the report's sheet: classes only, no style attributes).</summary>
    public static string Css => ReportStyle.Css;

    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    /// <param name="model">The staged artefacts.</param>
    /// <param name="approveUrl">Where the form posts (same origin: the policy allows only 'self').</param>
    /// <param name="token">The anti-forgery token (<see cref="ApprovalFormToken.Issue"/>).</param>
    public static string Render(ReviewModel model, string approveUrl, string token)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(approveUrl);
        ArgumentNullException.ThrowIfNull(token);
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"referrer\" content=\"no-referrer\">\n")
            .Append("<title>Migration ").Append(HtmlEncode(model.MigrationId)).Append(" · review</title>\n")
            .Append("<style>").Append(Css).Append("</style>\n</head>\n<body>\n<header>\n<h1>Review the mapping of ").Append(HtmlEncode(model.MigrationId)).Append("</h1>\n")
            .Append(Culture, $"<p class=\"facts\">{HtmlEncode(model.Spec.Pair)} v{model.Spec.Version} · spec <code id=\"spec-hash\">{HtmlEncode(model.SpecHash)}</code></p>\n</header>\n");
        Mapping(page, model);
        Findings(page, model);
        Sample(page, model);
        page.Append("<section id=\"approve\">\n<h2>Approve</h2>\n<p>Approving pins the spec above by its hash: nothing is written to the destination before.</p>\n")
            .Append("<form method=\"post\" action=\"").Append(HtmlEncode(approveUrl)).Append("\">\n")
            .Append("<input type=\"hidden\" name=\"specHash\" value=\"").Append(HtmlEncode(model.SpecHash)).Append("\">\n")
            .Append("<input type=\"hidden\" name=\"token\" value=\"").Append(HtmlEncode(token)).Append("\">\n")
            .Append("<label>Approved by <input type=\"text\" name=\"approvedBy\" required autocomplete=\"name\"></label>\n")
            .Append("<button type=\"submit\">Approve this mapping</button>\n</form>\n</section>\n</body>\n</html>\n");
        return page.ToString();
    }

    private static void Mapping(StringBuilder page, ReviewModel model)
    {
        page.Append("<section id=\"mapping\">\n<h2>Proposed mapping</h2>\n<table>\n<thead><tr><th>source object</th><th>source field</th><th>target field</th><th>type</th><th class=\"n\">confidence</th><th>reason</th></tr></thead>\n<tbody>\n");
        foreach (var o in model.Spec.Migrated)
        {
            foreach (var f in o.Fields.Where(f => f.Proposal is null))
            {
                var from = f.From.Count == 0 ? $"= {f.Value}" : string.Join(", ", f.From);
                Row(page, o.Source, from, $"{o.Target}.{f.To}", f.Custom?.Type ?? f.Transform, null, "default mapping");
            }
        }

        foreach (var p in model.Proposals)
        {
            Row(page, p.Object, p.Column, $"{p.Model}.{p.Field}", p.Type, p.Confidence, (p.Included ? "proposed: " : "not included (below threshold): ") + p.Reason);
        }

        page.Append("</tbody>\n</table>\n</section>\n");
    }

    private static void Row(StringBuilder page, string obj, string from, string to, string type, double? confidence, string reason) =>
        page.Append("<tr><td>").Append(HtmlEncode(obj)).Append("</td><td><code>").Append(HtmlEncode(from)).Append("</code></td><td><code>").Append(HtmlEncode(to))
            .Append("</code></td><td>").Append(HtmlEncode(type)).Append("</td><td class=\"n\">").Append(confidence?.ToString("0.00", Culture) ?? "—")
            .Append("</td><td>").Append(HtmlEncode(reason)).Append("</td></tr>\n");

    private static void Findings(StringBuilder page, ReviewModel model)
    {
        page.Append("<section id=\"findings\">\n<h2>Audit findings</h2>\n");
        if (model.Audit is null)
        {
            page.Append("<p class=\"empty\">No audit yet.</p>\n</section>\n");
            return;
        }

        page.Append("<table>\n<thead><tr><th>kind</th><th>severity</th><th>object</th><th class=\"n\">count</th><th>example</th></tr></thead>\n<tbody>\n");
        foreach (var f in model.Audit.Findings)
        {
            var first = f.Records.Count > 0 ? f.Records[0] : null;
            var example = first is null ? f.Message : $"{first.SourceId} {first.File}:{first.Line} {first.Value}";
            page.Append("<tr><td><code>").Append(HtmlEncode(f.Kind)).Append("</code></td><td>").Append(HtmlEncode(f.Severity.ToString().ToLowerInvariant()))
                .Append("</td><td>").Append(HtmlEncode(first?.Object ?? string.Empty)).Append(Culture, $"</td><td class=\"n\">{f.Count:N0}</td><td>")
                .Append(HtmlEncode(example)).Append("</td></tr>\n");
        }

        page.Append("</tbody>\n</table>\n</section>\n");
    }

    private static void Sample(StringBuilder page, ReviewModel model)
    {
        page.Append("<section id=\"sample\">\n<h2>Sample run</h2>\n");
        if (model.Sample is null)
        {
            page.Append("<p class=\"empty\">No sample run yet.</p>\n</section>\n");
            return;
        }

        page.Append("<table>\n<thead><tr><th>object</th><th>record</th><th>field</th><th>expected</th><th>in the destination</th></tr></thead>\n<tbody>\n");
        foreach (var d in model.Sample.Diff)
        {
            page.Append(d.Matches ? "<tr>" : "<tr class=\"differs\">").Append("<td>").Append(HtmlEncode(d.SourceObject)).Append("</td><td>").Append(HtmlEncode(d.SourceId))
                .Append("</td><td><code>").Append(HtmlEncode(d.Field)).Append("</code></td><td>").Append(HtmlEncode(d.Expected)).Append("</td><td>")
                .Append(HtmlEncode(d.Actual)).Append("</td></tr>\n");
        }

        page.Append("</tbody>\n</table>\n</section>\n");
    }
}
