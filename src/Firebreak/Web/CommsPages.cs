using Firebreak.Comms;
using Firebreak.Identity;
using Firebreak.Incidents;
using Firebreak.Storage;
using Firebreak.Web.Pages;
using Microsoft.AspNetCore.Mvc;

namespace Firebreak.Web;

/// <summary>The comms page of an incident: drafts per audience, and publishing to the status page.</summary>
public static class CommsPages
{
    public static IEndpointRouteBuilder MapCommsPages(this RouteGroupBuilder app)
    {
        app.MapGet("/incidents/{id}/comms", (HttpContext http, string id, string? audience, CancellationToken ct) => PageAsync(http, id, audience ?? "responders", null, null, StatusCodes.Status200OK, ct));
        app.MapPost("/incidents/{id}/comms/publish", Publish);
        app.MapPost("/incidents/{id}/comms/public-update", PublicUpdate);
        app.MapPost("/incidents/{id}/comms/{audience}", PostDraft);
        return app;
    }

    private static async Task<IResult> PostDraft(HttpContext http, string id, string audience, [FromForm] string? text, [FromForm] string? force, IncidentCommands commands, CancellationToken ct)
    {
        var normalised = Drafts.Normalise(audience) ?? "responders";
        var posted = await Drafts.PostAsync(commands, Actor.From(http.User), id, normalised, text, "edited on the comms page", force == "true", ct);
        if (posted.Refusal is { } refused) return await PageAsync(http, id, normalised, text, refused.Detail, refused.Status, ct);
        return TypedResults.Redirect($"/incidents/{posted.Value!.Incident}");
    }

    private static async Task<IResult> Publish(HttpContext http, string id, [FromForm] string? title, [FromForm] string? status, [FromForm] string? body,
        StatusPublisher publisher, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var components = form.Keys.Where(k => k.StartsWith("component:", StringComparison.Ordinal) && !string.IsNullOrEmpty(form[k]))
            .ToDictionary(k => k["component:".Length..], k => form[k].ToString());
        var outcome = await publisher.PublishAsync(Actor.From(http.User), id, new PublishRequest(title, status, body, components), ct);
        if (outcome.Refusal is { } refused) return await PageAsync(http, id, "customer", null, refused.Detail, refused.Status, ct);
        return TypedResults.Redirect($"/incidents/{id}/comms?audience=customer");
    }

    private static async Task<IResult> PublicUpdate(HttpContext http, string id, [FromForm] int publicId, [FromForm] string? status, [FromForm] string? body,
        StatusPublisher publisher, CancellationToken ct)
    {
        var outcome = await publisher.PostUpdateAsync(Actor.From(http.User), publicId, new PublicUpdateRequest(status, body), ct);
        if (outcome.Refusal is { } refused) return await PageAsync(http, id, "customer", null, refused.Detail, refused.Status, ct);
        return TypedResults.Redirect($"/incidents/{id}/comms?audience=customer");
    }

    private static async Task<IResult> PageAsync(HttpContext http, string id, string audience, string? text, string? error, int status, CancellationToken ct)
    {
        var services = http.RequestServices;
        var db = services.GetRequiredService<FirebreakDb>();
        var pages = services.GetRequiredService<PageRenderer>();
        var actor = Actor.From(http.User);
        var viewer = await WebPages.ViewerAsync(http, db, ct);
        var number = await IncidentEndpoints.VisibleNumberAsync(db, actor, id, ct);
        if (number is null) return await WebPages.NotFoundAsync(http, pages, viewer, $"There is no incident {id}, or you may not see it.");
        var view = await IncidentQueries.ViewAsync(db, number.Value, ct);
        var (publicTitle, publicComponents) = await StatusQueries.PublicFaceAsync(db, number.Value, ct);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var context = new DraftContext(now, $"{services.GetRequiredService<OnCall.PublicUrl>().Value}/incidents/{view.Id}", publicTitle, publicComponents);
        var drafts = services.GetRequiredService<Drafts>();
        var normalised = Drafts.Normalise(audience) ?? "responders";
        var drafted = drafts.Draft(view, normalised, context);
        var draft = drafted.Value ?? new DraftView(view.Id, normalised, "", "", []);
        if (text is not null) draft = draft with { Text = text, Findings = Drafts.IsCustomerFacing(normalised) ? CustomerLint.Check(text) : [] };
        var customer = drafts.Draft(view, "customer", context).Value;
        var published = (await StatusQueries.PublicIncidentsAsync(db, p => p.IncidentNumber == number, 1, ct)).FirstOrDefault();
        return await pages.PageAsync<CommsPage>(http, new Dictionary<string, object?>
        {
            ["Viewer"] = viewer,
            ["Id"] = view.Id,
            ["Draft"] = draft,
            ["Private"] = view.Private,
            ["Published"] = published,
            ["Components"] = await StatusQueries.ComponentsAsync(db, ct),
            ["SuggestedTitle"] = publicTitle ?? (view.Services.Count > 0 ? $"{view.Services[0].Name} disruption" : "Service disruption"),
            // The customer draft without its heading line: the title is its own field.
            ["SuggestedBody"] = customer?.Text.Split('\n', 3) is { Length: 3 } lines ? lines[2].Trim() : customer?.Text.Trim(),
            ["Error"] = error ?? drafted.Refusal?.Detail,
        }, status);
    }
}
