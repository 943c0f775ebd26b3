namespace Flit.Core.Proposal;

/// <summary>Standard destination fields a column may map to, with the words people use for them.</summary>
internal static class KnownFields
{
    private static readonly Dictionary<string, (string Field, string Type, string[] Words)[]> Catalog = new(StringComparer.Ordinal)
    {
        ["res.partner"] =
        [
            ("name", "char", ["name", "full name", "display name"]), ("email", "char", ["email", "e-mail", "mail", "email address"]),
            ("phone", "char", ["phone", "telephone", "tel", "landline", "work phone"]), ("mobile", "char", ["mobile", "cell", "cell phone", "mobile phone", "msisdn"]),
            ("website", "char", ["website", "web", "url", "homepage", "domain"]), ("function", "char", ["job title", "title", "position", "role", "function"]),
            ("street", "char", ["street", "address", "address 1", "address line 1"]), ("street2", "char", ["address 2", "address line 2", "street 2"]),
            ("city", "char", ["city", "town", "suburb", "locality"]), ("zip", "char", ["zip", "postcode", "postal code", "post code"]),
            ("vat", "char", ["vat", "tax id", "abn", "vat number"]), ("ref", "char", ["reference", "ref", "customer number", "account number"]),
            ("comment", "html", ["notes", "note", "comment", "comments", "description", "details"]), ("lang", "selection", ["language", "lang", "locale"]),
        ],
        ["crm.lead"] =
        [
            ("name", "char", ["name", "title", "subject", "opportunity"]), ("email_from", "char", ["email", "e-mail", "email address"]),
            ("phone", "char", ["phone", "telephone", "mobile"]), ("expected_revenue", "monetary", ["value", "amount", "revenue", "expected revenue", "deal value"]),
            ("probability", "float", ["probability", "chance", "likelihood"]), ("description", "html", ["description", "notes", "details", "comments"]),
            ("date_deadline", "date", ["expected close", "close date", "deadline", "expected closing"]), ("priority", "selection", ["priority", "rating", "stars"]),
            ("contact_name", "char", ["contact", "contact name"]), ("partner_name", "char", ["company", "organisation", "organization", "account"]),
            ("referred", "char", ["referred by", "referrer", "referral"]), ("website", "char", ["website", "url"]),
        ],
        ["contact"] =
        [
            ("firstname", "String", ["first name", "given name", "forename"]), ("lastname", "String", ["last name", "surname", "family name"]),
            ("emailaddress1", "String", ["email", "e-mail"]), ("mobilephone", "String", ["mobile", "cell"]), ("telephone1", "String", ["phone", "telephone"]),
            ("jobtitle", "String", ["job title", "title", "position"]), ("department", "String", ["department", "team"]),
            ("address1_city", "String", ["city", "town"]), ("address1_postalcode", "String", ["zip", "postcode"]), ("birthdate", "DateTime", ["birthday", "date of birth", "dob"]),
        ],
        ["account"] =
        [
            ("name", "String", ["name", "company", "workspace"]), ("websiteurl", "String", ["website", "domain", "url"]), ("telephone1", "String", ["phone"]),
            ("numberofemployees", "Integer", ["employees", "company size", "headcount"]), ("description", "Memo", ["description", "notes"]),
        ],
    };

    public static IEnumerable<(string Field, string Type, string[] Words)> For(string model) =>
        Catalog.TryGetValue(model, out var fields) ? fields : [];
}
