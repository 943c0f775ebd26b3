using Flit.Core.Sources;
using K = Flit.Core.Sources.ValueKind;
using static Flit.Sources.Layouts.LayoutBuilder;

namespace Flit.Sources.Layouts;

/// <summary>
/// Oncourse CRM (UK sales CRM; no vendor documentation found, layout inferred): flat contacts carrying the
/// organisation as text, leads, deals with pipeline and stage names, free-text notes and tasks. No attachment
/// export. See docs/sources/oncourse.md.
/// </summary>
public static class OncourseLayout
{
    public static SourceLayout Layout { get; } = new("oncourse", "Oncourse CRM", "Europe/London",
    [
        Obj("user", ["users.csv"], ExportFormat.Csv, "Name", "CRM users (Owner / Assigned To columns hold their names).",
            Col("Name", K.Text, true, "User"), Col("Email", K.Email, true)),
        Obj("contact", ["contacts.csv"], ExportFormat.Csv, "Contact ID", "Contacts; the organisation is a text field (no company object).",
            Col("Contact ID", K.Text, true, "ID"), Col("First Name", K.Text, true, "Forename"), Col("Last Name", K.Text, true, "Surname"),
            Col("Organisation", K.Text, false, "Organization", "Company"), Col("Job Title"), Col("Email", K.Email), Col("Phone", K.Phone),
            Col("Mobile", K.Phone), Col("Address 1", K.Text, false, "Address"), Col("Town", K.Text, false, "City"), Col("County"), Col("Postcode"),
            Ref("Owner", "user"), Col("Tags", K.MultiValue), Col("Created Date", K.DateTime)),
        Obj("lead", ["leads.csv"], ExportFormat.Csv, "Lead ID", "Leads (same fields as contacts plus source, status, score).",
            Col("Lead ID", K.Text, true, "ID"), Col("First Name"), Col("Last Name"), Col("Organisation", K.Text, false, "Organization", "Company"),
            Col("Job Title"), Col("Email", K.Email), Col("Phone", K.Phone), Col("Mobile", K.Phone), Col("Address 1", K.Text, false, "Address"), Col("Town"),
            Col("County"), Col("Postcode"), Ref("Owner", "user"), Col("Tags", K.MultiValue), Col("Created Date", K.DateTime), Col("Lead Source", K.Picklist),
            Col("Status", K.Picklist), Col("Priority", K.Picklist), Col("Lead Score", K.Decimal)),
        Obj("pipeline_stage", ["pipelines.csv", "stages.csv"], ExportFormat.Csv, "Stage ID", "Pipelines and their stages, in order, with probabilities.",
            Col("Stage ID", K.Text, true), Col("Pipeline", K.Text, true), Col("Stage", K.Text, true), Col("Sequence", K.Integer), Col("Probability", K.Decimal)),
        Obj("deal", ["deals.csv"], ExportFormat.Csv, "Deal ID", "Deals with pipeline, stage name, value and status.",
            Col("Deal ID", K.Text, true, "ID"), Col("Deal Name", K.Text, true, "Name"), Ref("Contact ID", "contact"), Col("Organisation", K.Text, false, "Organization"),
            Col("Pipeline", K.Picklist), Col("Stage", K.Picklist), Col("Value", K.Decimal), Col("Currency", K.Picklist), Col("Expected Close Date", K.Date),
            Ref("Owner", "user"), Col("Status", K.Picklist), Col("Created Date", K.DateTime)),
        Obj("note", ["notes.csv"], ExportFormat.Csv, "Note ID", "Activity history as free-text notes on deals, leads or contacts.",
            Col("Note ID", K.Text, true), Col("Related To", K.Text, true), Col("Related Type", K.Picklist), Col("Date", K.DateTime, true),
            Ref("Author", "user"), Col("Body", K.Html, true)),
        Obj("task", ["tasks.csv"], ExportFormat.Csv, "Task ID", "Tasks, optionally linked to a deal.",
            Col("Task ID", K.Text, true), Col("Subject", K.Text, true), Col("Due Date", K.Date), Ref("Assigned To", "user"), Col("Status", K.Picklist),
            Col("Priority", K.Picklist), Ref("Related To", "deal")),
        Obj("attachment", ["attachments.csv"], ExportFormat.Csv, "Attachment ID", "Only when the client provides a manual export: Oncourse has no attachment export.",
            Col("Attachment ID", K.Text, true), Col("Related To", K.Text, true), Col("Related Type", K.Picklist), Col("File Name", K.Text, true),
            Col("Path", K.FilePath, true)),
    ]);
}
