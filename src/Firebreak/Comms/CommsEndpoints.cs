using System.Security.Claims;
using Firebreak.Hosting;
using Firebreak.Identity;
using Firebreak.Incidents;
using Firebreak.Storage;

namespace Firebreak.Comms;

/// <summary>The authenticated side of Comms: drafts, cadence, templates, publishing, components, subscribers.</summary>
public static class CommsEndpoints
{
    public static IEndpointRouteBuilder MapComms(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Comms");
        api.MapGet("/incidents/{id}/drafts/{audience}", Draft).WithSummary("A draft update for an audience (responders, exec, customer, support), from the record")
            .Produces<DraftView>();
        api.MapPost("/incidents/{id}/drafts/{audience}", PostDraft).WithSummary("Post a draft (or your edited text) to an audience; it is recorded on the timeline")
            .Produces<DraftView>();
        api.MapGet("/comms/cadence", (UpdateCadence cadence) => TypedResults.Ok(Enum.GetValues<Severity>()
            .ToDictionary(s => s.Format(), s => cadence.For(s) is { } span ? Durations.Humanize(span) : "none"))).WithSummary("Update cadence per severity");
        api.MapGet("/comms/templates", (Drafts drafts) => TypedResults.Ok(Drafts.Audiences.Select(a =>
        {
            var (source, text) = drafts.TemplateFor(a);
            return new { audience = a, source, error = Drafts.Check(text) };
        }))).WithSummary("The template in force for each audience, and its parse error if it has one");

        api.MapGet("/status/components", async (FirebreakDb db, CancellationToken ct) => TypedResults.Ok(await StatusQueries.ComponentsAsync(db, ct)))
            .WithSummary("Status page components").Produces<IReadOnlyList<ComponentView>>();
        api.MapPost("/status/components", (ComponentRequest body, StatusPublisher publisher, ClaimsPrincipal user, CancellationToken ct) =>
            Respond(publisher.UpsertComponentAsync(Actor.From(user), body, ct))).WithSummary("Add or change a component (admins)");
        api.MapPatch("/status/components/{key}", (string key, SetComponentStatusRequest body, StatusPublisher publisher, ClaimsPrincipal user, CancellationToken ct) =>
            Respond(publisher.SetComponentStatusAsync(Actor.From(user), key, body, ct))).WithSummary("Set a component's status by hand (admins)");
        api.MapPost("/incidents/{id}/publish", (string id, PublishRequest body, StatusPublisher publisher, ClaimsPrincipal user, CancellationToken ct) =>
            Respond(publisher.PublishAsync(Actor.From(user), id, body, ct))).WithSummary("Publish an incident to the status page with a public title, components and first update");
        api.MapGet("/status/incidents", async (FirebreakDb db, CancellationToken ct) =>
            TypedResults.Ok(await StatusQueries.PublicIncidentsAsync(db, _ => true, 100, ct))).WithSummary("Public incidents and maintenance, newest first");
        api.MapPost("/status/incidents/{publicId:int}/updates", (int publicId, PublicUpdateRequest body, StatusPublisher publisher, ClaimsPrincipal user, CancellationToken ct) =>
            Respond(publisher.PostUpdateAsync(Actor.From(user), publicId, body, ct))).WithSummary("Post a public update (investigating, identified, monitoring, resolved)");
        api.MapPost("/status/maintenances", (MaintenanceRequest body, StatusPublisher publisher, ClaimsPrincipal user, CancellationToken ct) =>
            Respond(publisher.ScheduleMaintenanceAsync(Actor.From(user), body, ct))).WithSummary("Schedule maintenance (admins)");
        api.MapGet("/status/subscribers", async (StatusSubscriptions subscriptions, ClaimsPrincipal user, CancellationToken ct) =>
            Actor.From(user).IsAdmin ? Results.Ok(await subscriptions.ListAsync(ct)) : Refusal.Forbidden("Only admins see subscribers.").ToResult())
            .WithSummary("Subscribers (admins)");
        api.MapPost("/status/subscribers", async (AddSubscriberRequest body, StatusSubscriptions subscriptions, ClaimsPrincipal user, CancellationToken ct) =>
            (await subscriptions.AddAsync(Actor.From(user), body, ct)).ToResult(TypedResults.Ok)).WithSummary("Add a webhook subscriber, or start an email's double opt-in (admins)");
        return app;
    }

    private static async Task<IResult> Draft(string id, string audience, FirebreakDb db, Drafts drafts, OnCall.PublicUrl url, TimeProvider clock,
        ClaimsPrincipal user, CancellationToken ct) =>
        (await DraftAsync(id, audience, db, drafts, url, clock, Actor.From(user), ct)).ToResult(TypedResults.Ok);

    private static async Task<IResult> PostDraft(string id, string audience, PostDraftRequest? body, FirebreakDb db, Drafts drafts, OnCall.PublicUrl url,
        TimeProvider clock, IncidentCommands commands, ClaimsPrincipal user, CancellationToken ct)
    {
        var actor = Actor.From(user);
        var drafted = await DraftAsync(id, audience, db, drafts, url, clock, actor, ct);
        if (drafted.Refusal is { } refused) return refused.ToResult();
        var draft = drafted.Value!;
        var posted = await Drafts.PostAsync(commands, actor, id, draft.Audience, body?.Text ?? draft.Text, draft.Template, body?.Force == true, ct);
        return posted.ToResult(TypedResults.Ok);
    }

    private static async Task<Outcome<DraftView>> DraftAsync(string id, string audience, FirebreakDb db, Drafts drafts, OnCall.PublicUrl url,
        TimeProvider clock, Actor actor, CancellationToken ct)
    {
        if (Drafts.Normalise(audience) is not { } normalised)
            return Refusal.Invalid("audience", $"Audience must be one of {string.Join(", ", Drafts.Audiences)}.");
        var number = await IncidentEndpoints.VisibleNumberAsync(db, actor, id, ct);
        if (number is null) return Refusal.NotFound($"No incident {id}.");
        var view = await IncidentQueries.ViewAsync(db, number.Value, ct);
        var (publicTitle, components) = await StatusQueries.PublicFaceAsync(db, number.Value, ct);
        var context = new DraftContext(clock.GetUtcNow().UtcDateTime, $"{url.Value}/incidents/{view.Id}", publicTitle, components);
        return drafts.Draft(view, normalised, context);
    }

    private static async Task<IResult> Respond<T>(Task<Outcome<T>> command) => (await command).ToResult(value => TypedResults.Ok(value));
}
