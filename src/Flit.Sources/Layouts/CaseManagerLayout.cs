using Flit.Core.Sources;
using K = Flit.Core.Sources.ValueKind;
using static Flit.Sources.Layouts.LayoutBuilder;

namespace Flit.Sources.Layouts;

/// <summary>
/// CaseManager (casemanager.biz): the list exports of its Excel/CSV export screen. Names are free text, owners are
/// people's names (resolved to e-mails through the users list). See docs/sources/casemanager.md.
/// </summary>
public static class CaseManagerLayout
{
    public static SourceLayout Layout { get; } = new("casemanager", "CaseManager", "Australia/Sydney",
    [
        Obj("user", ["users.csv", "Users.xlsx"], ExportFormat.Csv, "Name", "Staff who own cases (Case Manager column).",
            Col("Name", K.Text, true, "User", "Full Name"), Col("Email", K.Email, true, "E-mail", "Email Address"), Col("Active", K.Boolean)),
        Obj("company", ["companies.csv", "Companies.xlsx"], ExportFormat.Csv, "Company ID", "Companies in the company list.",
            Col("Company ID", K.Text, true, "CompanyID", "Id"), Col("Company", K.Text, true, "Company Name", "Name"), Col("Location"), Col("Address"),
            Col("Suburb"), Col("State"), Col("Postcode"), Col("Country"), Col("Phone", K.Phone), Col("Website", K.Url), Col("Industry", K.Picklist),
            Col("Employees", K.Integer), Col("Annual Revenue", K.Decimal)),
        Obj("contact", ["contacts.csv", "Contacts.xlsx"], ExportFormat.Csv, "Contact ID", "Contacts (contact → location → company).",
            Col("Contact ID", K.Text, true, "ContactID", "Id"), Col("Name", K.Text, true, "Full Name", "Contact Name"), Ref("Company ID", "company"),
            Col("Company"), Col("Position", K.Text, false, "Job Title"), Col("Department"), Col("Email", K.Email, false, "E-mail"), Col("Phone", K.Phone),
            Col("Mobile", K.Phone), Col("Address"), Col("Suburb"), Col("State"), Col("Postcode"), Col("Country"), Col("Notes", K.LongText)),
        Obj("case", ["cases.csv", "Cases.xlsx", "case_list.xlsx"], ExportFormat.Csv, "Case No", "The case list.",
            Col("Case No", K.Text, true, "Case Number", "Case #", "Reference"), Col("Case Name", K.Text, true, "Title"), Col("Category", K.Picklist),
            Col("Status", K.Picklist, true), Col("Priority", K.Picklist), Ref("Client", "contact", false, "Client ID"),
            Ref("Case Manager", "user", false, "Owner", "Assigned To"), Col("Opened", K.Date, true, "Date Opened"), Col("Closed", K.Date, false, "Date Closed"),
            Col("Description", K.Html), Col("Estimated Value", K.Decimal)),
        Obj("case_contact", ["case_contacts.csv"], ExportFormat.Csv, "Link ID", "Contacts linked to cases with a role (Client — at least one —, Bill To, Referrer).",
            Col("Link ID", K.Text, true), Ref("Case No", "case", true), Ref("Contact ID", "contact", true), Col("Role", K.Picklist, true)),
        Obj("activity", ["activities.csv", "Activities.xlsx"], ExportFormat.Csv, "Activity ID", "Logged calls, e-mails and notes on cases.",
            Col("Activity ID", K.Text, true), Ref("Case No", "case", true), Col("Type", K.Picklist, true), Col("Date", K.DateTime, true),
            Ref("Author", "user"), Col("Subject"), Col("Body", K.Html), Col("Email From", K.Email), Col("Attachment", K.FilePath)),
        Obj("document", ["documents.csv", "Documents.xlsx"], ExportFormat.Csv, "Document ID", "Case documents; bytes at Path under the export folder.",
            Col("Document ID", K.Text, true), Ref("Case No", "case", true), Col("File Name", K.Text, true), Col("Title"), Col("Date", K.DateTime),
            Ref("Author", "user"), Col("Path", K.FilePath, true)),
        Obj("workflow", ["workflows.json", "automation_rules.json"], ExportFormat.Json, "id", "Workflows, assignment rules and automated triggers: rebuilt, not migrated.",
            Col("id", K.Text, true), Col("name", K.Text, true), Col("trigger"), Col("conditions"), Col("actions"), Col("active", K.Boolean)),
    ]);
}
