namespace Flit.Sandbox.Odoo;

/// <summary>One field of a sandbox model, as Odoo's fields_get describes it.</summary>
/// <remarks>A one2many names its <see cref="Inverse"/>: the many2one on the related model whose records it lists.
/// <see cref="Default"/> is what create() gives a record that leaves the field out (default_get answers it); an explicit
/// empty value overrides it, as in Odoo. <see cref="Depends"/> marks a stored computed field (fields_get's
/// <c>depends</c>): create() computes it only when the values leave it out.</remarks>
internal sealed record FieldDef(string Name, string Type, bool Required = false, string? Relation = null, IReadOnlyList<string>? Selection = null, bool Readonly = false, string? Inverse = null, object? Default = null, IReadOnlyList<string>? Depends = null);

/// <summary>The models the pairs write, with Odoo 17's real field names, types, required flags and selections, the defaults
/// of the fields whose default the sandbox applies and which of them Odoo computes (crm_lead.py, res_partner.py,
/// mail_message.py, ir_attachment.py; the dependency lists are abbreviated to what the sandbox models).</summary>
internal static class OdooModels
{
    private static FieldDef F(string name, string type, bool required = false, string? relation = null, string[]? selection = null, bool ro = false, object? @default = null, string[]? depends = null) =>
        new(name, type, required, relation, selection, ro, Default: @default, Depends: depends);

    public static Dictionary<string, Dictionary<string, FieldDef>> Create(string version)
    {
        var models = new Dictionary<string, FieldDef[]>(StringComparer.Ordinal)
        {
            ["res.partner"] =
            [
                F("name", "char"), F("is_company", "boolean", @default: false), F("parent_id", "many2one", relation: "res.partner"),
                F("type", "selection", selection: ["contact", "invoice", "delivery", "other"], @default: "contact"), F("email", "char"), F("phone", "char"), F("mobile", "char"),
                F("website", "char"), F("function", "char"), F("street", "char"), F("street2", "char"), F("city", "char"), F("zip", "char"),
                F("state_id", "many2one", relation: "res.country.state"), F("country_id", "many2one", relation: "res.country"), F("comment", "html"),
                F("user_id", "many2one", relation: "res.users"), F("ref", "char"), F("vat", "char"), F("active", "boolean", @default: true),
                new("user_ids", "one2many", Relation: "res.users", Inverse: "partner_id"),
            ],
            ["res.company"] = [F("name", "char", true), F("partner_id", "many2one", true, "res.partner")],
            ["res.users"] = [F("name", "char", true), F("login", "char", true), F("email", "char"), F("partner_id", "many2one", relation: "res.partner"), F("active", "boolean"), F("tz", "char")],
            ["crm.lead"] =
            [
                F("name", "char", true, depends: ["partner_id"]), F("type", "selection", true, selection: ["lead", "opportunity"]),
                F("priority", "selection", selection: ["0", "1", "2", "3"], @default: "0"),
                F("stage_id", "many2one", relation: "crm.stage", depends: ["team_id", "type"]), F("user_id", "many2one", relation: "res.users"),
                F("team_id", "many2one", relation: "crm.team", depends: ["user_id", "type"]), F("partner_id", "many2one", relation: "res.partner"),
                F("expected_revenue", "monetary"), F("probability", "float", depends: ["stage_id", "team_id"]), F("description", "html"),
                F("email_from", "char", depends: ["partner_id.email"]), F("contact_name", "char", depends: ["partner_id"]), F("partner_name", "char", depends: ["partner_id"]),
                F("phone", "char", depends: ["partner_id.phone"]), F("function", "char", depends: ["partner_id"]), F("street", "char", depends: ["partner_id"]),
                F("city", "char", depends: ["partner_id"]), F("zip", "char", depends: ["partner_id"]), F("lost_reason_id", "many2one", relation: "crm.lost.reason"),
                F("active", "boolean", @default: true), F("date_deadline", "date"), F("date_closed", "datetime", ro: true), F("tag_ids", "many2many", relation: "crm.tag"),
                F("website", "char", depends: ["partner_id"]),
            ],
            ["crm.stage"] = [F("name", "char", true), F("sequence", "integer"), F("is_won", "boolean"), F("fold", "boolean"), F("team_id", "many2one", relation: "crm.team")],
            ["crm.team"] = [F("name", "char", true), F("active", "boolean", @default: true)],
            ["crm.tag"] = [F("name", "char", true)],
            ["crm.lost.reason"] = [F("name", "char", true), F("active", "boolean")],
            ["mail.message"] =
            [
                F("model", "char"), F("res_id", "many2one_reference"), F("body", "html"), F("subject", "char"), F("date", "datetime"),
                F("message_type", "selection", true, selection: ["email", "comment", "notification", "auto_comment", "user_notification"], @default: "comment"),
                F("subtype_id", "many2one", relation: "mail.message.subtype"), F("author_id", "many2one", relation: "res.partner"), F("email_from", "char"),
            ],
            ["mail.activity"] =
            [
                F("res_model_id", "many2one", true, "ir.model"), F("res_id", "many2one_reference", true), F("res_model", "char", ro: true),
                F("date_deadline", "date", true), F("activity_type_id", "many2one", relation: "mail.activity.type"), F("summary", "char"), F("note", "html"),
                F("user_id", "many2one", relation: "res.users"),
            ],
            ["mail.activity.type"] = [F("name", "char", true)],
            ["ir.attachment"] =
            [
                F("name", "char", true), F("type", "selection", selection: ["url", "binary"], @default: "binary"), F("datas", "binary", depends: ["store_fname", "db_datas"]), F("res_model", "char"),
                F("res_id", "many2one_reference"), F("mimetype", "char"), F("description", "text"), F("file_size", "integer", ro: true), F("checksum", "char", ro: true),
            ],
            ["ir.model"] = [F("model", "char", true), F("name", "char", true)],
            ["ir.model.fields"] =
            [
                F("name", "char", true), F("model_id", "many2one", true, "ir.model"), F("model", "char", ro: true), F("field_description", "char", true),
                F("ttype", "selection", true, selection: ["char", "text", "html", "integer", "float", "monetary", "boolean", "date", "datetime", "selection", "many2one", "binary"]),
                F("state", "selection", selection: ["manual", "base"]), F("relation", "char"),
            ],
            ["ir.model.data"] = [F("module", "char", true), F("name", "char", true), F("model", "char", true), F("res_id", "many2one_reference"), F("noupdate", "boolean")],
            ["calendar.event"] =
            [
                F("name", "char", true), F("start", "datetime", true), F("stop", "datetime", true, depends: ["start", "duration"]), F("allday", "boolean", @default: false), F("location", "char"),
                F("opportunity_id", "many2one", relation: "crm.lead"), F("user_id", "many2one", relation: "res.users"), F("description", "html"),
                F("partner_ids", "many2many", relation: "res.partner"),
            ],
            ["project.project"] = [F("name", "char", true), F("active", "boolean", @default: true)],
            ["project.task"] =
            [
                F("name", "char", true), F("project_id", "many2one", relation: "project.project"), F("priority", "selection", selection: ["0", "1"]),
                F("date_deadline", "date"), F("description", "html"), F("stage_id", "many2one", relation: "project.task.type", depends: ["project_id"]),
            ],
            ["mail.message.subtype"] = [F("name", "char", true), F("internal", "boolean"), F("default", "boolean")],
            ["project.task.type"] = [F("name", "char", true), F("sequence", "integer"), F("fold", "boolean")],
            ["res.country"] = [F("name", "char", true), F("code", "char")],
            ["res.country.state"] = [F("name", "char", true), F("code", "char", true), F("country_id", "many2one", true, "res.country")],
        };

        var result = new Dictionary<string, Dictionary<string, FieldDef>>(StringComparer.Ordinal);
        foreach (var (model, fields) in models)
        {
            var map = fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
            foreach (var magic in new[] { F("id", "integer", ro: true), F("display_name", "char", ro: true), F("create_date", "datetime", ro: true), F("write_date", "datetime", ro: true), F("create_uid", "many2one", relation: "res.users", ro: true), F("write_uid", "many2one", relation: "res.users", ro: true) })
            {
                map[magic.Name] = magic;
            }

            result[model] = map;
        }

        // mobile was removed from res.partner in 18.2 (facts/odoo.md): drive mappings from fields_get.
        if (IsAtLeast(version, 18, 2))
        {
            result["res.partner"].Remove("mobile");
        }

        return result;
    }

    public static bool IsAtLeast(string version, int major, int minor)
    {
        var digits = version.Replace("saas~", string.Empty, StringComparison.Ordinal).Split('.');
        var m = int.Parse(digits[0], System.Globalization.CultureInfo.InvariantCulture);
        var n = digits.Length > 1 ? int.Parse(digits[1], System.Globalization.CultureInfo.InvariantCulture) : 0;
        return m > major || (m == major && n >= minor);
    }

    /// <summary>Models whose records keep a chatter (mail.thread).</summary>
    public static readonly HashSet<string> MailThread = new(StringComparer.Ordinal) { "res.partner", "crm.lead", "calendar.event", "project.task" };
}
