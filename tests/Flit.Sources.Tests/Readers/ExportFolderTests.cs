using Flit.Sources.Layouts;
using Flit.Sources.Readers;

namespace Flit.Sources.Tests.Readers;

/// <summary>An export folder the pair can read nothing from is refused before anything is staged, saying what it holds.</summary>
public sealed class ExportFolderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static void EnsureOncourse(string folder) => ExportFolder.EnsureReadable(folder, SourceLayouts.Get("oncourse"), "oncourse-odoo");

    [Fact]
    public void EnsureReadable_EmptyFolder_RefusedListingTheExpectedFiles()
    {
        Directory.CreateDirectory(Path.Combine(_folder.Path, "attachments")); // folders alone are still nothing to read

        var error = Assert.Throws<ExportFolderException>(() => EnsureOncourse(_folder.Path));

        Assert.Equal(_folder.Path, error.File);
        Assert.Contains($"The export folder {_folder.Path} is empty.", error.Message, StringComparison.Ordinal);
        Assert.Contains("contacts.csv, leads.csv", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureReadable_ArkCaseExportForOncourse_RefusedNamingWhatWasFoundAndTheLayoutItLooksLike()
    {
        _folder.WriteUtf8("acm_person.csv", "cm_person_id\n1\n");
        _folder.WriteUtf8("acm_case_file.csv", "cm_case_id\n1\n");
        _folder.WriteUtf8("readme.txt", "hello");
        _folder.WriteUtf8("files/100.pdf", "%PDF");

        var error = Assert.Throws<ExportFolderException>(() => EnsureOncourse(_folder.Path));

        Assert.Contains("holds no file of the Oncourse CRM export that the pair oncourse-odoo reads", error.Message, StringComparison.Ordinal);
        Assert.Contains("Found: acm_case_file.csv, acm_person.csv, readme.txt (4 files counting sub-folders).", error.Message, StringComparison.Ordinal);
        Assert.Contains("This looks like an ArkCase export (acm_case_file.csv, acm_person.csv): migrate it with the pair arkcase-odoo.", error.Message, StringComparison.Ordinal);
        Assert.Contains("The pair oncourse-odoo expects users.csv, contacts.csv", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureReadable_NoKnownFileAtAll_RefusedSayingSo()
    {
        _folder.WriteUtf8("export.csv", "a,b\n");

        var error = Assert.Throws<ExportFolderException>(() => EnsureOncourse(_folder.Path));

        Assert.Contains("None of them is a file of a known export layout (ArkCase, CaseManager, Oncourse CRM, Actimo).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureReadable_OneFileOfTheLayoutInAnyCase_Accepted()
    {
        _folder.WriteUtf8("CONTACTS.CSV", "Contact ID\n1\n");
        _folder.WriteUtf8("acm_person.csv", "cm_person_id\n1\n");

        EnsureOncourse(_folder.Path);
    }

    [Fact]
    public void EnsureReadable_ListingOfABlobPrefix_CheckedLikeAFolder()
    {
        var error = Assert.Throws<ExportFolderException>(() =>
            ExportFolder.EnsureReadable("drop/t/m1/", ["staff.csv", "workspaces.csv"], SourceLayouts.Get("arkcase"), "arkcase-odoo"));

        Assert.Contains("This looks like an Actimo export (staff.csv, workspaces.csv): migrate it with the pair actimo-odoo or actimo-dynamics.", error.Message, StringComparison.Ordinal);
    }
}
