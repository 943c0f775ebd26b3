using Flit.Activities.Reporting;
using Microsoft.AspNetCore.Http;

namespace Flit.Functions.Http;

/// <summary>The headers every page and download of the API is served with: never cached, never sniffed as another type,
/// no referrer; pages also with their Content-Security-Policy (no script at all) and never framed.</summary>
internal static class PageHeaders
{
    public static void Apply(HttpResponse response, bool page)
    {
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = "no-store";
        response.Headers["Referrer-Policy"] = "no-referrer";
        if (page)
        {
            response.Headers.ContentSecurityPolicy = $"{ReportStyle.ContentSecurityPolicy}; frame-ancestors 'none'";
            response.Headers.XFrameOptions = "DENY";
        }
    }
}
