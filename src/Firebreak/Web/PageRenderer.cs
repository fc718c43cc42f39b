using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace Firebreak.Web;

/// <summary>
/// Renders Razor components to HTML outside Blazor's circuits: pages per request, and live fragments once per
/// change for every viewer. Components get their data as parameters, never from a request, so both work.
/// </summary>
public sealed class PageRenderer(IServiceProvider services, ILoggerFactory logs)
{
    /// <summary>The policy every page is sent with: nothing runs or loads unless Firebreak served it.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public async Task<string> RenderAsync<TComponent>(IDictionary<string, object?> parameters) where TComponent : IComponent
    {
        // A renderer per render: each owns one dispatcher, and sharing one would queue every page behind it.
        await using var renderer = new HtmlRenderer(services, logs);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters));
            return output.ToHtmlString();
        });
    }

    public async Task<IResult> PageAsync<TComponent>(HttpContext context, IDictionary<string, object?> parameters,
        int status = StatusCodes.Status200OK) where TComponent : IComponent
    {
        var html = await RenderAsync<TComponent>(parameters);
        Harden(context.Response);
        return TypedResults.Content(html, "text/html; charset=utf-8", statusCode: status);
    }

    public static void Harden(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "same-origin";
        response.Headers.CacheControl = "no-store";
    }
}
