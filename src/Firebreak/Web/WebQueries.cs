using System.Text.Json;
using Firebreak.Alerts;
using Firebreak.Identity;
using Firebreak.Incidents;
using Firebreak.OnCall;
using Firebreak.Storage;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.Web;

/// <summary>What the pages read, gathered in one place per page.</summary>
public static class WebQueries
{
    public const int MaxLinkedAlerts = 50;

    public static async Task<IncidentPageModel> IncidentAsync(FirebreakDb db, int number, DateTime now, bool withPeople, CancellationToken ct)
    {
        var view = await IncidentQueries.ViewAsync(db, number, ct);
        var changes = await Changes.ChangeEndpoints.RankForIncidentAsync(db, Actor.Firebreak(null), view.Id, ct) ?? [];
        var shortNames = view.Services.Select(s => s.ShortName).ToList();
        var services = await db.Services.AsNoTracking().Include(s => s.OwnerTeam)
            .Where(s => shortNames.Contains(s.ShortName)).OrderBy(s => s.ShortName).ToListAsync(ct);
        var people = withPeople
            ? await db.People.AsNoTracking().OrderBy(p => p.Handle).Take(1000).Select(p => new Choice(p.Handle, p.Name)).ToListAsync(ct)
            : [];
        return new IncidentPageModel(view, await LinkedAlertsAsync(db, number, ct), [.. changes.Take(3)],
            [.. services.Select(s => new AffectedService(s.ShortName, s.Name, s.Tier, s.OwnerTeam?.Name,
                s.Runbook is null ? null : SafeMarkdown.ToHtml(s.Runbook)))],
            people, now)
        {
            Published = (await Comms.StatusQueries.PublicIncidentsAsync(db, p => p.IncidentNumber == number, 1, ct)).FirstOrDefault(),
        };
    }

    private static async Task<IReadOnlyList<LinkedAlert>> LinkedAlertsAsync(FirebreakDb db, int number, CancellationToken ct)
    {
        var groupKeys = db.Set<AlertGroup>().Where(g => g.IncidentNumber == number).Select(g => g.GroupKey);
        var alerts = await db.Set<Alert>().AsNoTracking().Where(a => groupKeys.Contains(a.GroupKey))
            .OrderBy(a => a.Status == "resolved").ThenByDescending(a => a.ChangedAt).Take(MaxLinkedAlerts).ToListAsync(ct);
        return [.. alerts.Select(a => new LinkedAlert(a.Id, a.Summary, a.Status, a.Severity, a.Service, a.OccurrenceAt,
            Annotations(a.Annotations), a.Link))];
    }

    private static IReadOnlyList<KeyValuePair<string, string>> Annotations(string? json)
    {
        if (string.IsNullOrEmpty(json)) return [];
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind != JsonValueKind.Object) return [];
        return [.. doc.RootElement.EnumerateObject().Select(p => KeyValuePair.Create(p.Name,
            p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() ?? "" : p.Value.GetRawText()))];
    }

    public static async Task<DashboardModel> DashboardAsync(FirebreakDb db, Actor actor, DateTime now, CancellationToken ct)
    {
        var active = await IncidentQueries.ListAsync(db, actor, new IncidentFilter(null, null, null, true, 200), ct);
        var recent = await IncidentQueries.ListAsync(db, actor, new IncidentFilter(null, null, null, false, 50), ct);
        var firing = await db.Set<Alert>().AsNoTracking().Where(a => a.Status != "resolved")
            .GroupBy(a => a.GroupKey).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var keys = firing.Keys.ToList();
        var groups = await db.Set<AlertGroup>().AsNoTracking()
            .Where(g => g.IncidentNumber == null && keys.Contains(g.GroupKey))
            .OrderByDescending(g => g.LastChangeAt).Take(20).ToListAsync(ct);
        var onCall = new List<OnCallView>();
        foreach (var schedule in await db.WithShifts().OrderBy(s => s.Name).ToListAsync(ct))
            onCall.Add(await ScheduleEndpoints.OnCallViewAsync(db, schedule, now, ct));
        return new DashboardModel(
            [.. active.OrderBy(i => i.Severity, StringComparer.Ordinal).ThenBy(i => i.StartedAt)],
            [.. groups.Select(g => new AlertGroupView(g.Id, g.GroupKey, g.Title, g.Service, firing[g.GroupKey], firing[g.GroupKey],
                g.FirstSeenAt, g.LastChangeAt, g.NotifiedAt, null))],
            onCall,
            [.. recent.Where(i => !Display.IsActive(i.Status)).Take(8)],
            now);
    }

    public static async Task<IReadOnlyList<Choice>> ServicesAsync(FirebreakDb db, CancellationToken ct) =>
        await db.Services.AsNoTracking().OrderBy(s => s.ShortName)
            .Select(s => new Choice(s.ShortName, s.Name + " (" + s.ShortName + ")")).ToListAsync(ct);
}
