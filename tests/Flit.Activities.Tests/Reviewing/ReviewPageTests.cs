using System.Text;
using AngleSharp.Html.Parser;
using Flit.Activities.Auditing;
using Flit.Activities.Proposing;
using Flit.Activities.Reviewing;
using Flit.Activities.Sources;
using Flit.Core.Workflow;
using Flit.Sources.Layouts;

namespace Flit.Activities.Tests.Reviewing;

/// <summary>The review page over what a real audit and proposal of a hostile export staged: the payloads are text,
/// the page carries no script, and the approve form posts the spec hash and the token.</summary>
public sealed class ReviewPageTests : IDisposable
{
    internal const string Script = "<script>window.__pwned=1;alert(1)</script>";
    internal const string Image = "<img src=x onerror=\"window.__pwned=2\">";
    internal const string Link = "javascript:window.__pwned=3";

    private readonly string _root = Directory.CreateTempSubdirectory("flit-review-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>Stages an Oncourse export whose unknown columns are named and filled with the payloads, audits and
    /// proposes it, and loads the review from the store.</summary>
    internal static async Task<ReviewModel> StageHostileAsync(string root)
    {
        static string Q(string v) => "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        await File.WriteAllTextAsync(Path.Combine(root, "users.csv"), "Name,Email\nAnn Lee,ann@acme.co.uk\n");
        var contacts = new StringBuilder($"Contact ID,First Name,Last Name,Organisation,Email,Owner,Created Date,{Q(Script)},{Q(Image)}\n");
        contacts.Append($"C1,{Q(Script)},{Q(Image)},Acme,ada@acme.co.uk,Ann Lee,{Q(Link)},{Q(Link)},{Q(Script)}\n");
        contacts.Append("C2,Jo,Ray,Acme,ada@acme.co.uk,Ann Lee,01/04/2023,").Append(Q(Image)).Append(",x").Append('\n');
        contacts.Append("C3,Sam,Ng,Acme,sam@acme.co.uk,Ann Lee,01/04/2023,").Append(Q(Script)).Append(",y").Append('\n');
        await File.WriteAllTextAsync(Path.Combine(root, "contacts.csv"), contacts.ToString());

        var store = new InMemoryStagingStore();
        await StagedFolder.CopyAsync(root, store, "m");
        var exports = new StagedExportFiles(store, _ => SourceLayouts.Get("oncourse"));
        var request = new MigrationRequest("m", "t", "oncourse-odoo", "drop", RunMode.Sample);
        await new AuditActivity(store, exports).RunAsync(new ActivityInput(request), CancellationToken.None);
        await new ProposeActivity(store, exports).RunAsync(new ActivityInput(request), CancellationToken.None);
        return await ReviewModel.LoadAsync(store, "m", CancellationToken.None);
    }


    [Fact]
    public async Task Render_OfAHostileExport_ShowsThePayloadsAsTextAndCarriesNoScript()
    {
        var model = await StageHostileAsync(_root);

        var html = ReviewPage.Render(model, "/api/migrations/m/approve", "tok<en>");

        var page = new HtmlParser().ParseDocument(html);
        Assert.Empty(page.QuerySelectorAll("script, img, iframe, object, embed, a[href^='javascript']"));
        Assert.DoesNotContain(page.All.SelectMany(e => e.Attributes), a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(page.All, e => e.HasAttribute("style"));
        Assert.Single(page.QuerySelectorAll("style"));
        foreach (var payload in new[] { Script, Image, Link })
        {
            Assert.Contains(payload, page.Body!.TextContent, StringComparison.Ordinal);
        }

        Assert.Contains(model.Proposals, p => p.Column == Script);
        var form = Assert.Single(page.QuerySelectorAll("form"));
        Assert.Equal(("post", "/api/migrations/m/approve"), (form.GetAttribute("method"), form.GetAttribute("action")));
        Assert.Equal(model.SpecHash, form.QuerySelector("input[name=specHash]")!.GetAttribute("value"));
        Assert.Equal("tok<en>", form.QuerySelector("input[name=token]")!.GetAttribute("value"));
        Assert.NotNull(form.QuerySelector("input[type=text][name=approvedBy]"));
        Assert.NotNull(form.QuerySelector("button[type=submit]"));
        Assert.Contains("No sample run yet.", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains(Core.Audit.FindingKinds.BadDate, page.QuerySelector("#findings")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_AfterPropose_HasTheHashOfTheStagedSpec()
    {
        var model = await StageHostileAsync(_root);

        Assert.Equal(Core.Mapping.MappingSpecLoader.Hash(model.Spec), model.SpecHash);
        Assert.NotNull(model.Audit);
        Assert.Null(model.Sample);
    }
}
