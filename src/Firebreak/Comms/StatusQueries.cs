using System.Linq.Expressions;
using System.Text.Json;
using Firebreak.Incidents;
using Firebreak.Storage;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.Comms;

public static class StatusPageJson
{
    /// <summary>Statuspage's JSON is snake_case.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

public static class StatusQueries
{
    public static async Task<List<ComponentView>> ComponentsAsync(FirebreakDb db, CancellationToken ct) =>
        [.. (await db.Set<StatusComponent>().AsNoTracking().Include(c => c.Service).OrderBy(c => c.Position).ThenBy(c => c.Key).ToListAsync(ct))
            .Select(c => new ComponentView(c.Key, c.Name, c.Description, c.Status.Name(), c.Service?.ShortName, c.Position, c.UpdatedAt))];

    public static async Task<List<PublicIncidentView>> PublicIncidentsAsync(FirebreakDb db, Expression<Func<PublicIncident, bool>> where, int limit,
        CancellationToken ct)
    {
        var rows = await db.Set<PublicIncident>().AsNoTracking().Where(where)
            .Include(p => p.Components).ThenInclude(c => c.Component)
            .Include(p => p.Updates)
            .OrderByDescending(p => p.CreatedAt).Take(limit).AsSplitQuery().ToListAsync(ct);
        return [.. rows.Select(ToView)];
    }

    public static PublicIncidentView ToView(PublicIncident p) => new(
        p.Id, p.IncidentNumber is { } n ? Incident.FormatId(n) : null, p.Title, p.Impact.Name(), p.Status, p.IsMaintenance,
        p.ScheduledFor, p.ScheduledUntil, p.CreatedAt, p.UpdatedAt, p.ResolvedAt,
        [.. p.Components.Where(c => c.Component is not null).Select(c => c.Component!.Key).Order(StringComparer.Ordinal)],
        [.. p.Updates.OrderByDescending(u => u.Id).Select(u => new PublicUpdateView(u.Id, u.Status, u.Body, u.CreatedAt,
            u.AffectedComponents is null ? [] : JsonSerializer.Deserialize<List<AffectedComponent>>(u.AffectedComponents, StatusPageJson.Options) ?? []))]);

    /// <summary>The public face of an internal incident, for drafts: its public title and the names of its components.</summary>
    public static async Task<(string? Title, IReadOnlyList<string> Components)> PublicFaceAsync(FirebreakDb db, int incidentNumber, CancellationToken ct)
    {
        var published = await db.Set<PublicIncident>().AsNoTracking().Where(p => p.IncidentNumber == incidentNumber)
            .Include(p => p.Components).ThenInclude(c => c.Component).OrderByDescending(p => p.Id).FirstOrDefaultAsync(ct);
        if (published is not null)
            return (published.Title, [.. published.Components.Where(c => c.Component is not null).Select(c => c.Component!.Name)]);
        // Not published yet: the components mapped to the incident's services are the likely ones.
        var serviceIds = db.Set<IncidentServiceLink>().Where(l => l.IncidentNumber == incidentNumber).Select(l => l.ServiceId);
        var names = await db.Set<StatusComponent>().AsNoTracking().Where(c => c.ServiceId != null && serviceIds.Contains(c.ServiceId.Value))
            .OrderBy(c => c.Position).Select(c => c.Name).ToListAsync(ct);
        return (null, names);
    }
}
