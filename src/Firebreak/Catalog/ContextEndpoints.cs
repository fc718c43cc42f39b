using System.Security.Claims;
using System.Text.Json;
using Firebreak.Alerts;
using Firebreak.Changes;
using Firebreak.Hosting;
using Firebreak.Identity;
using Firebreak.Incidents;
using Firebreak.Storage;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.Catalog;

public sealed record ServiceDetailView(string Id, string ShortName, string Name, string? Description, string? Team, int Tier,
    IReadOnlyList<string> DependsOn, IReadOnlyList<string> Dependents, string? Escalation, JsonElement? Links, JsonElement? Slos,
    bool HasRunbook, DateOnly? LastReviewed, string ManagedBy);

public sealed record BlastRadiusView(string Service, IReadOnlyList<DownstreamService> Downstream, IReadOnlyList<string> Tier1);

public sealed record DownstreamService(string Service, string Name, int Tier, int Distance);

public sealed record WhoToCall(string? Team, string? TeamName, string? Channel, string? Escalation, string? RoutedBy)
{
    /// <summary>Who is on call now on the schedule the escalation reference names, when there is one.</summary>
    public string? OnCall { get; init; }
}

/// <summary>The first five seconds: what broke, how bad, where to verify, what to try first, who to call.</summary>
public sealed record ContextView(
    string Subject, string What, string? Service, string? ServiceName, string? Severity, int? Tier, BlastRadiusView? BlastRadius,
    JsonElement? Verify, string? TryFirst, string? AlertPlan, RankedChange? TopChange, WhoToCall Who, string? CatalogVersion);

public sealed record CatalogStatusView(string? Version, string? Source, DateTime? SyncedAt, bool? LastAttemptApplied, IReadOnlyList<string> LastAttemptFindings);

public static class ContextEndpoints
{
    public static IEndpointRouteBuilder MapCatalogContext(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Catalog");
        api.MapGet("/catalog", Status).WithSummary("The catalog version in force (its commit) and the last sync attempt").Produces<CatalogStatusView>();
        api.MapPost("/catalog/sync", Sync).WithSummary("Pull and apply the catalog repository now (admins only)").Produces<CatalogSyncResult>();
        api.MapGet("/services/{reference}/detail", Detail).WithSummary("A service with dependencies, links, SLOs").Produces<ServiceDetailView>();
        api.MapGet("/services/{reference}/runbook", Runbook).WithSummary("The service's runbook (Markdown)");
        api.MapGet("/services/{reference}/blast-radius", Blast).WithSummary("Services downstream of this one, nearest first").Produces<BlastRadiusView>();
        api.MapGet("/alert-plans/{alertName}", Plan).WithSummary("The alert response plan for an alert name (Markdown)");
        api.MapGet("/incidents/{id}/context", IncidentContext).WithSummary("The first-five-seconds context of an incident").Produces<ContextView>();
        api.MapGet("/alerts/{id:long}/context", AlertContext).WithSummary("The first-five-seconds context of an alert").Produces<ContextView>();
        return app;
    }

    private static async Task<IResult> Status(FirebreakDb db, CancellationToken ct)
    {
        var applied = await db.Set<CatalogVersion>().AsNoTracking().Where(v => v.Applied).OrderByDescending(v => v.Id).FirstOrDefaultAsync(ct);
        var last = await db.Set<CatalogVersion>().AsNoTracking().OrderByDescending(v => v.Id).FirstOrDefaultAsync(ct);
        return TypedResults.Ok(new CatalogStatusView(applied?.Version, applied?.Source, applied?.SyncedAt, last?.Applied,
            last?.Findings?.Split('\n') ?? []));
    }

    private static async Task<IResult> Sync(ClaimsPrincipal user, CatalogSync sync, CatalogOptions options, CancellationToken ct)
    {
        var actor = Actor.From(user);
        if (!actor.IsAdmin) return Refusal.Forbidden("Only an admin can sync the catalog.").ToResult();
        if (options.Source is null) return Refusal.Conflict("No catalog repository is configured: set Firebreak:Catalog:Repo (or FIREBREAK_CATALOG).").ToResult();
        var result = await sync.SyncAsync(actor, ct: ct);
        return result.Applied ? TypedResults.Ok(result) : TypedResults.UnprocessableEntity(result);
    }

    private static async Task<Service?> FindAsync(FirebreakDb db, string reference, CancellationToken ct)
    {
        var shortName = Service.ShortNameOf(reference);
        return await db.Services.AsNoTracking().Include(s => s.OwnerTeam).Include(s => s.DependsOn).ThenInclude(d => d.DependsOnService)
            .FirstOrDefaultAsync(s => s.ShortName == shortName, ct);
    }

    private static async Task<IResult> Detail(string reference, FirebreakDb db, CancellationToken ct)
    {
        if (await FindAsync(db, reference, ct) is not { } s) return Refusal.NotFound($"No service '{reference}'.").ToResult();
        var graph = await CatalogQueries.DependencyGraphAsync(db, ct);
        return TypedResults.Ok(new ServiceDetailView(s.CanonicalId, s.ShortName, s.Name, s.Description, s.OwnerTeam?.ShortName, s.Tier,
            [.. s.DependsOn.Select(d => d.DependsOnService!.ShortName)], [.. graph.Where(kv => kv.Value.Contains(s.ShortName)).Select(kv => kv.Key).Order(StringComparer.Ordinal)],
            s.EscalationRef, Json(s.Links), Json(s.Slos), s.Runbook is not null, s.LastReviewed, s.ManagedBy));
    }

    private static async Task<IResult> Runbook(string reference, FirebreakDb db, CancellationToken ct) =>
        await FindAsync(db, reference, ct) is { Runbook: { } markdown }
            ? TypedResults.Text(markdown, "text/markdown; charset=utf-8")
            : Refusal.NotFound($"No runbook for '{reference}'.").ToResult();

    private static async Task<IResult> Plan(string alertName, FirebreakDb db, CancellationToken ct) =>
        await db.Set<AlertPlan>().AsNoTracking().FirstOrDefaultAsync(p => p.AlertName == alertName, ct) is { } plan
            ? TypedResults.Text(plan.Markdown, "text/markdown; charset=utf-8")
            : Refusal.NotFound($"No alert plan for '{alertName}'.").ToResult();

    private static async Task<IResult> Blast(string reference, FirebreakDb db, CancellationToken ct)
    {
        if (await FindAsync(db, reference, ct) is not { } s) return Refusal.NotFound($"No service '{reference}'.").ToResult();
        return TypedResults.Ok(await BlastRadiusAsync(db, s.ShortName, ct));
    }

    public static async Task<BlastRadiusView> BlastRadiusAsync(FirebreakDb db, string shortName, CancellationToken ct)
    {
        var graph = await CatalogQueries.DependencyGraphAsync(db, ct);
        var services = await db.Services.AsNoTracking().ToDictionaryAsync(x => x.ShortName, ct);
        var downstream = CatalogGraph.Downstream(graph, shortName)
            .Select(d => new DownstreamService(d.Service, services[d.Service].Name, services[d.Service].Tier, d.Distance)).ToList();
        return new BlastRadiusView(shortName, downstream, [.. downstream.Where(d => d.Tier == 1).Select(d => d.Service)]);
    }

    private static async Task<IResult> IncidentContext(string id, FirebreakDb db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var actor = Actor.From(user);
        var number = await IncidentEndpoints.VisibleNumberAsync(db, actor, id, ct);
        if (number is null) return Refusal.NotFound($"No incident {id}.").ToResult();
        return TypedResults.Ok(await ForIncidentAsync(db, clock, actor, number.Value, ct));
    }

    /// <summary>The context of an incident the actor may see (pages carry it too).</summary>
    public static async Task<ContextView> ForIncidentAsync(FirebreakDb db, TimeProvider clock, Actor actor, int number, CancellationToken ct)
    {
        var incident = await db.Incidents.AsNoTracking().Include(i => i.Services).ThenInclude(s => s.Service).FirstAsync(i => i.Number == number, ct);
        var service = incident.Services.Select(s => s.Service!).OrderBy(s => s.Tier).FirstOrDefault();
        var linkedAlert = await db.Set<AlertGroup>().AsNoTracking().Where(g => g.IncidentNumber == number)
            .Join(db.Set<Alert>().AsNoTracking(), g => g.GroupKey, a => a.GroupKey, (g, a) => a).OrderByDescending(a => a.Id).FirstOrDefaultAsync(ct);
        var changes = await ChangeEndpoints.RankForIncidentAsync(db, actor, incident.Id, ct) ?? [];
        return await BuildAsync(db, clock, incident.Id, incident.Title, service?.ShortName, incident.Severity.Format(),
            linkedAlert?.AlertName, changes.FirstOrDefault(), ct);
    }

    private static async Task<IResult> AlertContext(long id, FirebreakDb db, TimeProvider clock, CancellationToken ct)
    {
        var alert = await db.Set<Alert>().AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
        if (alert is null) return Refusal.NotFound($"No alert {id}.").ToResult();
        return TypedResults.Ok(await BuildAsync(db, clock, $"alert {id}", $"{alert.Severity}: {alert.Summary}", alert.Service, alert.Severity, alert.AlertName, null, ct,
            routingText: string.Join(' ', alert.AlertName, alert.Summary, alert.Labels)));
    }

    private static async Task<ContextView> BuildAsync(FirebreakDb db, TimeProvider clock, string subject, string what, string? serviceName, string? severity, string? alertName,
        RankedChange? topChange, CancellationToken ct, string? routingText = null)
    {
        var service = serviceName is null ? null : await FindAsync(db, serviceName, ct);
        var plan = alertName is null ? null : await db.Set<AlertPlan>().AsNoTracking().FirstOrDefaultAsync(p => p.AlertName == alertName, ct);
        var version = await db.Set<CatalogVersion>().AsNoTracking().Where(v => v.Applied).OrderByDescending(v => v.Id).Select(v => v.Version).FirstOrDefaultAsync(ct);
        WhoToCall who;
        if (service?.OwnerTeam is { } team) who = new WhoToCall(team.ShortName, team.Name, team.ChatChannel, service.EscalationRef ?? team.EscalationRef, "owning team of " + service.CanonicalId);
        else
        {
            var text = (routingText ?? what).ToLowerInvariant();
            var rules = await db.Set<RoutingRule>().AsNoTracking().ToListAsync(ct);
            var rule = rules.FirstOrDefault(r => r.Keywords.Split(',').Any(k => k.Length > 0 && text.Contains(k, StringComparison.Ordinal)));
            var routed = rule is null ? null : await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.ShortName == rule.TeamShortName, ct);
            who = new WhoToCall(routed?.ShortName, routed?.Name, routed?.ChatChannel, routed?.EscalationRef, rule is null ? null : $"scenario '{rule.Scenario}'");
        }
        if (who.Escalation is { } escalation
            && await OnCall.ScheduleQueries.WithShifts(db).FirstOrDefaultAsync(x => x.Name == escalation, ct) is { } schedule)
            who = who with { OnCall = OnCall.Rotation.OnCallAt(schedule, clock.GetUtcNow().UtcDateTime)?.Handle };
        var tryFirst = topChange is { RollbackCandidate: true }
            ? $"Roll back {topChange.Change.Service} to {topChange.RollBackTo ?? "the previous version"} (deployed {Durations.Humanize(topChange.BeforeImpact)} before impact: {topChange.Change.Summary}); investigate after."
            : MarkdownSections.FirstItemUnder(plan?.Markdown, "check first", "what to check")
              ?? MarkdownSections.FirstItemUnder(service?.Runbook, "known fixes", "fixes", "mitigation");
        return new ContextView(subject, what, service?.CanonicalId, service?.Name, severity, service?.Tier,
            service is null ? null : await BlastRadiusAsync(db, service.ShortName, ct), Json(service?.Links), tryFirst, plan?.AlertName, topChange, who, version);
    }

    private static JsonElement? Json(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
}
