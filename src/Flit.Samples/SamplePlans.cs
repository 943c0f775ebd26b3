namespace Flit.Samples;

/// <summary>A parent whose type is named by another column (ArkCase notes hang off cases, persons…).</summary>
internal sealed record PolymorphicColumns(string IdColumn, string TypeColumn, IReadOnlyDictionary<string, string> TypeToObject);

/// <summary>How big each object is relative to the main one, and the product-specific vocabulary.</summary>
internal sealed record SamplePlan(
    string System,
    IReadOnlyDictionary<string, double> Ratios,
    IReadOnlyDictionary<string, int> Fixed,
    IReadOnlyDictionary<string, PolymorphicColumns> Polymorphic,
    IReadOnlyDictionary<string, string[]> Picklists,
    string OwnerObject,
    string DateFormat,
    string DateTimeFormat,
    IReadOnlySet<string> OwnerColumns);

internal static class SamplePlans
{
    private static readonly Dictionary<string, string[]> CommonPicklists = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Priority"] = ["Low", "Medium", "High", "Critical"],
        ["Currency"] = ["GBP", "EUR", "USD"],
        ["Industry"] = ["Retail", "Logistics", "Healthcare", "Public sector", "Manufacturing", "Hospitality"],
        ["Role"] = ["Member", "Admin", "Manager"],
    };

    public static SamplePlan For(string system) => system switch
    {
        "arkcase" => new SamplePlan("arkcase",
            Ratios(("user", 0.02), ("organization", 0.2), ("person", 1), ("person_org_assoc", 0.8), ("contact_method", 0.5), ("postal_address", 0.3),
                ("case_file", 0.5), ("complaint", 0.2), ("person_assoc", 0.6), ("task", 0.5), ("calendar_event", 0.1), ("note", 1), ("file", 0.2)),
            new Dictionary<string, int> { ["workflow"] = 3 },
            new Dictionary<string, PolymorphicColumns>
            {
                ["note"] = new("cm_parent_object_id", "cm_parent_object_type", Map(("CASE_FILE", "case_file"), ("COMPLAINT", "complaint"), ("PERSON", "person"), ("ORGANIZATION", "organization"))),
                ["task"] = new("parentObjectId", "parentObjectType", Map(("CASE_FILE", "case_file"), ("COMPLAINT", "complaint"))),
                ["file"] = new("cm_parent_object_id", "cm_parent_object_type", Map(("CASE_FILE", "case_file"), ("COMPLAINT", "complaint"), ("PERSON", "person"))),
                ["person_assoc"] = new("cm_person_assoc_parent_id", "cm_person_assoc_parent_type", Map(("CASE_FILE", "case_file"), ("COMPLAINT", "complaint"))),
                ["calendar_event"] = new("objectId", "objectType", Map(("CASE_FILE", "case_file"), ("COMPLAINT", "complaint"))),
            },
            Picklists(
                ("cm_case_status", ["DRAFT", "ACTIVE", "IN APPROVAL", "APPROVED", "CLOSED"]), ("cm_complaint_status", ["DRAFT", "ACTIVE", "CLOSED"]),
                ("cm_case_priority", ["Low", "Medium", "High", "Expedite"]), ("cm_complaint_priority", ["Low", "Medium", "High"]),
                ("cm_class_name", ["CaseFile", "CaseFile", "CaseFile", "FOIARequest"]), ("cm_case_type", ["General", "Investigation", "Benefits"]),
                ("cm_complaint_type", ["Noise", "Billing", "Conduct", "Safety"]), ("cm_person_assoc_person_type", ["Initiator", "Complaintant", "Subject", "Witness"]),
                ("cm_person_title", ["Mr", "Ms", "Dr", "Mrs"]), ("cm_person_status", ["ACTIVE", "INACTIVE"]), ("cm_organization_type", ["Corporation", "Government", "Non-profit"]),
                ("status", ["ACTIVE", "CLOSED"]), ("priority", ["LOW", "NORMAL", "HIGH"]), ("cm_contact_type", ["Mobile Phone", "Personal E-mail", "office phone"]),
                ("fo_request_type", ["New Request", "Appeal"]), ("cm_note_type", ["GENERAL"]), ("cm_file_type", ["Correspondence", "Evidence"]),
                ("cm_user_state", ["VALID", "INVALID"]), ("cm_file_active_version_mime_type", ["application/pdf", "image/png", "text/plain"])),
            "user", "yyyy-MM-dd", "yyyy-MM-dd HH:mm:ss", Set("cm_case_assignee", "cm_complaint_assignee", "assignee")),
        "casemanager" => new SamplePlan("casemanager",
            Ratios(("user", 0.02), ("company", 0.2), ("contact", 1), ("case", 0.5), ("case_contact", 0.6), ("activity", 1), ("document", 0.2)),
            new Dictionary<string, int> { ["workflow"] = 3 },
            new Dictionary<string, PolymorphicColumns>(),
            Picklists(("Status", ["Open", "Pending", "In Review", "Closed", "Closed Won"]), ("Category", ["Employment", "Family", "Property", "Commercial"]),
                ("Type", ["Call", "Email", "Note"]), ("Role", ["Client", "Bill To", "Referrer"])),
            "user", "dd/MM/yyyy", "dd/MM/yyyy HH:mm", Set("Case Manager")),
        "oncourse" => new SamplePlan("oncourse",
            Ratios(("user", 0.02), ("contact", 1), ("lead", 0.5), ("deal", 0.4), ("note", 1), ("task", 0.3), ("attachment", 0.05)),
            new Dictionary<string, int> { ["pipeline_stage"] = 6 },
            new Dictionary<string, PolymorphicColumns>
            {
                ["note"] = new("Related To", "Related Type", Map(("Deal", "deal"), ("Lead", "lead"), ("Contact", "contact"))),
                ["attachment"] = new("Related To", "Related Type", Map(("Deal", "deal"), ("Contact", "contact"))),
            },
            Picklists(("Stage", Stages), ("Pipeline", ["Sales", "Renewals"]), ("Status", ["Open", "Won", "Lost"]), ("Lead Source", ["Web", "Referral", "Event", "Cold call"]),
                ("Related Type", ["Deal", "Lead", "Contact"])),
            "user", "dd/MM/yyyy", "dd/MM/yyyy HH:mm", Set("Owner")),
        "actimo" => new SamplePlan("actimo",
            Ratios(("workspace", 0.02), ("staff", 1), ("membership", 1.2), ("survey_response", 1), ("learning_completion", 0.5), ("training_enrollment", 0.4),
                ("message", 0.5), ("group_post", 0.3)),
            new Dictionary<string, int> { ["learning_path"] = 3, ["pulse_survey"] = 2, ["onboarding_flow"] = 2 },
            new Dictionary<string, PolymorphicColumns>(),
            Picklists(("Status", ["Enrolled", "In progress", "Completed"]), ("Survey", ["Weekly pulse", "eNPS Q3", "Safety check"]),
                ("Path", ["Safety basics", "Customer care", "Onboarding"]), ("Group", ["Warehouse A", "Night shift", "All staff"])),
            "staff", "yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ssZ", Set("manager_id")),
        _ => throw new ArgumentException($"No sample plan for '{system}'. Systems: arkcase, casemanager, oncourse, actimo.", nameof(system)),
    };

    public static readonly string[] Stages = ["Prospecting", "Qualification", "Proposal", "Negotiation", "Closed Won", "Closed Lost"];

    public static string[]? PicklistFor(SamplePlan plan, string column) =>
        plan.Picklists.TryGetValue(column, out var values) ? values : CommonPicklists.GetValueOrDefault(column);

    /// <summary>The columns that hold a record's owner (what the specs resolve to destination users): a bare
    /// column name, or object.column when the name means an owner only on that object.</summary>
    private static HashSet<string> Set(params string[] columns) => new(columns, StringComparer.Ordinal);

    private static Dictionary<string, double> Ratios(params (string Object, double Ratio)[] ratios) =>
        ratios.ToDictionary(r => r.Object, r => r.Ratio, StringComparer.Ordinal);

    private static Dictionary<string, string> Map(params (string Type, string Object)[] map) =>
        map.ToDictionary(m => m.Type, m => m.Object, StringComparer.Ordinal);

    private static Dictionary<string, string[]> Picklists(params (string Column, string[] Values)[] lists) =>
        lists.ToDictionary(l => l.Column, l => l.Values, StringComparer.OrdinalIgnoreCase);
}
