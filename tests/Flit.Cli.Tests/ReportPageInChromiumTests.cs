using System.Buffers.Binary;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Flit.Cli.Tests;

/// <summary>
/// report.html of a real run, opened in headless Chromium the way a person opens it from disk: the export's hostile
/// values show as text and none of them runs, the page renders, and its policy holds even against markup that
/// escaping missed.
/// </summary>
public sealed partial class ReportPageInChromiumTests(HostileRunFixture run) : IClassFixture<HostileRunFixture>
{
    private static IDocument Parse(string dom) => new HtmlParser().ParseDocument(dom);

    [Fact]
    public async Task ReportHtml_OfAnExportWithHostileNamesAndNotes_ShowsThemAsTextAndRunsNoneOfThem()
    {
        var rendered = await HeadlessChromium.DumpDomAsync(run.ReportHtml);

        var page = Parse(rendered.Dom);
        Assert.Equal("Migration hostile · report", page.Title);
        Assert.Empty(await run.Watcher.RequestsAsync());
        Assert.Empty(page.QuerySelectorAll("script, img, iframe, object, embed"));
        Assert.Single(page.QuerySelectorAll("svg"));
        Assert.DoesNotContain(page.All.SelectMany(e => e.Attributes), a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase));
        foreach (var payload in run.Payloads)
        {
            Assert.Contains(payload, page.Body!.TextContent, StringComparison.Ordinal);
        }

        // Not one policy violation: nothing was attempted, and the page's style sheet matched its hash.
        Assert.Empty(rendered.Console);
    }

    [Fact]
    public async Task ReportHtml_InHeadlessChromium_RendersToANonBlankScreenshot()
    {
        var png = Path.Combine(run.Root, "report.png");

        await HeadlessChromium.ScreenshotAsync(run.ReportHtml, png, 1280, 2000);

        var bytes = await File.ReadAllBytesAsync(png);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        Assert.Equal((1280, 2000), (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20))));
        // A blank page of this size compresses to under 10 KB; the report's text, tables and chart to far more.
        Assert.True(bytes.Length > 40_000, $"the screenshot is only {bytes.Length} bytes: the page looks blank");
        Assert.Empty(await run.Watcher.RequestsAsync());
    }

    [Fact]
    public async Task ReportHtml_WithMarkupThatSlippedPastEscaping_StaysInertUnderItsPolicy()
    {
        await using var watcher = new LoopbackWatcher();
        var canary = $"<script>document.title='canary';fetch('{watcher.BaseAddress}/script')</script><img src=\"{watcher.BaseAddress}/img\">";
        var html = (await File.ReadAllTextAsync(run.ReportHtml)).Replace("</body>", canary + "</body>", StringComparison.Ordinal);
        var withoutPolicy = Path.Combine(run.Root, "canary-without-policy.html");
        var withPolicy = Path.Combine(run.Root, "canary-with-policy.html");
        await File.WriteAllTextAsync(withoutPolicy, PolicyMeta().Replace(html, string.Empty));
        await File.WriteAllTextAsync(withPolicy, html);

        // Without the policy the canary runs and calls out: the checks below can see a script that runs.
        var unprotected = Parse((await HeadlessChromium.DumpDomAsync(withoutPolicy)).Dom);
        Assert.Equal("canary", unprotected.Title);
        var before = (await watcher.RequestsAsync()).Count;
        Assert.True(before > 0, "the canary's requests did not reach the watcher");

        var rendered = await HeadlessChromium.DumpDomAsync(withPolicy);

        Assert.Equal("Migration hostile · report", Parse(rendered.Dom).Title);
        Assert.Equal(before, (await watcher.RequestsAsync()).Count);
        Assert.Contains(rendered.Console, m => m.Contains("Executing inline script violates the following Content Security Policy", StringComparison.Ordinal));
        Assert.Contains(rendered.Console, m => m.Contains("Loading the image", StringComparison.Ordinal) && m.Contains("Content Security Policy", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"<meta http-equiv=""Content-Security-Policy""[^>]*>")]
    private static partial Regex PolicyMeta();
}
