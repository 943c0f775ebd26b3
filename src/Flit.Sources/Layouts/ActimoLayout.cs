using Flit.Core.Sources;
using K = Flit.Core.Sources.ValueKind;
using static Flit.Sources.Layouts.LayoutBuilder;

namespace Flit.Sources.Layouts;

/// <summary>
/// Actimo (employee engagement; no public bulk API, so UI exports): the documented staff file, workspaces and
/// memberships, engagement exports as XLSX (inferred), messages and social posts, and definition files for what
/// must be rebuilt. See docs/sources/actimo.md.
/// </summary>
public static class ActimoLayout
{
    public static SourceLayout Layout { get; } = new("actimo", "Actimo", "Europe/Copenhagen",
    [
        Obj("workspace", ["workspaces.csv"], ExportFormat.Csv, "Workspace ID", "Workspaces (organisational units, used as companies).",
            Col("Workspace ID", K.Text, true, "id"), Col("Name", K.Text, true, "Workspace"), Col("Industry", K.Picklist), Col("Company Size", K.Integer),
            Col("Domain", K.Url), Col("Location"), Col("Description", K.LongText), Col("Tags", K.MultiValue), Ref("Parent Workspace ID", "workspace")),
        Obj("staff", ["staff.csv", "staff.xlsx", "users.csv"], ExportFormat.Csv, "Unique ID", "The staff file: full snapshot with a never-changing Unique ID.",
            Col("Unique ID", K.Text, true, "user_id", "Employee ID"), Col("First Name", K.Text, true, "first_name"), Col("Last Name", K.Text, true, "last_name"),
            Col("Email", K.Email, false, "email"), Col("Mobile", K.Phone, false, "msisdn", "phone_number"), Col("Country Code", K.Text, false, "country_code"),
            Col("Title", K.Text, false, "Job Title"), Col("Department"), Col("Company"), Ref("Workspace ID", "workspace"),
            Ref("manager_id", "staff", false, "Manager ID", "Manager"), Col("Address Line 1", K.Text, false, "addr_line_1"), Col("City", K.Text, false, "addr_city"),
            Col("Zip", K.Text, false, "addr_zip"), Col("Country", K.Text, false, "addr_country"), Col("Timezone", K.Text, false, "timezone"),
            Col("Opt Out", K.Boolean, false, "opt_out"), Col("Created At", K.DateTime, false, "created_at", "Join Date"), Col("Tags", K.MultiValue, false, "tags"),
            Col("Engagement Score", K.Decimal), Col("NPS Score", K.Integer), Col("Badges", K.MultiValue), Col("Workspace Admin", K.Boolean)),
        Obj("membership", ["workspace_memberships.csv", "memberships.csv"], ExportFormat.Csv, "Membership ID", "Which staff belong to which workspaces (primary first).",
            Col("Membership ID", K.Text, true), Ref("Unique ID", "staff", true), Ref("Workspace ID", "workspace", true), Col("Role", K.Picklist),
            Col("Primary", K.Boolean), Col("Start Date", K.Date)),
        Obj("survey_response", ["pulse_survey_responses.xlsx", "survey_responses.xlsx", "survey_responses.csv"], ExportFormat.Xlsx, "Response ID", "Pulse survey answers (inferred layout).",
            Col("Response ID", K.Text, true), Col("Survey", K.Text, true), Col("Question", K.Text, true), Ref("Respondent ID", "staff"), Col("Department"),
            Col("Answer"), Col("Score", K.Decimal), Col("Anonymous", K.Boolean), Col("Answered At", K.DateTime, true)),
        Obj("learning_completion", ["learning_completions.xlsx", "learning.xlsx", "learning_completions.csv"], ExportFormat.Xlsx, "Completion ID", "Learning path module completions (inferred layout).",
            Col("Completion ID", K.Text, true), Col("Path", K.Text, true), Col("Module", K.Text, true), Ref("User", "staff", true), Col("Completed At", K.DateTime, true),
            Col("Score", K.Decimal), Col("Passed", K.Boolean), Col("Quiz Answers", K.LongText)),
        Obj("training_enrollment", ["training_enrollments.xlsx", "training_enrollments.csv"], ExportFormat.Xlsx, "Enrollment ID", "Training enrollments (inferred layout).",
            Col("Enrollment ID", K.Text, true), Col("Course", K.Text, true), Ref("User", "staff", true), Col("Enrolled At", K.DateTime), Col("Completed At", K.DateTime),
            Col("Status", K.Picklist), Col("Quiz Score", K.Decimal)),
        Obj("message", ["messages.csv"], ExportFormat.Csv, "Message ID", ["Recipient ID"], "Announcements and news posts, one row per recipient: the Message ID repeats on every recipient's row.",
            Col("Message ID", K.Text, true), Col("Title"), Col("Body", K.Html, true), Ref("Sender", "staff"), Ref("Recipient ID", "staff", true),
            Col("Sent At", K.DateTime, true), Col("Media", K.FilePath)),
        Obj("group_post", ["group_posts.csv", "social_wall.csv"], ExportFormat.Csv, "Post ID", "Group chats and social wall posts.",
            Col("Post ID", K.Text, true), Col("Group", K.Text, true), Ref("Author ID", "staff", true), Col("Body", K.Html, true), Col("Posted At", K.DateTime, true),
            Ref("Reply To", "group_post")),
        Obj("learning_path", ["learning_paths.json"], ExportFormat.Json, "id", "Learning path definitions (modules in order): rebuilt, not migrated.",
            Col("id", K.Text, true), Col("name", K.Text, true), Col("modules"), Col("required", K.Boolean)),
        Obj("pulse_survey", ["pulse_surveys.json"], ExportFormat.Json, "id", "Pulse survey structures (questions, scales, schedule): rebuilt, not migrated.",
            Col("id", K.Text, true), Col("name", K.Text, true), Col("questions"), Col("schedule")),
        Obj("onboarding_flow", ["onboarding_flows.json"], ExportFormat.Json, "id", "Onboarding flows (steps, triggers): rebuilt, not migrated.",
            Col("id", K.Text, true), Col("name", K.Text, true), Col("steps"), Col("trigger")),
    ]);
}
