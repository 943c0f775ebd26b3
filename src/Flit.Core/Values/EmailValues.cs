using System.Text.RegularExpressions;

namespace Flit.Core.Values;

/// <summary>
/// The e-mail shape CRMs accept (local part, '@', a dotted domain, no spaces). A source-generated regex: the audit
/// and the mapping check every e-mail of million-row exports, and <c>MailAddress</c> parsing costs ~20× more.
/// </summary>
public static partial class EmailValues
{
    public static bool IsValid(string email) => email.Length <= 254 && Shape().IsMatch(email);

    [GeneratedRegex(@"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
