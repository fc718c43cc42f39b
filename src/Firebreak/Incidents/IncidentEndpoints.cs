using System.Security.Claims;
using Firebreak.Hosting;
using Firebreak.Identity;
using Firebreak.Storage;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.Incidents;

public static class IncidentEndpoints
{
    public static IEndpointRouteBuilder MapIncidents(this IEndpointRouteBuilder app)
    {
        var incidents = app.MapGroup("/api/v1/incidents").WithTags("Incidents");

        incidents.MapPost("/", Declare).WithSummary("Declare an incident").Produces<IncidentView>(StatusCodes.Status201Created);
        incidents.MapGet("/", List).WithSummary("List incidents, newest first").Produces<IReadOnlyList<IncidentListItem>>();
        incidents.MapGet("/{id}", Get).WithSummary("An incident's landing page, with its timeline").Produces<IncidentView>();

        incidents.MapPatch("/{id}", (string id, EditIncidentRequest body, IncidentCommands commands, ClaimsPrincipal user, CancellationToken ct) =>
            Respond(commands.EditAsync(Actor.From(user), id, body, ct))).WithSummary("Edit the title or summary, or add affected services");
        incidents.MapPost("/{id}/severity", (string id, ChangeSeverityRequest body, IncidentCommands commands, ClaimsPrincipal user, CancellationToken ct) =>
            Respond(commands.ChangeSeverityAsync(Actor.From(user), id, body, ct))).WithSummary("Change the severity");
        incidents.MapPost("/{id}/status", (string id, ChangeStatusRequest body, IncidentCommands commands, ClaimsPrincipal user, CancellationToken ct) =>
            Respond(commands.ChangeStatusAsync(Actor.From(user), id, body, ct))).WithSummary("Move the incident along its lifecycle");
        incidents.MapPost("/{id}/reopen", (string id, ReopenRequest body, IncidentCommands commands, ClaimsPrincipal user, CancellationToken ct) =>
            Respond(commands.ReopenAsync(Actor.From(user), id, body, ct))).WithSummary("Re-open a resolved or closed incident");
        incidents.MapPost("/{id}/roles", (string id, AssignRoleRequest body, IncidentCommands commands, ClaimsPrincipal user, CancellationToken ct) =>
            Respond(commands.AssignRoleAsync(Actor.From(user), id, body, ct))).WithSummary("Assign or hand over a role");
        incidents.MapDelete("/{id}/roles/{role}/{handle}", (string id, string role, string handle, IncidentCommands commands, ClaimsPrincipal user, CancellationToken ct) =>
            Respond(commands.RelieveRoleAsync(Actor.From(user), id, role, handle, ct))).WithSummary("Relieve someone of a role");
        incidents.MapPost("/{id}/updates", (string id, PostCanUpdateRequest body, IncidentCommands commands, ClaimsPrincipal user, CancellationToken ct) =>
            Respond(commands.PostUpdateAsync(Actor.From(user), id, body, ct))).WithSummary("Post a CAN update (Condition, Action, Need)");
        incidents.MapPost("/{id}/log", (string id, LogEntryRequest body, IncidentCommands commands, ClaimsPrincipal user, CancellationToken ct) =>
            Respond(commands.LogAsync(Actor.From(user), id, body, ct))).WithSummary("Log a fact, hypothesis, decision, action or note");
        incidents.MapPost("/{id}/actions", (string id, AddActionItemRequest body, IncidentCommands commands, ClaimsPrincipal user, CancellationToken ct) =>
            Respond(commands.AddActionItemAsync(Actor.From(user), id, body, ct))).WithSummary("Add a follow-up action item");
        incidents.MapPost("/{id}/actions/{itemId:int}/complete", (string id, int itemId, IncidentCommands commands, ClaimsPrincipal user, CancellationToken ct) =>
            Respond(commands.CompleteActionItemAsync(Actor.From(user), id, itemId, ct))).WithSummary("Mark an action item done");
        incidents.MapPost("/{id}/workstreams", (string id, OpenWorkstreamRequest body, IncidentCommands commands, ClaimsPrincipal user, CancellationToken ct) =>
            Respond(commands.OpenWorkstreamAsync(Actor.From(user), id, body, ct))).WithSummary("Open a workstream, optionally with a lead");
        incidents.MapPatch("/{id}/workstreams/{number:int}", (string id, int number, UpdateWorkstreamRequest body, IncidentCommands commands, ClaimsPrincipal user, CancellationToken ct) =>
            Respond(commands.UpdateWorkstreamAsync(Actor.From(user), id, number, body, ct))).WithSummary("Hand a workstream to a new lead, or mark it done");
        incidents.MapPost("/{id}/members", (string id, AddMemberRequest body, IncidentCommands commands, ClaimsPrincipal user, CancellationToken ct) =>
            Respond(commands.AddMemberAsync(Actor.From(user), id, body, ct))).WithSummary("Let someone see a private incident");
        incidents.MapGet("/{id}/timeline", Timeline).WithSummary("The timeline, oldest first").Produces<IReadOnlyList<TimelineEntryView>>();

        return app;
    }

    private static async Task<IResult> Declare(DeclareIncidentRequest body, IncidentCommands commands, ClaimsPrincipal user, CancellationToken ct)
    {
        var outcome = await commands.DeclareAsync(Actor.From(user), body, ct);
        return outcome.ToResult(view => TypedResults.Created($"/api/v1/incidents/{view.Id}", view));
    }

    private static async Task<IResult> List(FirebreakDb db, ClaimsPrincipal user, string? status, string? severity,
        string? service, bool? active, int? limit, CancellationToken ct)
    {
        if (status is not null && !Vocabulary.TryParseStatus(status, out _))
            return Refusal.Invalid("status", $"Status must be one of {Vocabulary.Names<IncidentStatus>()}.").ToResult();
        if (severity is not null && !Vocabulary.TryParseSeverity(severity, out _))
            return Refusal.Invalid("severity", "Severity must be one of SEV0 … SEV5.").ToResult();
        if (limit is < 1 or > 1000)
            return Refusal.Invalid("limit", "The limit must be between 1 and 1000.").ToResult();
        var filter = new IncidentFilter(status, severity, service, active ?? false, limit ?? 100);
        return TypedResults.Ok(await IncidentQueries.ListAsync(db, Actor.From(user), filter, ct));
    }

    private static async Task<IResult> Get(string id, FirebreakDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        var actor = Actor.From(user);
        var number = await VisibleNumberAsync(db, actor, id, ct);
        if (number is null) return Refusal.NotFound($"No incident {id}.").ToResult();
        var view = await IncidentQueries.ViewAsync(db, number.Value, ct);
        var changes = await Changes.ChangeEndpoints.RankForIncidentAsync(db, actor, id, ct) ?? [];
        return TypedResults.Ok(view with { TopChanges = [.. changes.Take(3)] });
    }

    private static async Task<IResult> Timeline(string id, FirebreakDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        var number = await VisibleNumberAsync(db, Actor.From(user), id, ct);
        if (number is null) return Refusal.NotFound($"No incident {id}.").ToResult();
        var events = await db.TimelineEvents.AsNoTracking().Where(e => e.IncidentNumber == number).OrderBy(e => e.Id).ToListAsync(ct);
        return TypedResults.Ok(events.Select(IncidentQueries.ToView).ToList());
    }

    /// <summary>The incident's number if it exists and the actor may see it; private ones are 404 to others.</summary>
    public static async Task<int?> VisibleNumberAsync(FirebreakDb db, Actor actor, string id, CancellationToken ct)
    {
        if (!Incident.TryParseId(id, out var number)) return null;
        var exists = await db.Incidents.VisibleTo(actor).AnyAsync(i => i.Number == number, ct);
        return exists ? number : null;
    }

    private static async Task<IResult> Respond(Task<Outcome<IncidentView>> command) =>
        (await command).ToResult(TypedResults.Ok);
}
