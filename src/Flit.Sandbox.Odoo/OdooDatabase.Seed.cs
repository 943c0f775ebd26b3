namespace Flit.Sandbox.Odoo;

/// <summary>What a new Odoo database holds before any migration: its company, users, countries and part of their
/// states, mail's subtypes, activity types and CRM stages.</summary>
internal sealed partial class OdooDatabase
{
    /// <summary>An xmlid of Odoo's own data (module data is noupdate-free and never an import's).</summary>
    private void ShippedXmlId(string module, string name, string model, long id) =>
        _xmlids[(module, name)] = Insert("ir.model.data", new() { ["module"] = module, ["name"] = name, ["model"] = model, ["res_id"] = id, ["noupdate"] = false });

    private void Seed(OdooSandboxOptions options)
    {
        foreach (var model in _models.Keys.Order(StringComparer.Ordinal))
        {
            Insert("ir.model", new() { ["model"] = model, ["name"] = model });
        }

        // Every database has its company (base.main_company) with its own partner (base.main_partner), and every user
        // a partner of its own (res.users _inherits res.partner): records a migration must never take for contacts.
        var company = Insert("res.partner", new() { ["name"] = options.CompanyName, ["email"] = options.CompanyEmail, ["is_company"] = true, ["type"] = "contact", ["active"] = true });
        ShippedXmlId("base", "main_partner", "res.partner", company);
        ShippedXmlId("base", "main_company", "res.company", Insert("res.company", new() { ["name"] = options.CompanyName, ["partner_id"] = company }));
        foreach (var user in options.Users)
        {
            var partner = Insert("res.partner", new() { ["name"] = user.Name, ["email"] = user.Email, ["type"] = "contact", ["active"] = true });
            Insert("res.users", new() { ["name"] = user.Name, ["login"] = user.Login, ["email"] = user.Email, ["partner_id"] = partner, ["active"] = true, ["tz"] = user.Tz });
        }

        foreach (var (name, code) in new[] { ("United Kingdom", "GB"), ("United States", "US"), ("Australia", "AU"), ("Denmark", "DK"), ("Ireland", "IE") })
        {
            Insert("res.country", new() { ["name"] = name, ["code"] = code });
        }

        // A part of the states Odoo's base data ships (base/data/res.country.state.csv): Australia's and some of
        // the United States'. Odoo ships none for the United Kingdom or Denmark, so counties and regions match nothing.
        var countries = _records["res.country"].ToDictionary(c => (string)c.Value["code"]!, c => c.Key);
        foreach (var (country, code, name) in new[]
        {
            ("AU", "ACT", "Australian Capital Territory"), ("AU", "NSW", "New South Wales"), ("AU", "NT", "Northern Territory"), ("AU", "QLD", "Queensland"),
            ("AU", "SA", "South Australia"), ("AU", "TAS", "Tasmania"), ("AU", "VIC", "Victoria"), ("AU", "WA", "Western Australia"),
            ("US", "CA", "California"), ("US", "FL", "Florida"), ("US", "IL", "Illinois"), ("US", "MA", "Massachusetts"), ("US", "NY", "New York"),
            ("US", "TX", "Texas"), ("US", "WA", "Washington"),
        })
        {
            Insert("res.country.state", new() { ["name"] = name, ["code"] = code, ["country_id"] = countries[country] });
        }

        // What mail ships: mail.mt_comment ("Discussions") and mail.mt_note ("Note", internal).
        ShippedXmlId("mail", "mt_comment", "mail.message.subtype", Insert("mail.message.subtype", new() { ["name"] = "Discussions", ["internal"] = false, ["default"] = true }));
        ShippedXmlId("mail", "mt_note", "mail.message.subtype", Insert("mail.message.subtype", new() { ["name"] = "Note", ["internal"] = true, ["default"] = false }));

        foreach (var name in new[] { "To-Do", "Email", "Call", "Meeting" })
        {
            Insert("mail.activity.type", new() { ["name"] = name });
        }

        foreach (var (name, sequence, won) in new[] { ("New", 1, false), ("Qualified", 2, false), ("Proposition", 3, false), ("Won", 70, true) })
        {
            Insert("crm.stage", new() { ["name"] = name, ["sequence"] = sequence, ["is_won"] = won });
        }
    }
}
