using System.Globalization;
using Firebreak.Identity;
using Firebreak.Incidents;
using Firebreak.OnCall;
using Firebreak.Storage;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Firebreak.Comms;

/// <summary>
/// Reminds the commander and the comms lead when an active incident's next update is overdue: on the timeline,
/// and through each one's contact methods. A persisted Quartz job (clustered on PostgreSQL, so one node runs it)
/// looks every <see cref="Interval"/>; reminders repeat every <see cref="RepeatEvery"/> while the update is
/// late, at most <see cref="MaxPerDueTime"/> times for one due time.
/// </summary>
[DisallowConcurrentExecution]
public sealed class UpdateReminderJob(IServiceScopeFactory scopes) : IJob
{
    public static readonly JobKey Key = new("update-reminders", "comms");
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan RepeatEvery = TimeSpan.FromMinutes(10);
    public const int MaxPerDueTime = 3;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await RemindAsync(scope.ServiceProvider, cancellationToken);
    }

    public static async Task<int> RemindAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<FirebreakDb>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var overdue = await db.Incidents.AsNoTracking()
            .Where(i => i.NextUpdateDueAt != null && i.NextUpdateDueAt <= now
                && (i.Status == IncidentStatus.Triage || i.Status == IncidentStatus.Investigating || i.Status == IncidentStatus.Mitigated))
            .Include(i => i.Roles).ThenInclude(r => r.Person)
            .ToListAsync(ct);
        var reminded = 0;
        foreach (var incident in overdue)
        {
            var due = incident.NextUpdateDueAt!.Value;
            var earlier = await db.TimelineEvents.AsNoTracking()
                .Where(e => e.IncidentNumber == incident.Number && e.Kind == TimelineEventKind.UpdateOverdue && e.At >= due)
                .Select(e => e.At).ToListAsync(ct);
            if (earlier.Count >= MaxPerDueTime || (earlier.Count > 0 && now - earlier.Max() < RepeatEvery)) continue;
            if (await RemindOneAsync(services, incident, due, earlier.Count + 1, now, ct)) reminded++;
        }
        if (reminded > 0) services.GetRequiredService<DeliverySignal>().Wake();
        return reminded;
    }

    private static async Task<bool> RemindOneAsync(IServiceProvider services, Incident incident, DateTime due, int nth, DateTime now, CancellationToken ct)
    {
        var db = services.GetRequiredService<FirebreakDb>();
        var people = incident.Roles.Where(r => r.Role is IncidentRole.Commander or IncidentRole.Comms && r.Person is not null)
            .Select(r => r.Person!).DistinctBy(p => p.Id).ToList();
        var personIds = people.Select(p => p.Id).ToList();
        var methods = await db.Set<ContactMethod>().AsNoTracking().Where(m => personIds.Contains(m.PersonId)).ToListAsync(ct);
        var link = $"{services.GetRequiredService<PublicUrl>().Value}/incidents/{incident.Id}";
        var late = Hosting.Durations.Humanize(now - due);
        var message = $"{incident.Id} ({incident.Severity.Format()}, {incident.Title}): the update due at {due.ToString("HH:mm", CultureInfo.InvariantCulture)} UTC is {late} overdue. "
            + $"Post a CAN update: {link} or firebreak update {incident.Id} --condition \"…\" --action \"…\" --need \"…\"";
        var who = people.Count == 0 ? "nobody holds commander or comms lead" : "reminded " + string.Join(", ", people.Select(p => p.Handle));

        var actor = await AdminBootstrap.AutomationAsync(db, ct);
        var outcome = await services.GetRequiredService<IncidentCommands>().RecordAsync(actor, incident.Id, TimelineEventKind.UpdateOverdue,
            $"Update overdue by {late} (due {due.ToString("HH:mm", CultureInfo.InvariantCulture)} UTC); {who}",
            new { dueAt = due, reminder = nth, people = people.Select(p => p.Handle) }, "incident.update.overdue",
            (current, at) =>
            {
                // The incident may have moved on between the look and the lock: an update posted, or it resolved.
                if (current.NextUpdateDueAt != due || !IncidentLifecycle.IsActive(current.Status))
                    return Task.FromResult<Hosting.Refusal?>(Hosting.Refusal.Conflict("No longer overdue."));
                foreach (var m in methods)
                {
                    var person = people.First(p => p.Id == m.PersonId);
                    db.Add(new Delivery
                    {
                        Purpose = "reminder",
                        Kind = m.Kind,
                        Address = m.Address,
                        Subject = $"[Firebreak] {incident.Id} update overdue",
                        Body = message,
                        Json = System.Text.Json.JsonSerializer.Serialize(new { type = "update-overdue", incident = incident.Id, severity = incident.Severity.Format(), title = incident.Title, dueAt = due, link, text = message }),
                        IdempotencyKey = $"reminder-{incident.Number}-{due.Ticks}-{nth}-{person.Id}-{m.Id}",
                        DueAt = at,
                        CreatedAt = at,
                        IncidentNumber = incident.Number,
                    });
                }
                return Task.FromResult<Hosting.Refusal?>(null);
            }, ct);
        return outcome.Refusal is null;
    }
}
