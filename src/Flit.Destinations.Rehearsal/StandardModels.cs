using Flit.Core.Destinations;

namespace Flit.Destinations.Rehearsal;

/// <summary>
/// The standard fields of the models the specs write (Odoo 17 and Dataverse), so the rehearsal refuses what a real
/// destination would refuse: unknown fields, missing required values, links to records that do not exist.
/// </summary>
public static class StandardModels
{
    private static DestinationField F(string name, string type, bool required = false, string? relation = null) => new(name, type, required, relation);

    public static DestinationSchema Schema { get; } = new(new Dictionary<string, IReadOnlyDictionary<string, DestinationField>>(StringComparer.Ordinal)
    {
        ["res.partner"] = Fields(F("name", "char"), F("is_company", "boolean"), F("type", "selection"), F("parent_id", "many2one", false, "res.partner"),
            F("email", "char"), F("phone", "char"), F("mobile", "char"), F("website", "char"), F("function", "char"), F("street", "char"), F("street2", "char"),
            F("city", "char"), F("zip", "char"), F("state_id", "many2one", false, "res.country.state"), F("country_id", "many2one", false, "res.country"),
            F("comment", "html"), F("user_id", "many2one", false, "res.users"), F("ref", "char"), F("vat", "char"), F("lang", "selection")),
        ["crm.lead"] = Fields(F("name", "char", true), F("type", "selection", true), F("priority", "selection"), F("stage_id", "many2one", false, "crm.stage"),
            F("user_id", "many2one", false, "res.users"), F("team_id", "many2one", false, "crm.team"), F("partner_id", "many2one", false, "res.partner"),
            F("expected_revenue", "monetary"), F("probability", "float"), F("description", "html"), F("email_from", "char"), F("contact_name", "char"),
            F("partner_name", "char"), F("phone", "char"), F("function", "char"), F("street", "char"), F("city", "char"), F("zip", "char"),
            F("lost_reason_id", "many2one", false, "crm.lost.reason"), F("active", "boolean"), F("date_deadline", "date"), F("website", "char"), F("referred", "char")),
        ["crm.stage"] = Fields(F("name", "char", true), F("sequence", "integer"), F("is_won", "boolean"), F("fold", "boolean"), F("team_id", "many2one", false, "crm.team")),
        ["mail.message"] = Fields(F("model", "char"), F("res_id", "many2one_reference"), F("body", "html"), F("subject", "char"), F("date", "datetime"),
            F("message_type", "selection", true), F("subtype_id", "many2one", false, "mail.message.subtype"), F("author_id", "many2one", false, "res.partner"), F("email_from", "char")),
        ["mail.activity"] = Fields(F("res_model_id", "many2one", true, "ir.model"), F("res_id", "many2one_reference", true), F("date_deadline", "date", true),
            F("activity_type_id", "many2one", false, "mail.activity.type"), F("summary", "char"), F("note", "html"), F("user_id", "many2one", false, "res.users")),
        ["ir.attachment"] = Fields(F("name", "char", true), F("type", "selection"), F("datas", "binary"), F("res_model", "char"), F("res_id", "many2one_reference"),
            F("mimetype", "char"), F("description", "text")),
        ["calendar.event"] = Fields(F("name", "char", true), F("start", "datetime", true), F("stop", "datetime", true), F("allday", "boolean"), F("location", "char"),
            F("opportunity_id", "many2one", false, "crm.lead"), F("user_id", "many2one", false, "res.users"), F("description", "html")),
        ["project.task"] = Fields(F("name", "char", true), F("date_deadline", "date"), F("priority", "selection"), F("project_id", "many2one", false, "project.project"),
            F("description", "html")),
        ["contact"] = Fields(F("firstname", "String"), F("lastname", "String", true), F("emailaddress1", "String"), F("mobilephone", "String"), F("jobtitle", "String"),
            F("address1_line1", "String"), F("address1_city", "String"), F("address1_postalcode", "String"), F("address1_country", "String"),
            F("parentcustomerid_account", "Lookup", false, "account")),
        ["account"] = Fields(F("name", "String", true), F("websiteurl", "String"), F("address1_city", "String"), F("description", "Memo"), F("parentaccountid", "Lookup", false, "account")),
        ["connection"] = Fields(F("name", "String"), F("effectivestart", "DateTime"), F("record1id_contact", "Lookup", true, "contact"), F("record2id_account", "Lookup", true, "account")),
        ["annotation"] = Fields(F("subject", "String"), F("notetext", "Memo"), F("objectid_contact", "Lookup", false, "contact")),
    });

    private static Dictionary<string, DestinationField> Fields(params DestinationField[] fields) =>
        fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
}
