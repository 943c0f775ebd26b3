using System.Globalization;
using System.Text;
using static System.Net.WebUtility;

namespace Flit.Activities.Reporting;

/// <summary>
/// Where each object's records ended, as one stacked bar per object in inline SVG: markup the page carries itself,
/// so the chart needs no script and no image load (the page's policy allows neither).
/// </summary>
internal static class CountsChart
{
    private const int LabelWidth = 150;
    private const int BarWidth = 600;
    private const int TotalWidth = 70;
    private const int RowHeight = 24;
    private const int BarHeight = 16;

    /// <summary>The fates in the order the bars stack them, with the CSS class that colours them.</summary>
    internal static readonly (string Name, Func<ObjectCounts, long> Count)[] Fates =
    [
        ("created", c => c.Created),
        ("updated", c => c.Updated),
        ("unchanged", c => c.Unchanged),
        ("failed", c => c.Failed),
        ("skipped", c => c.Skipped),
        ("conflict", c => c.Conflicts),
    ];

    public static string Svg(IReadOnlyList<ObjectCounts> objects)
    {
        var culture = CultureInfo.InvariantCulture;
        var largest = Math.Max(1, objects.Count == 0 ? 1 : objects.Max(o => o.Source));
        var width = LabelWidth + BarWidth + TotalWidth;
        var height = Math.Max(1, objects.Count) * RowHeight + 4;
        var svg = new StringBuilder();
        svg.Append(culture, $"<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"Records per object: created, updated, unchanged, failed, skipped and left as edited in the destination\">\n");
        for (var row = 0; row < objects.Count; row++)
        {
            var counts = objects[row];
            var y = row * RowHeight + 2;
            svg.Append(culture, $"<text x=\"{LabelWidth - 8}\" y=\"{y + BarHeight - 3}\" text-anchor=\"end\">{HtmlEncode(counts.SourceObject)}</text>\n");
            double x = LabelWidth;
            foreach (var (name, count) in Fates)
            {
                var value = count(counts);
                if (value == 0)
                {
                    continue;
                }

                // A fate of a few records among thousands still shows: at least one pixel wide.
                var w = Math.Max(1.0, value * (double)BarWidth / largest);
                svg.Append(culture, $"<rect class=\"bar {name}\" x=\"{x:0.##}\" y=\"{y}\" width=\"{w:0.##}\" height=\"{BarHeight}\"><title>{HtmlEncode(counts.SourceObject)}: {value:N0} {name}</title></rect>\n");
                x += w;
            }

            svg.Append(culture, $"<text x=\"{x + 6:0.##}\" y=\"{y + BarHeight - 3}\">{counts.Source:N0}</text>\n");
        }

        return svg.Append("</svg>\n").ToString();
    }
}
