using System.Threading.RateLimiting;
using Firebreak.Web;
using Firebreak.Web.Pages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Firebreak.Comms;

/// <summary>
/// The public status page: no sign-in, served from <see cref="StatusSnapshot"/>'s renders with an ETag, in HTML
/// (no script), Atom, RSS and the Statuspage v2 JSON that existing widgets read.
/// </summary>
public static class StatusPageEndpoints
{
    public const string SubscribePolicy = "status-subscribe";

    public static void AddStatusPageRateLimits(this IServiceCollection services) =>
        services.AddRateLimiter(limits =>
        {
            // Subscribing sends email: a few per minute per address, so the form cannot be used to flood inboxes.
            limits.AddPolicy(SubscribePolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 10, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            limits.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
                    detail: "Too many subscription requests from this address; try again in a minute.").ExecuteAsync(context.HttpContext);
            };
        });

    public static IEndpointRouteBuilder MapStatusPage(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("").AllowAnonymous().ExcludeFromDescription();
        foreach (var (path, name) in new[]
        {
            ("/status", "html"), ("/status/feed.atom", "atom"), ("/status/feed.rss", "rss"),
            ("/api/v2/summary.json", "summary"), ("/api/v2/status.json", "status"), ("/api/v2/components.json", "components"),
            ("/api/v2/incidents.json", "incidents"), ("/api/v2/incidents/unresolved.json", "unresolved"),
            ("/api/v2/scheduled-maintenances.json", "maintenances"),
        })
        {
            pages.MapGet(path, (HttpContext http, StatusSnapshot snapshot, CancellationToken ct) => ServeAsync(http, snapshot, name, ct));
        }
        pages.MapPost("/status/subscribe", Subscribe).DisableAntiforgery().RequireRateLimiting(SubscribePolicy);
        pages.MapGet("/status/subscriptions/confirm", async (string? token, StatusSubscriptions subscriptions, PageRenderer renderer, HttpContext http, CancellationToken ct) =>
            await subscriptions.ConfirmAsync(token, ct)
                ? await MessageAsync(renderer, http, "Subscribed", "You will get an email with every update on the status page. Every email has a link to stop them.")
                : await MessageAsync(renderer, http, "Link not valid", "This confirmation link is unknown or was already used.", status: StatusCodes.Status404NotFound));
        // Unsubscribing takes a click on a form, not just a visit: mail scanners follow links, and must not unsubscribe anyone.
        pages.MapGet("/status/subscriptions/unsubscribe", async (string? token, PageRenderer renderer, HttpContext http) =>
            await MessageAsync(renderer, http, "Unsubscribe", "Stop getting status updates at this address?", token));
        pages.MapPost("/status/subscriptions/unsubscribe", async ([FromForm] string? token, StatusSubscriptions subscriptions, PageRenderer renderer, HttpContext http, CancellationToken ct) =>
            await subscriptions.UnsubscribeAsync(token, ct)
                ? await MessageAsync(renderer, http, "Unsubscribed", "You will not get status updates any more.")
                : await MessageAsync(renderer, http, "Link not valid", "This unsubscribe link is unknown.", status: StatusCodes.Status404NotFound))
            .DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> ServeAsync(HttpContext http, StatusSnapshot snapshot, string name, CancellationToken ct)
    {
        var render = await snapshot.GetAsync(name, ct);
        var headers = http.Response.Headers;
        headers.ETag = render.ETag;
        // Caches may keep a copy but must ask again each time; an unchanged page costs a 304.
        headers.CacheControl = "public, no-cache";
        headers.XContentTypeOptions = "nosniff";
        if (name == "html") headers.ContentSecurityPolicy = PageRenderer.ContentSecurityPolicy;
        if (name is not ("html" or "atom" or "rss")) headers.AccessControlAllowOrigin = "*";
        if (http.Request.Headers.IfNoneMatch.ToString() == render.ETag) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Bytes(render.Body, render.ContentType);
    }

    private static async Task<IResult> Subscribe(HttpContext http, StatusSubscriptions subscriptions, PageRenderer renderer, CancellationToken ct)
    {
        string? email;
        var isForm = http.Request.HasFormContentType;
        if (isForm) email = (await http.Request.ReadFormAsync(ct))["email"];
        else if (http.Request.HasJsonContentType()) email = (await http.Request.ReadFromJsonAsync<Dictionary<string, string?>>(ct))?.GetValueOrDefault("email");
        else return new Hosting.Refusal(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send a form or JSON with an email address.").ToResult();
        var started = await subscriptions.SubscribeEmailAsync(email, ct);
        if (started.Refusal is { } refused)
            return isForm ? await MessageAsync(renderer, http, "Not subscribed", refused.Detail, status: refused.Status) : refused.ToResult();
        const string sent = "If the address can receive mail, a confirmation link is on its way. Nothing else is sent until you confirm.";
        return isForm ? await MessageAsync(renderer, http, "Check your inbox", sent) : TypedResults.Accepted("/status", new { message = sent });
    }

    private static Task<IResult> MessageAsync(PageRenderer renderer, HttpContext http, string title, string message, string? unsubscribeToken = null,
        int status = StatusCodes.Status200OK) =>
        renderer.PageAsync<StatusMessagePage>(http, new Dictionary<string, object?> { ["Title"] = title, ["Message"] = message, ["UnsubscribeToken"] = unsubscribeToken }, status);
}
