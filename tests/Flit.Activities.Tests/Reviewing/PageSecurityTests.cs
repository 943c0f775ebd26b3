using System.Security.Cryptography;
using System.Text;
using Flit.Activities.Reviewing;

namespace Flit.Activities.Tests.Reviewing;

public sealed class PageSecurityTests
{
    [Fact]
    public void ContentSecurityPolicy_OfThePageStyle_AllowsThatStyleByHashAndNoScript()
    {
        var policy = PageSecurity.ContentSecurityPolicy(ReviewPage.Css);

        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(ReviewPage.Css)));
        Assert.Contains($"style-src 'sha256-{hash}'", policy, StringComparison.Ordinal);
        Assert.StartsWith("default-src 'none';", policy, StringComparison.Ordinal);
        foreach (var part in new[] { "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'", "img-src data:" })
        {
            Assert.Contains(part, policy, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("script-src", policy, StringComparison.Ordinal);
    }

    [Fact]
    public void Headers_ForAPage_HoldThePolicyAndNoSniffNoReferrerNoStore()
    {
        var headers = PageSecurity.Headers(ReviewPage.Css);

        Assert.Equal(PageSecurity.ContentSecurityPolicy(ReviewPage.Css), headers["Content-Security-Policy"]);
        Assert.Equal("nosniff", headers["X-Content-Type-Options"]);
        Assert.Equal("no-referrer", headers["Referrer-Policy"]);
        Assert.Equal("no-store", headers["Cache-Control"]);
    }
}
