using System.Security.Claims;
using Firebreak.Hosting;
using Firebreak.Identity;
using Firebreak.Incidents;
using Firebreak.Postmortems;
using Firebreak.Storage;
using Firebreak.Web.Pages;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.Web;

/// <summary>
/// The cockpit's pages and forms. Pages are rendered on the server; forms post, act through the same
/// <see cref="IncidentCommands"/> as the API, and redirect back (or show the page again with the refusal).
/// </summary>
public static class WebPages
{
    public static IEndpointRouteBuilder MapWebPages(this IEndpointRouteBuilder root)
    {
        var app = root.MapGroup("").RequireAuthorization(WebSession.PagePolicy).ExcludeFromDescription();
        // Every form is checked for its anti-forgery token, including those with no other fields.
        app.WithMetadata(new RequireAntiforgeryTokenAttribute()).AddEndpointFilter(async (context, next) =>
            context.HttpContext.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false }
                ? TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request",
                    detail: "The form's anti-forgery token is missing or invalid. Reload the page and try again.")
                : await next(context));
        app.MapPost("/signout", SignOut);
        app.MapCommsPages();

        app.MapGet("/signin", SignInForm).AllowAnonymous();
        app.MapPost("/signin", SignIn).AllowAnonymous();

        app.MapGet("/", Dashboard);
        app.MapGet("/fragments/dashboard", DashboardFragment);
        app.MapGet("/declare", DeclareForm);
        app.MapPost("/declare", Declare);
        app.MapGet("/incidents/{id}", Incident);
        app.MapGet("/incidents/{id}/postmortem", Postmortem);
        app.MapGet("/incidents/{id}/postmortem.md", PostmortemMarkdown);

        app.MapPost("/incidents/{id}/updates", (HttpContext http, string id, [FromForm] string? condition, [FromForm] string? action,
                [FromForm] string? need, [FromForm] string? nextUpdateIn) =>
            ActAsync(http, id, (c, actor, ct) => c.PostUpdateAsync(actor, id, new PostCanUpdateRequest(condition, Blank(action), Blank(need), Blank(nextUpdateIn)), ct)))
            ;
        app.MapPost("/incidents/{id}/log", (HttpContext http, string id, [FromForm] string? kind, [FromForm] string? text) =>
            ActAsync(http, id, (c, actor, ct) => c.LogAsync(actor, id, new LogEntryRequest(text, kind), ct)));
        app.MapPost("/incidents/{id}/roles", (HttpContext http, string id, [FromForm] string? role, [FromForm] string? handle) =>
            // Without a person named, the one clicking takes the role ("Take command").
            ActAsync(http, id, (c, actor, ct) => c.AssignRoleAsync(actor, id, new AssignRoleRequest(role, Blank(handle) ?? actor.Name), ct)));
        app.MapPost("/incidents/{id}/roles/relieve", (HttpContext http, string id, [FromForm] string? role, [FromForm] string? handle) =>
            ActAsync(http, id, (c, actor, ct) => c.RelieveRoleAsync(actor, id, role ?? "", handle ?? "", ct)));
        app.MapPost("/incidents/{id}/severity", (HttpContext http, string id, [FromForm] string? severity, [FromForm] string? reason) =>
            ActAsync(http, id, (c, actor, ct) => c.ChangeSeverityAsync(actor, id, new ChangeSeverityRequest(severity, Blank(reason)), ct)));
        app.MapPost("/incidents/{id}/status", ChangeStatus);
        app.MapPost("/incidents/{id}/reopen", (HttpContext http, string id, [FromForm] string? reason) =>
            ActAsync(http, id, (c, actor, ct) => c.ReopenAsync(actor, id, new ReopenRequest(reason), ct)));
        app.MapPost("/incidents/{id}/actions", (HttpContext http, string id, [FromForm] string? title, [FromForm] string? owner, [FromForm] string? due) =>
            ActAsync(http, id, (c, actor, ct) => c.AddActionItemAsync(actor, id, new AddActionItemRequest(title, Blank(owner), Blank(due)), ct)));
        app.MapPost("/incidents/{id}/actions/{itemId:int}/complete", (HttpContext http, string id, int itemId) =>
            ActAsync(http, id, (c, actor, ct) => c.CompleteActionItemAsync(actor, id, itemId, ct)));
        app.MapPost("/incidents/{id}/workstreams", (HttpContext http, string id, [FromForm] string? title, [FromForm] string? lead) =>
            ActAsync(http, id, (c, actor, ct) => c.OpenWorkstreamAsync(actor, id, new OpenWorkstreamRequest(title, Blank(lead)), ct)));
        app.MapPost("/incidents/{id}/workstreams/{number:int}/done", (HttpContext http, string id, int number) =>
            ActAsync(http, id, (c, actor, ct) => c.UpdateWorkstreamAsync(actor, id, number, new UpdateWorkstreamRequest(Done: true), ct)));
        app.MapPost("/incidents/{id}/members", (HttpContext http, string id, [FromForm] string? handle) =>
            ActAsync(http, id, (c, actor, ct) => c.AddMemberAsync(actor, id, new AddMemberRequest(handle), ct)));
        return root;
    }

    private static async Task<IResult> SignInForm(HttpContext http, PageRenderer pages, string? returnUrl) =>
        await pages.PageAsync<SignInPage>(http, new Dictionary<string, object?>
        {
            ["Csrf"] = Csrf(http),
            ["ReturnUrl"] = LocalOrHome(returnUrl),
        });

    private static async Task<IResult> SignIn(HttpContext http, PageRenderer pages, FirebreakDb db, TimeProvider clock,
        [FromForm] string? token, [FromForm] string? returnUrl)
    {
        if (await WebSession.SignInAsync(http, db, token, clock.GetUtcNow().UtcDateTime))
            return TypedResults.Redirect(LocalOrHome(returnUrl));
        return await pages.PageAsync<SignInPage>(http, new Dictionary<string, object?>
        {
            ["Csrf"] = Csrf(http),
            ["ReturnUrl"] = LocalOrHome(returnUrl),
            ["Error"] = "That token is unknown, revoked, or belongs to an integration rather than a person.",
        }, StatusCodes.Status401Unauthorized);
    }

    private static async Task<IResult> SignOut(HttpContext http, CancellationToken ct)
    {
        await http.SignOutAsync(WebSession.Scheme);
        return TypedResults.Redirect("/signin");
    }

    private static async Task<IResult> Dashboard(HttpContext http, PageRenderer pages, FirebreakDb db, TimeProvider clock, CancellationToken ct)
    {
        var viewer = await ViewerAsync(http, db, ct);
        var model = await WebQueries.DashboardAsync(db, Actor.From(http.User), clock.GetUtcNow().UtcDateTime, ct);
        return await pages.PageAsync<DashboardPage>(http, new Dictionary<string, object?> { ["Viewer"] = viewer, ["Model"] = model });
    }

    private static async Task<IResult> DashboardFragment(HttpContext http, PageRenderer pages, FirebreakDb db, TimeProvider clock, CancellationToken ct)
    {
        var model = await WebQueries.DashboardAsync(db, Actor.From(http.User), clock.GetUtcNow().UtcDateTime, ct);
        var html = await pages.RenderAsync<DashboardBody>(new Dictionary<string, object?> { ["Model"] = model });
        PageRenderer.Harden(http.Response);
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    private static async Task<IResult> DeclareForm(HttpContext http, PageRenderer pages, FirebreakDb db, CancellationToken ct) =>
        await pages.PageAsync<DeclarePage>(http, new Dictionary<string, object?>
        {
            ["Viewer"] = await ViewerAsync(http, db, ct),
            ["Services"] = await WebQueries.ServicesAsync(db, ct),
        });

    private static async Task<IResult> Declare(HttpContext http, PageRenderer pages, FirebreakDb db, IncidentCommands commands,
        [FromForm] string? title, [FromForm] string? severity, [FromForm] string? service, [FromForm] string? summary,
        [FromForm] string? @private, CancellationToken ct)
    {
        var form = new DeclareForm(title, severity, service, summary, @private == "true");
        Outcome<IncidentView> outcome = string.IsNullOrWhiteSpace(service)
            ? Refusal.Invalid("service", "Choose the affected service.")
            : await commands.DeclareAsync(Actor.From(http.User),
                new DeclareIncidentRequest(title, severity, [service], Blank(summary), form.Private), ct);
        if (outcome.Value is { } declared) return TypedResults.Redirect($"/incidents/{declared.Id}");
        return await pages.PageAsync<DeclarePage>(http, new Dictionary<string, object?>
        {
            ["Viewer"] = await ViewerAsync(http, db, ct),
            ["Services"] = await WebQueries.ServicesAsync(db, ct),
            ["Form"] = form,
            ["Error"] = outcome.Refusal!.Detail,
        }, outcome.Refusal.Status);
    }

    private static async Task<IResult> Incident(HttpContext http, string id, CancellationToken ct) =>
        await IncidentPageAsync(http, id, null, StatusCodes.Status200OK, ct);

    private static async Task<IResult> IncidentPageAsync(HttpContext http, string id, string? error, int status, CancellationToken ct)
    {
        var services = http.RequestServices;
        var db = services.GetRequiredService<FirebreakDb>();
        var pages = services.GetRequiredService<PageRenderer>();
        var viewer = await ViewerAsync(http, db, ct);
        var number = await IncidentEndpoints.VisibleNumberAsync(db, Actor.From(http.User), id, ct);
        if (number is null) return await NotFoundAsync(http, pages, viewer, $"There is no incident {id}, or you may not see it.");
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var model = await WebQueries.IncidentAsync(db, number.Value, now, withPeople: true, ct);
        return await pages.PageAsync<IncidentPage>(http, new Dictionary<string, object?>
        {
            ["Viewer"] = viewer,
            ["Model"] = model,
            ["Error"] = error,
        }, status);
    }

    private static Task<IResult> ChangeStatus(HttpContext http, string id, [FromForm] string? status, [FromForm] string? reason,
        [FromForm] string? confirm)
    {
        // Closing ends the incident's life; the form asks for a confirmation and so does the server.
        if (string.Equals(status?.Trim(), "closed", StringComparison.OrdinalIgnoreCase) && confirm != "yes")
            return IncidentPageAsync(http, id, "Closing needs confirmation: tick the box to confirm.", StatusCodes.Status422UnprocessableEntity, http.RequestAborted);
        return ActAsync(http, id, (c, actor, ct) => c.ChangeStatusAsync(actor, id, new ChangeStatusRequest(status, Blank(reason)), ct));
    }

    private static async Task<IResult> Postmortem(HttpContext http, string id, FirebreakDb db, PageRenderer pages, TimeProvider clock, CancellationToken ct)
    {
        var viewer = await ViewerAsync(http, db, ct);
        var markdown = await PostmortemMarkdownAsync(http, id, db, clock, ct);
        if (markdown is null) return await NotFoundAsync(http, pages, viewer, $"There is no incident {id}, or you may not see it.");
        return await pages.PageAsync<PostmortemPage>(http, new Dictionary<string, object?>
        {
            ["Viewer"] = viewer,
            ["Id"] = id.ToUpperInvariant(),
            ["Html"] = SafeMarkdown.ToHtml(markdown),
        });
    }

    private static async Task<IResult> PostmortemMarkdown(HttpContext http, string id, FirebreakDb db, PageRenderer pages, TimeProvider clock, CancellationToken ct)
    {
        var markdown = await PostmortemMarkdownAsync(http, id, db, clock, ct);
        if (markdown is null) return await NotFoundAsync(http, pages, await ViewerAsync(http, db, ct), $"There is no incident {id}.");
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{id.ToUpperInvariant()}-postmortem.md\"";
        return TypedResults.Text(markdown, "text/markdown; charset=utf-8");
    }

    private static async Task<string?> PostmortemMarkdownAsync(HttpContext http, string id, FirebreakDb db, TimeProvider clock, CancellationToken ct)
    {
        var number = await IncidentEndpoints.VisibleNumberAsync(db, Actor.From(http.User), id, ct);
        if (number is null) return null;
        return PostmortemDraft.Render(await IncidentQueries.ViewAsync(db, number.Value, ct), clock.GetUtcNow().UtcDateTime);
    }

    private static async Task<IResult> ActAsync(HttpContext http, string id,
        Func<IncidentCommands, Actor, CancellationToken, Task<Outcome<IncidentView>>> command)
    {
        var ct = http.RequestAborted;
        var commands = http.RequestServices.GetRequiredService<IncidentCommands>();
        var outcome = await command(commands, Actor.From(http.User), ct);
        if (outcome.Refusal is { } refusal)
            return await IncidentPageAsync(http, id, refusal.Detail, refusal.Status, ct);
        return TypedResults.Redirect($"/incidents/{outcome.Value!.Id}");
    }

    internal static async Task<IResult> NotFoundAsync(HttpContext http, PageRenderer pages, Viewer? viewer, string detail) =>
        await pages.PageAsync<NotFoundPage>(http, new Dictionary<string, object?> { ["Viewer"] = viewer, ["Detail"] = detail },
            StatusCodes.Status404NotFound);

    internal static async Task<Viewer> ViewerAsync(HttpContext http, FirebreakDb db, CancellationToken ct)
    {
        var actor = Actor.From(http.User);
        var name = await db.People.AsNoTracking().Where(p => p.Id == actor.PersonId).Select(p => p.Name).FirstOrDefaultAsync(ct);
        return new Viewer(actor.Name, name ?? actor.Name, actor.IsAdmin, Csrf(http));
    }

    private static string Csrf(HttpContext http) =>
        http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http).RequestToken ?? "";

    private static string LocalOrHome(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : "/";

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
