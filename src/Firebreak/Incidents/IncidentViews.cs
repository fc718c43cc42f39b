using System.Text.Json;
using Firebreak.Catalog;
using Firebreak.Identity;
using Firebreak.Storage;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.Incidents;

public sealed record ServiceRef(string Id, string ShortName, string Name);

public sealed record IncidentTimes(
    DateTime StartedAt, DateTime DetectedAt, DateTime DeclaredAt, DateTime? AcknowledgedAt,
    DateTime? MitigatedAt, DateTime? ResolvedAt, DateTime? ClosedAt);

public sealed record RoleHolder(string Role, string Handle, string Name, DateTime Since);

public sealed record CanUpdateView(
    DateTime At, string Author, string Condition, string? Action, string? Need, DateTime? NextUpdateDueAt);

public sealed record LogEntryView(long Id, DateTime At, string Author, string Kind, string Text);

public sealed record ActionItemView(
    int Id, string Title, string? Owner, DateOnly? Due, bool Done, DateTime CreatedAt, DateTime? CompletedAt);

public sealed record TimelineEntryView(long Id, DateTime At, string Kind, string Actor, string Text, JsonElement? Data);

/// <summary>The landing page of an incident, as the API and the CLI show it.</summary>
public sealed record IncidentView(
    string Id, string Title, string? Summary, string Severity, string SeverityMeaning, string Status,
    bool Private, IReadOnlyList<ServiceRef> Services, IncidentTimes Times, string DeclaredBy,
    IReadOnlyList<RoleHolder> Roles, CanUpdateView? LatestUpdate, DateTime? NextUpdateDueAt,
    IReadOnlyList<LogEntryView> Facts, IReadOnlyList<LogEntryView> Hypotheses, IReadOnlyList<LogEntryView> Decisions,
    IReadOnlyList<ActionItemView> ActionItems, IReadOnlyList<WorkstreamView> Workstreams, IReadOnlyList<string> Members,
    IReadOnlyList<TimelineEntryView> Timeline)
{
    /// <summary>The top "what changed" entries, on the landing page (set by GET /api/v1/incidents/{id}).</summary>
    public IReadOnlyList<Changes.RankedChange>? TopChanges { get; init; }
}

public sealed record IncidentListItem(
    string Id, string Title, string Severity, string Status, bool Private, IReadOnlyList<string> Services,
    string? Commander, DateTime StartedAt, DateTime DeclaredAt, DateTime? ResolvedAt, DateTime? NextUpdateDueAt);

public sealed record IncidentFilter(string? Status, string? Severity, string? Service, bool Active, int Limit);

public static class IncidentQueries
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The incidents an actor may see. A private incident exists only for its members and admins;
    /// to anyone else it is indistinguishable from one that does not exist.
    /// </summary>
    public static IQueryable<Incident> VisibleTo(this DbSet<Incident> incidents, Actor actor) =>
        actor.IsAdmin
            ? incidents
            : incidents.Where(i => !i.IsPrivate || i.Members.Any(m => m.PersonId == actor.PersonId));

    public static async Task<IncidentView> ViewAsync(FirebreakDb db, int number, CancellationToken ct = default)
    {
        var incident = await db.Incidents.AsNoTracking()
            .Include(i => i.DeclaredBy)
            .Include(i => i.Services).ThenInclude(s => s.Service)
            .Include(i => i.Roles).ThenInclude(r => r.Person)
            .Include(i => i.Members).ThenInclude(m => m.Person)
            .AsSplitQuery()
            .FirstAsync(i => i.Number == number, ct);
        var timeline = await db.TimelineEvents.AsNoTracking()
            .Where(e => e.IncidentNumber == number).OrderBy(e => e.Id).ToListAsync(ct);
        var actionItems = await db.ActionItems.AsNoTracking().Include(a => a.Owner)
            .Where(a => a.IncidentNumber == number).OrderBy(a => a.Id).ToListAsync(ct);
        return ToView(incident, timeline, actionItems);
    }

    public static IncidentView ToView(Incident incident, IReadOnlyList<TimelineEvent> timeline, IReadOnlyList<ActionItem> actionItems)
    {
        var latestCan = timeline.LastOrDefault(e => e.Kind == TimelineEventKind.CanUpdate);
        CanUpdateView? latest = null;
        if (latestCan?.Data is { } data && JsonSerializer.Deserialize<CanUpdate>(data, Json) is { } can)
        {
            latest = new CanUpdateView(latestCan.At, latestCan.Actor, can.Condition, can.Action, can.Need, can.NextUpdateDueAt);
        }
        List<LogEntryView> Log(TimelineEventKind kind) =>
            [.. timeline.Where(e => e.Kind == kind).Select(e => new LogEntryView(e.Id, e.At, e.Actor, KindName(e.Kind), e.Text))];

        return new IncidentView(
            incident.Id, incident.Title, incident.Summary, incident.Severity.Format(), incident.Severity.Meaning(),
            incident.Status.Format(), incident.IsPrivate,
            [.. incident.Services.Where(s => s.Service is not null).OrderBy(s => s.Service!.ShortName)
                .Select(s => new ServiceRef(s.Service!.CanonicalId, s.Service.ShortName, s.Service.Name))],
            new IncidentTimes(incident.StartedAt, incident.DetectedAt, incident.DeclaredAt, incident.AcknowledgedAt,
                incident.MitigatedAt, incident.ResolvedAt, incident.ClosedAt),
            incident.DeclaredBy?.Handle ?? "unknown",
            [.. incident.Roles.OrderBy(r => r.Role).ThenBy(r => r.AssignedAt)
                .Select(r => new RoleHolder(r.Role.Format(), r.Person!.Handle, r.Person.Name, r.AssignedAt))],
            latest, incident.NextUpdateDueAt,
            Log(TimelineEventKind.Fact), Log(TimelineEventKind.Hypothesis), Log(TimelineEventKind.Decision),
            [.. actionItems.Select(ToView)],
            Workstreams.Fold(timeline),
            [.. incident.Members.Select(m => m.Person!.Handle).Order(StringComparer.Ordinal)],
            [.. timeline.Select(ToView)]);
    }

    public static ActionItemView ToView(ActionItem a) =>
        new(a.Id, a.Title, a.Owner?.Handle, a.DueOn, a.CompletedAt is not null, a.CreatedAt, a.CompletedAt);

    public static TimelineEntryView ToView(TimelineEvent e) =>
        new(e.Id, e.At, KindName(e.Kind), e.Actor, e.Text,
            e.Data is null ? null : JsonDocument.Parse(e.Data).RootElement.Clone());

    public static string KindName(TimelineEventKind kind) => JsonNamingPolicy.CamelCase.ConvertName(kind.ToString());

    public static async Task<IReadOnlyList<IncidentListItem>> ListAsync(FirebreakDb db, Actor actor,
        IncidentFilter filter, CancellationToken ct = default)
    {
        var query = db.Incidents.VisibleTo(actor).AsNoTracking();
        if (filter.Active)
        {
            query = query.Where(i => i.Status == IncidentStatus.Triage || i.Status == IncidentStatus.Investigating
                || i.Status == IncidentStatus.Mitigated);
        }
        if (filter.Status is not null && Vocabulary.TryParseStatus(filter.Status, out var status))
            query = query.Where(i => i.Status == status);
        if (filter.Severity is not null && Vocabulary.TryParseSeverity(filter.Severity, out var severity))
            query = query.Where(i => i.Severity == severity);
        if (filter.Service is not null)
        {
            var shortName = Service.ShortNameOf(filter.Service);
            query = query.Where(i => i.Services.Any(s => s.Service!.ShortName == shortName));
        }
        var rows = await query
            .Include(i => i.Services).ThenInclude(s => s.Service)
            .Include(i => i.Roles).ThenInclude(r => r.Person)
            .OrderByDescending(i => i.Number)
            .Take(filter.Limit)
            .AsSplitQuery()
            .ToListAsync(ct);
        return [.. rows.Select(i => new IncidentListItem(
            i.Id, i.Title, i.Severity.Format(), i.Status.Format(), i.IsPrivate,
            [.. i.Services.Select(s => s.Service!.ShortName).Order(StringComparer.Ordinal)],
            i.Roles.FirstOrDefault(r => r.Role == IncidentRole.Commander)?.Person?.Handle,
            i.StartedAt, i.DeclaredAt, i.ResolvedAt, i.NextUpdateDueAt))];
    }
}
