namespace Flit.Activities.Reporting;

/// <summary>
/// The report page's one style sheet and its Content-Security-Policy. The page is opened from disk, mailed and
/// archived, and it shows values from a client's export: the policy allows that one style sheet (by its hash) and
/// nothing else, so even a value that escaped escaping could neither run a script nor load anything.
/// </summary>
public static class ReportStyle
{
    /// <summary>Only classes, never style attributes: the policy blocks inline style attributes.</summary>
    public const string Css = """
        :root{--created:#2e7d32;--updated:#1565c0;--unchanged:#90a4ae;--failed:#c62828;--skipped:#f9a825;--conflict:#6a1b9a;--line:#d7dde3;--soft:#f4f6f8}
        *{box-sizing:border-box}
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2630;margin:0 auto;padding:24px 32px 48px;max-width:1280px}
        h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:15px;margin:20px 0 6px}
        .facts{color:#52606d;margin:0 0 8px}.totals{font-size:15px;margin:8px 0}
        nav a{margin-right:14px;color:var(--updated)}
        table{border-collapse:collapse;margin:6px 0 12px;width:100%}
        th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
        th{background:var(--soft);font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
        .value{white-space:pre-wrap;overflow-wrap:anywhere;max-height:9em;overflow:auto}
        .empty{color:#8a96a3;font-style:italic}
        ul.examples{margin:0;padding-left:18px}ul.examples li{overflow-wrap:anywhere}
        .kind{white-space:nowrap}
        table.diff{table-layout:fixed}table.diff th:first-child{width:22%}
        table.diff caption{text-align:left;font-weight:600;padding:4px 0}
        tr.differs td{background:#fdecea}tr.differs td:first-child{border-left:4px solid var(--failed)}
        details{margin:6px 0 12px}summary{cursor:pointer;color:var(--updated)}
        .chart{max-width:900px}.chart text{font-size:12px;fill:#1d2630}
        .bar.created{fill:var(--created)}.bar.updated{fill:var(--updated)}.bar.unchanged{fill:var(--unchanged)}.bar.failed{fill:var(--failed)}.bar.skipped{fill:var(--skipped)}.bar.conflict{fill:var(--conflict)}
        .legend span{display:inline-block;margin-right:14px}.swatch{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}
        .swatch.created{background:var(--created)}.swatch.updated{background:var(--updated)}.swatch.unchanged{background:var(--unchanged)}.swatch.failed{background:var(--failed)}.swatch.skipped{background:var(--skipped)}.swatch.conflict{background:var(--conflict)}
        .ok{color:var(--created)}.bad{color:var(--failed);font-weight:600}
        footer{margin-top:32px;color:#52606d}
        """;

    /// <summary>
    /// Nothing but the style sheet above: no script, image, font, frame or connection, no &lt;base&gt; and no form
    /// target. The chart is inline SVG, which is markup, not a load. (frame-ancestors cannot be set from a meta tag.)
    /// </summary>
    public static string ContentSecurityPolicy { get; } =
        $"default-src 'none'; style-src {Reviewing.PageSecurity.StyleHash(Css)}; base-uri 'none'; form-action 'none'";
}
