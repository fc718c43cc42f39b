using System.Security.Claims;
using System.Text.Json;
using Firebreak.Alerts;
using Firebreak.Catalog;
using Firebreak.Hosting;
using Firebreak.Identity;
using Firebreak.Incidents;
using Firebreak.Storage;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.Changes;

public sealed record RecordChangeRequest(string? Service, string? Kind = "deploy", string? Summary = null, string? Version = null,
    string? Commit = null, string? Author = null, string? Link = null, DateTime? At = null);

public static class ChangeEndpoints
{
    public static readonly string[] Kinds = ["deploy", "config", "flag", "migration", "infra", "commit"];

    public static IEndpointRouteBuilder MapChanges(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("What changed");
        api.MapPost("/changes", Record).WithSummary("Record a change (one object, or an array for imports)").Produces<IReadOnlyList<ChangeView>>(StatusCodes.Status201Created);
        api.MapGet("/changes", List).WithSummary("Recent changes, newest first").Produces<IReadOnlyList<ChangeView>>();
        api.MapGet("/incidents/{id}/changes", ForIncident).WithSummary("What changed before impact, ranked; the first rollback candidate flagged").Produces<IReadOnlyList<RankedChange>>();
        return app;
    }

    private static async Task<IResult> Record(HttpRequest request, ClaimsPrincipal user, FirebreakDb db, ServiceDirectory services, TimeProvider clock, CancellationToken ct)
    {
        List<RecordChangeRequest>? items;
        try
        {
            using var doc = await System.Text.Json.JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
            var options = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);
            items = doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Array
                ? doc.RootElement.Deserialize<List<RecordChangeRequest>>(options)
                : [doc.RootElement.Deserialize<RecordChangeRequest>(options)!];
        }
        catch (System.Text.Json.JsonException e)
        {
            return TypedResults.Problem(statusCode: 400, title: "Malformed JSON", detail: e.Message);
        }
        if (items is null || items.Count == 0) return Refusal.Invalid("service", "Send a change or an array of changes.").ToResult();
        if (items.Count > 5000) return Refusal.Invalid("changes", "At most 5000 changes per request.").ToResult();
        await services.RefreshIfStaleAsync(ct);
        var actor = Actor.From(user);
        var now = clock.GetUtcNow().UtcDateTime;
        var rows = new List<ChangeEvent>();
        for (var i = 0; i < items.Count; i++)
        {
            var c = items[i];
            var where = items.Count == 1 ? "" : $"change {i}: ";
            if (services.Find(c.Service) is not { } service) return Refusal.Invalid("service", $"{where}unknown service '{c.Service}'.").ToResult();
            if (c.Kind is null || !Kinds.Contains(c.Kind)) return Refusal.Invalid("kind", $"{where}kind must be one of {string.Join(", ", Kinds)}.").ToResult();
            var summary = c.Summary?.Trim() is { Length: > 0 } s ? s : $"{c.Kind} {service.ShortName} {c.Version ?? c.Commit}".Trim();
            if (summary.Length > 1024 || c.Version is { Length: > 200 } || c.Commit is { Length: > 64 } || c.Author is { Length: > 200 } || c.Link is { Length: > 2048 })
                return Refusal.Invalid("summary", $"{where}a field is too long (summary 1024, version 200, commit 64, author 200, link 2048).").ToResult();
            var at = c.At?.ToUniversalTime() ?? now;
            if (at > now.AddMinutes(5)) return Refusal.Invalid("at", $"{where}a change cannot be in the future.").ToResult();
            rows.Add(new ChangeEvent
            {
                Summary = summary, Service = service.ShortName, Kind = c.Kind, Version = c.Version, Commit = c.Commit, Author = c.Author,
                Link = c.Link, OccurredAt = at, ReceivedAt = now, Source = "api", RecordedBy = actor.Name,
            });
        }
        // Re-importing a git history is harmless: a change already recorded for the same commit is skipped.
        var commits = rows.Where(r => r.Commit is not null).Select(r => r.Commit!).Distinct().ToList();
        var known = commits.Count == 0 ? [] : await db.Set<ChangeEvent>().AsNoTracking().Where(c => c.Commit != null && commits.Contains(c.Commit))
            .Select(c => new { c.Service, c.Kind, c.Commit, c.Version }).ToListAsync(ct);
        rows = [.. rows.Where(r => r.Commit is null || !known.Any(k => k.Service == r.Service && k.Kind == r.Kind && k.Commit == r.Commit && k.Version == r.Version))];
        if (rows.Count == 0) return TypedResults.Ok(new List<ChangeView>());
        db.Set<ChangeEvent>().AddRange(rows);
        db.Audit(actor, "change.record", rows[0].Service!, now, $"{rows.Count} change(s)");
        await db.SaveChangesAsync(ct);
        return TypedResults.Created("/api/v1/changes", rows.Select(ToView).ToList());
    }

    private static async Task<IResult> List(FirebreakDb db, string? service, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > 1000) return Refusal.Invalid("limit", "The limit must be between 1 and 1000.").ToResult();
        var query = db.Set<ChangeEvent>().AsNoTracking();
        if (service is not null) query = query.Where(c => c.Service == Service.ShortNameOf(service));
        var rows = await query.OrderByDescending(c => c.OccurredAt).Take(limit ?? 50).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(ToView).ToList());
    }

    private static async Task<IResult> ForIncident(string id, FirebreakDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        var ranked = await RankForIncidentAsync(db, Actor.From(user), id, ct);
        return ranked is null ? Refusal.NotFound($"No incident {id}.").ToResult() : TypedResults.Ok(ranked);
    }

    /// <summary>The ranked changes for an incident the actor may see; null if it is unknown or invisible.</summary>
    public static async Task<List<RankedChange>?> RankForIncidentAsync(FirebreakDb db, Actor actor, string id, CancellationToken ct)
    {
        var number = await IncidentEndpoints.VisibleNumberAsync(db, actor, id, ct);
        if (number is null) return null;
        var incident = await db.Incidents.AsNoTracking().Include(i => i.Services).ThenInclude(s => s.Service).FirstAsync(i => i.Number == number, ct);
        var graph = await CatalogQueries.DependencyGraphAsync(db, ct);
        var distances = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var affected in incident.Services.Select(s => s.Service!.ShortName))
        {
            distances[affected] = 0;
            foreach (var (upstream, distance) in CatalogGraph.Upstream(graph, affected))
                distances[upstream] = Math.Min(distances.GetValueOrDefault(upstream, int.MaxValue), distance);
        }
        if (distances.Count == 0) return [];
        var names = distances.Keys.ToList();
        var since = incident.StartedAt - WhatChanged.Window - TimeSpan.FromDays(30);
        var history = await db.Set<ChangeEvent>().AsNoTracking().Where(c => c.Service != null && names.Contains(c.Service) && c.OccurredAt >= since)
            .OrderBy(c => c.OccurredAt).Take(20_000).ToListAsync(ct);
        return WhatChanged.Rank(incident.StartedAt, distances, history.Select(ToView).ToList());
    }

    public static ChangeView ToView(ChangeEvent c) =>
        new(c.Id, c.Kind, c.Summary, c.Service, c.Version, c.Commit, c.Author, c.Link, c.OccurredAt, c.IntegrationId is null ? c.Source ?? "api" : "pagerduty");
}
