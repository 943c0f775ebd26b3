using System.Globalization;
using System.Text;
using Flit.Core.Sources;

namespace Flit.Sources.Layouts;

/// <summary>
/// Renders a layout as the document people read (docs/sources/&lt;system&gt;.md), so the document is always
/// what the code accepts; a test fails when they differ.
/// </summary>
public static class LayoutDocument
{
    private static readonly Dictionary<string, string> Notes = new(StringComparer.Ordinal)
    {
        ["arkcase"] = """
            ArkCase is open source; the tables and columns below follow its data model (`acm_*` tables, `cm_` column
            prefix, `CaseFile.java`, `FOIARequest.java`, `Person.java`; facts/source-exports.md). **Documented**: the
            `acm_*` columns and the REST/Solr task and calendar shapes. **Inferred**: the file names of a table export,
            the joined default-address columns on persons and organizations (the person report shows the default
            address's values, not the pointer id), `cm_parent_organization_id`, `cm_file_path`, and the `workflows/`
            folder with one `.bpmn` file per process and an `index.csv`.

            - Ids are sequence numbers (≥ 100). Users are referenced by their user id (`ann-acm`); `acm_user.csv` gives
              their e-mail, which is how owners resolve to destination users.
            - Notes, files, tasks and parties hang off cases, complaints, persons or organizations: the parent is
              `*_parent_object_id` (or `parentObjectId`) plus its type (`CASE_FILE`, `COMPLAINT`, `PERSON`, `ORGANIZATION`).
            - FOIA requests are rows of `acm_case_file.csv` with `cm_class_name = FOIARequest` and the `fo_` columns.
            - Attachments: `acm_file.csv` lists the active version of each document; its bytes are at `cm_file_path`
              under the export folder.
            - Times are local to the agency (`America/New_York` unless the migration says otherwise); ISO 8601 or
              `yyyy-MM-dd HH:mm:ss`; slash dates are read month first unless a file proves otherwise.
            """,
        ["casemanager"] = """
            Several products carry the name; this is casemanager.biz (Australian), whose list screens export to
            Excel/CSV. **Documented**: contacts live in a company list (contact → location → company) and link to cases
            with roles (a client — at least one —, Bill To, Referrer); the case list exports. **Inferred**: the file
            names and exact columns below (facts/source-exports.md).

            - Owners ("Case Manager", "Author") are people's names; `users.csv` maps each name to an e-mail.
            - Contact names are one field (`Name`), split into first and last name by the mapping.
            - Documents: `documents.csv` with a `Path` under the export folder for each file.
            - Dates are `dd/MM/yyyy` (Australian), times local to `Australia/Sydney`.
            """,
        ["oncourse"] = """
            Oncourse CRM (UK sales CRM): no vendor documentation of its exports was found; the layout is **inferred**
            from the product's known shape (facts/source-exports.md): the organisation is a text field on the contact
            (no company object), activity history is free-text notes, deals carry pipeline and stage names.

            - Companies are extracted from contacts' `Organisation` (one company per distinct name, legal form and
              punctuation ignored).
            - Owners are user names; `users.csv` maps them to e-mails. Notes point at a deal, lead or contact by
              `Related To` + `Related Type`.
            - There is no attachment export: `attachments.csv` exists only when the client provides files by hand.
            - Dates are `dd/MM/yyyy` (UK), times local to `Europe/London`.
            """,
        ["actimo"] = """
            Actimo has no public bulk API; data comes from UI exports. **Documented**: the staff file (full snapshot,
            never-changing Unique ID, separate first and last names, mobile with or without country code,
            `manager_id` holding the manager's Unique ID, up to 20 custom fields) and the contact fields of the API.
            **Inferred**: the survey, learning and training exports (XLSX), workspaces and memberships, messages,
            group posts, and the JSON definitions of learning paths, pulse surveys and onboarding flows, which feed
            rebuild packages (facts/source-exports.md).

            - Owners are managers: `manager_id` → the manager's staff row → e-mail.
            - Anonymous survey responses have no `Respondent ID`.
            - Times are ISO 8601 UTC (`...Z`), local zone `Europe/Copenhagen` otherwise.
            """,
    };

    public static string ToMarkdown(SourceLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(c, $"# {layout.DisplayName} export layout\n\n");
        text.Append("<!-- Generated from src/Flit.Sources/Layouts by LayoutDocument; a test keeps it equal to the code. -->\n\n");
        text.Append(Notes.GetValueOrDefault(layout.System, string.Empty).Trim()).Append("\n\n");
        text.Append("## Files the engine accepts\n\n");
        text.Append("Any of the file names listed for an object is accepted (case-insensitive). CSV files may be UTF-8 (with or without BOM), UTF-16 or Windows-1252, `,` `;` or tab delimited, with quoted multi-line fields; headers match ignoring case, spacing and punctuation, and the aliases below. Columns not listed are kept and proposed as custom fields.\n\n");
        text.Append("| object | files | format | key | description |\n|---|---|---|---|---|\n");
        foreach (var obj in layout.Objects)
        {
            text.Append(c, $"| `{obj.Name}` | {string.Join(", ", obj.FileNames.Select(f => $"`{f}`"))} | {obj.Format} | `{obj.KeyDescription}` | {obj.Description} |\n");
        }

        foreach (var obj in layout.Objects)
        {
            text.Append(c, $"\n## `{obj.Name}`\n\n{obj.Description}\n\n| column | kind | required | references | also accepted as |\n|---|---|---|---|---|\n");
            foreach (var column in obj.Columns)
            {
                var aliases = column.Aliases is { Count: > 0 } a ? string.Join(", ", a.Select(x => $"`{x}`")) : string.Empty;
                text.Append(c, $"| `{column.Name}` | {column.Kind} | {(column.Required ? "yes" : string.Empty)} | {(column.References is null ? string.Empty : $"`{column.References}`")} | {aliases} |\n");
            }
        }

        return text.ToString();
    }
}
