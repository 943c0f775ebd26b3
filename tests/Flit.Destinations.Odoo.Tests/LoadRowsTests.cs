using Flit.Core.Destinations;
using Flit.Core.Records;

namespace Flit.Destinations.Odoo.Tests;

/// <summary>A load() call stays under Odoo's 128 MiB request body: its rows are cut by their text, file content counted as the base64 it becomes.</summary>
public sealed class LoadRowsTests
{
    private static DestinationRecord Attachment(int i, int bytes) =>
        new($"flit_acme.file_{i}", "attachment", i.ToString(System.Globalization.CultureInfo.InvariantCulture), "ir.attachment",
            new Dictionary<string, object?> { ["name"] = $"scan{i}.pdf", ["datas"] = new FileBytes(new byte[bytes]) }, [], string.Empty, new SourceLocation("attachments.csv", i + 2));

    [Fact]
    public void Slices_FilesWhoseBase64PassesTheCapTogether_GoInSeparateCalls()
    {
        // 3 × 18 MiB of bytes = 3 × 24 MiB of base64: two fit under 64 MiB of text, the third goes in a call of its own.
        var slices = LoadRows.Slices([.. Enumerable.Range(0, 3).Select(i => Attachment(i, 18 * 1024 * 1024))], 64L * 1024 * 1024).ToList();

        Assert.Equal([2, 1], slices.Select(s => s.Count));
    }
}
