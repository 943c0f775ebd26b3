using System.Security.Cryptography;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Flit.Activities.Reporting;

namespace Flit.Activities.Tests.Reporting;

public sealed class ReportPageTests
{
    private static IDocument Parse(RunReport report) => new HtmlParser().ParseDocument(ReportPage.Render(report));

    [Fact]
    public void Render_HostileValuesEverywhere_AppearAsTextAndAddNoElementOrAttribute()
    {
        var page = Parse(ReportSamples.Hostile());

        Assert.Empty(page.QuerySelectorAll("script, img, iframe, object, embed, link, base, form, meta[http-equiv='refresh']"));
        Assert.Single(page.QuerySelectorAll("svg"));
        Assert.DoesNotContain(page.All.SelectMany(e => e.Attributes), a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase));
        Assert.All(page.QuerySelectorAll("a[href]"), a => Assert.Matches("^(#[a-z-]+|report\\.csv|report\\.json)$", a.GetAttribute("href")!));
        foreach (var payload in Hostile.All)
        {
            Assert.Contains(payload, page.Body!.TextContent, StringComparison.Ordinal);
        }

        Assert.Equal("Migration m-" + Hostile.Script + " · report", page.Title);
    }

    [Fact]
    public void Render_ContentSecurityPolicy_AllowsOnlyThePagesOwnStyleSheetByItsHash()
    {
        var page = Parse(ReportSamples.With());

        var meta = Assert.Single(page.Head!.QuerySelectorAll("meta[http-equiv='Content-Security-Policy']"));
        var style = Assert.Single(page.QuerySelectorAll("style"));
        var directives = meta.GetAttribute("content")!.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style.TextContent)));
        Assert.Equal(["default-src 'none'", $"style-src 'sha256-{hash}'", "base-uri 'none'", "form-action 'none'"], directives);
        Assert.True(meta.CompareDocumentPosition(style).HasFlag(DocumentPositions.Following), "the policy must come before the style it allows");
        Assert.Empty(page.QuerySelectorAll("[style], script"));
    }

    [Fact]
    public void Render_AnyReport_LoadsNothing()
    {
        var page = Parse(ReportSamples.With(diff: [new FieldDifference("contact", "C1", "contacts.csv", 2, "x1", "website", "https://example.com/a.png", "https://example.com/a.png", true)]));

        Assert.DoesNotContain(page.All, e => e.HasAttribute("src") || e.HasAttribute("srcset") || e.HasAttribute("xlink:href"));
        Assert.Empty(page.QuerySelectorAll("link, script, img, iframe, object, embed, video, audio, source"));
    }

    [Fact]
    public void Render_SampleDiff_ShowsDifferingRecordsOpenWithTheRowMarkedAndFoldsMatchingOnes()
    {
        var page = Parse(ReportSamples.With(diff:
        [
            new FieldDifference("contact", "C1", "contacts.csv", 2, "x1", "name", "Ann Lee", "Ann Lee", true),
            new FieldDifference("contact", "C1", "contacts.csv", 2, "x1", "email", "ann@x.example", "", false),
            new FieldDifference("contact", "C2", "contacts.csv", 3, "x2", "name", "Bo Ek", "Bo Ek", true),
            new FieldDifference("contact", "C2", "contacts.csv", 3, "x2", "email", "bo@x.example", "bo@x.example", true),
        ]));

        var open = Assert.Single(page.QuerySelectorAll("#diff > table.diff"));
        var differing = Assert.Single(open.QuerySelectorAll("tr.differs"));
        Assert.Equal(["email", "ann@x.example", "(empty)"], differing.QuerySelectorAll("td").Select(td => td.TextContent));
        Assert.Equal(2, open.QuerySelectorAll("tbody tr").Length);
        var folded = Assert.Single(page.QuerySelectorAll("#diff details"));
        Assert.Contains("C2", Assert.Single(folded.QuerySelectorAll("table.diff")).QuerySelector("caption")!.TextContent, StringComparison.Ordinal);
        Assert.Null(folded.GetAttribute("open"));
    }

    [Fact]
    public void Render_Chart_HasOneBarPerFateThatHasRecords()
    {
        var page = Parse(ReportSamples.With(objects:
        [
            new ObjectCounts("company", "res.partner", 10, 10, 0, 0, 0),
            new ObjectCounts("note", "mail.message", 20, 15, 2, 1, 1, Unchanged: 1),
        ]));

        var bars = page.QuerySelectorAll("svg rect.bar").Select(r => r.ClassList.Single(c => c != "bar")).ToList();
        Assert.Equal(["created", "created", "updated", "unchanged", "failed", "skipped"], bars);
    }

    [Fact]
    public void Render_Groups_ShowCountKindFieldPatternAndEveryExample()
    {
        var group = new IssueGroup(IssueFates.Failed, "note", "required-value", "date", "date: '…' is not a date", 7,
            [new IssueExample("N1", "notes.csv", 2, "notes.csv, line 2, column 4: date: 'x' is not a date"), new IssueExample("N2", "notes.csv", 3, "notes.csv, line 3, column 4: date: 'y' is not a date")]);

        var page = Parse(ReportSamples.With(notLoadedGroups: [group]));

        var cells = Assert.Single(page.QuerySelectorAll("#not-loaded tbody tr")).QuerySelectorAll("td").Select(td => td.TextContent).ToList();
        Assert.Equal(["7", "note", "required-value", "date", "date: '…' is not a date"], cells.Take(5));
        Assert.Equal(2, page.QuerySelectorAll("#not-loaded ul.examples li").Length);
        Assert.Contains("notes.csv:3", cells[5], StringComparison.Ordinal);
        Assert.Equal("Not loaded: 7 in 1 group", page.QuerySelector("#not-loaded h2")!.TextContent);
    }
}
