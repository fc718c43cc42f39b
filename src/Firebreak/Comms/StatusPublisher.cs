using System.Text.Json;
using Firebreak.Hosting;
using Firebreak.Identity;
using Firebreak.Incidents;
using Firebreak.Storage;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.Comms;

public sealed record ComponentRequest(string? Key, string? Name = null, string? Description = null, string? Service = null, int? Position = null);

public sealed record SetComponentStatusRequest(string? Status);

public sealed record PublishRequest(string? Title, string? Status, string? Body, IReadOnlyDictionary<string, string>? Components = null,
    string? Impact = null, bool Force = false);

public sealed record PublicUpdateRequest(string? Status, string? Body, IReadOnlyDictionary<string, string>? Components = null, bool Force = false);

public sealed record MaintenanceRequest(string? Title, string? Body, DateTime? ScheduledFor, DateTime? ScheduledUntil, IReadOnlyList<string>? Components = null);

public sealed record ComponentView(string Key, string Name, string? Description, string Status, string? Service, int Position, DateTime UpdatedAt);

public sealed record AffectedComponent(string Key, string Status);

public sealed record PublicUpdateView(long Id, string Status, string Body, DateTime CreatedAt, IReadOnlyList<AffectedComponent> Components);

public sealed record PublicIncidentView(int Id, string? Incident, string Title, string Impact, string Status, bool Maintenance,
    DateTime? ScheduledFor, DateTime? ScheduledUntil, DateTime CreatedAt, DateTime UpdatedAt, DateTime? ResolvedAt,
    IReadOnlyList<string> Components, IReadOnlyList<PublicUpdateView> Updates);

/// <summary>
/// Publishing is explicit and separate from the internal record: a public title, impact, affected components
/// and updates written for customers. Private incidents are never published. Every change commits with its
/// component history, a timeline entry on the linked incident, and a delivery per confirmed subscriber.
/// </summary>
public sealed class StatusPublisher(FirebreakDb db, IncidentCommands commands, TimeProvider clock, StatusSnapshot snapshot,
    DeliverySignal deliveries, OnCall.PublicUrl publicUrl)
{
    public const int MaxBody = 5000;
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<Outcome<ComponentView>> UpsertComponentAsync(Actor actor, ComponentRequest request, CancellationToken ct)
    {
        if (!actor.IsAdmin) return Refusal.Forbidden("Only admins change the status page's components.");
        var key = request.Key?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(key) || key.Length > 64 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            return Refusal.Invalid("key", "A component key is 1–64 letters, digits, '-' or '_' (e.g. checkout).");
        int? serviceId = null;
        if (!string.IsNullOrWhiteSpace(request.Service))
        {
            var shortName = Catalog.Service.ShortNameOf(request.Service);
            serviceId = await db.Services.Where(s => s.ShortName == shortName).Select(s => (int?)s.Id).FirstOrDefaultAsync(ct);
            if (serviceId is null) return Refusal.Invalid("service", $"No service '{shortName}' in the catalog.");
        }
        var now = Now;
        var component = await db.Set<StatusComponent>().FirstOrDefaultAsync(c => c.Key == key, ct);
        if (component is null)
        {
            if (string.IsNullOrWhiteSpace(request.Name)) return Refusal.Invalid("name", "A new component needs a name customers recognise.");
            component = new StatusComponent { Key = key, Name = request.Name.Trim(), Status = ComponentStatus.Operational, CreatedAt = now, UpdatedAt = now };
            component.Position = request.Position ?? (await db.Set<StatusComponent>().MaxAsync(c => (int?)c.Position, ct) ?? 0) + 1;
            db.Add(component);
            await db.SaveChangesAsync(ct);
            // Its history starts now: uptime is counted from the day a component exists.
            db.Add(new ComponentStatusChange { ComponentId = component.Id, Status = ComponentStatus.Operational, At = now });
        }
        if (!string.IsNullOrWhiteSpace(request.Name)) component.Name = request.Name.Trim();
        if (request.Description is not null) component.Description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim();
        if (serviceId is not null) component.ServiceId = serviceId;
        if (request.Position is { } position) component.Position = position;
        component.UpdatedAt = now;
        db.Audit(actor, "status.component", key, now, component.Name);
        await db.SaveChangesAsync(ct);
        await snapshot.RebuildAsync(ct);
        return await ComponentViewAsync(key, ct);
    }

    public async Task<Outcome<ComponentView>> SetComponentStatusAsync(Actor actor, string key, SetComponentStatusRequest request, CancellationToken ct)
    {
        if (!actor.IsAdmin) return Refusal.Forbidden("Only admins set a component's status by hand; publish an incident instead.");
        if (!StatusNames.TryParseComponent(request.Status, out var status))
            return Refusal.Invalid("status", "Status must be operational, degraded_performance, partial_outage, major_outage or under_maintenance.");
        var component = await db.Set<StatusComponent>().FirstOrDefaultAsync(c => c.Key == key, ct);
        if (component is null) return Refusal.NotFound($"No status page component '{key}'.");
        var now = Now;
        SetStatus(component, status, now);
        db.Audit(actor, "status.component.status", key, now, status.Name());
        await db.SaveChangesAsync(ct);
        await snapshot.RebuildAsync(ct);
        return await ComponentViewAsync(key, ct);
    }

    public async Task<Outcome<PublicIncidentView>> PublishAsync(Actor actor, string incidentId, PublishRequest request, CancellationToken ct)
    {
        var number = await IncidentEndpoints.VisibleNumberAsync(db, actor, incidentId, ct);
        if (number is null) return Refusal.NotFound($"No incident {incidentId}.");
        var incident = await db.Incidents.AsNoTracking().Include(i => i.Roles).FirstAsync(i => i.Number == number, ct);
        if (incident.IsPrivate) return Refusal.Conflict($"{incident.Id} is private; private incidents are never published.");
        if (!MayPublish(actor, incident)) return Refusal.Forbidden($"Only {incident.Id}'s commander or comms lead (or an admin) publishes it.");
        if (await db.Set<PublicIncident>().AnyAsync(p => p.IncidentNumber == number && p.ResolvedAt == null, ct))
            return Refusal.Conflict($"{incident.Id} is already on the status page; post an update to it instead.");

        var title = request.Title?.Trim();
        if (string.IsNullOrEmpty(title) || title.Length > 300) return Refusal.Invalid("title", "A public title (1–300 characters) is required; it is what customers read.");
        var impact = StatusNames.ImpactOf(incident.Severity);
        if (request.Impact is not null && !StatusNames.TryParseImpact(request.Impact, out impact))
            return Refusal.Invalid("impact", "Impact must be none, minor, major or critical.");
        var status = request.Status?.Trim().ToLowerInvariant() ?? "investigating";
        if (!StatusNames.IncidentStatuses.Contains(status)) return Refusal.Invalid("status", "Status must be investigating, identified, monitoring or resolved.");
        var checkedUpdate = await CheckUpdateAsync(request.Body, request.Components, request.Force, ct);
        if (checkedUpdate.Refusal is { } refused) return refused;
        var (body, components) = checkedUpdate.Value;
        if (components.Count == 0) return Refusal.Invalid("components", "Name the affected components, e.g. {\"checkout\": \"major_outage\"}.");

        PublicIncident? published = null;
        var outcome = await commands.RecordAsync(actor, incident.Id, TimelineEventKind.Published,
            $"Published to the status page: \"{title}\" ({status}): {body}", new { title, status, impact = impact.Name() }, "status.publish",
            async (_, now) =>
            {
                published = new PublicIncident { IncidentNumber = number, Title = title, Impact = impact, Status = status, CreatedAt = now, UpdatedAt = now };
                published.Components.AddRange(components.Keys.Select(c => new PublicIncidentComponent { ComponentId = c.Id }));
                db.Add(published);
                await db.SaveChangesAsync(ct);
                await ApplyUpdateAsync(published, status, body, components, now, ct);
                return null;
            }, ct);
        if (outcome.Refusal is { } failed) return failed;
        return await AfterChangeAsync(published!.Id, ct);
    }

    public async Task<Outcome<PublicIncidentView>> PostUpdateAsync(Actor actor, int publicId, PublicUpdateRequest request, CancellationToken ct)
    {
        var published = await db.Set<PublicIncident>().AsNoTracking().Include(p => p.Components).FirstOrDefaultAsync(p => p.Id == publicId, ct);
        if (published is null) return Refusal.NotFound($"No public incident {publicId}.");
        var status = request.Status?.Trim().ToLowerInvariant() ?? published.Status;
        var allowed = published.IsMaintenance ? StatusNames.MaintenanceStatuses : StatusNames.IncidentStatuses;
        if (!allowed.Contains(status)) return Refusal.Invalid("status", $"Status must be one of {string.Join(", ", allowed)}.");
        if (published.ResolvedAt is not null) return Refusal.Conflict($"Public incident {publicId} is {published.Status}; publish a new one.");
        var checkedUpdate = await CheckUpdateAsync(request.Body, request.Components, request.Force, ct);
        if (checkedUpdate.Refusal is { } refused) return refused;
        var (body, components) = checkedUpdate.Value;
        // Components not named keep their status, except that a final update gives them back.
        var mine = await db.Set<StatusComponent>().Where(c => published.Components.Select(x => x.ComponentId).Contains(c.Id)).ToListAsync(ct);
        if (StatusNames.IsFinal(status))
            foreach (var c in mine.Where(c => !components.ContainsKey(c))) components[c] = ComponentStatus.Operational;
        else if (published.IsMaintenance && status == "in_progress")
            foreach (var c in mine.Where(c => !components.ContainsKey(c))) components[c] = ComponentStatus.UnderMaintenance;

        async Task<Refusal?> Apply(DateTime now)
        {
            var tracked = await db.Set<PublicIncident>().Include(p => p.Components).FirstAsync(p => p.Id == publicId, ct);
            foreach (var extra in components.Keys.Where(c => tracked.Components.All(x => x.ComponentId != c.Id)))
                tracked.Components.Add(new PublicIncidentComponent { ComponentId = extra.Id });
            tracked.Status = status;
            tracked.UpdatedAt = now;
            if (StatusNames.IsFinal(status)) tracked.ResolvedAt = now;
            await ApplyUpdateAsync(tracked, status, body, components, now, ct);
            return null;
        }

        if (published.IncidentNumber is { } number)
        {
            var incident = await db.Incidents.AsNoTracking().Include(i => i.Roles).FirstAsync(i => i.Number == number, ct);
            if (!MayPublish(actor, incident)) return Refusal.Forbidden($"Only {incident.Id}'s commander or comms lead (or an admin) updates its public page.");
            var outcome = await commands.RecordAsync(actor, incident.Id, TimelineEventKind.Published,
                $"Status page update ({status}): {body}", new { publicId, status }, "status.update", (_, now) => Apply(now), ct);
            if (outcome.Refusal is { } failed) return failed;
        }
        else
        {
            if (!actor.IsAdmin) return Refusal.Forbidden("Only admins update maintenance notices.");
            var now = Now;
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await Apply(now);
            db.Audit(actor, "status.update", $"public-{publicId}", now, status);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        return await AfterChangeAsync(publicId, ct);
    }

    public async Task<Outcome<PublicIncidentView>> ScheduleMaintenanceAsync(Actor actor, MaintenanceRequest request, CancellationToken ct)
    {
        if (!actor.IsAdmin) return Refusal.Forbidden("Only admins schedule maintenance.");
        var title = request.Title?.Trim();
        if (string.IsNullOrEmpty(title) || title.Length > 300) return Refusal.Invalid("title", "A title (1–300 characters) is required.");
        if (request.ScheduledFor is not { } from || request.ScheduledUntil is not { } until || until.ToUniversalTime() <= from.ToUniversalTime())
            return Refusal.Invalid("scheduledUntil", "Give scheduledFor and scheduledUntil, the end after the start.");
        var named = (request.Components ?? []).ToDictionary(k => k, _ => ComponentStatus.Operational.Name());
        var checkedUpdate = await CheckUpdateAsync(request.Body, named, force: false, ct);
        if (checkedUpdate.Refusal is { } refused) return refused;
        var (body, components) = checkedUpdate.Value;
        if (components.Count == 0) return Refusal.Invalid("components", "Name the components under maintenance.");
        var now = Now;
        var maintenance = new PublicIncident
        {
            Title = title, Impact = PublicImpact.None, Status = "scheduled", IsMaintenance = true,
            ScheduledFor = from.ToUniversalTime(), ScheduledUntil = until.ToUniversalTime(), CreatedAt = now, UpdatedAt = now,
        };
        maintenance.Components.AddRange(components.Keys.Select(c => new PublicIncidentComponent { ComponentId = c.Id }));
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Add(maintenance);
        await db.SaveChangesAsync(ct);
        // Scheduling announces the window; components change only when the work starts (in_progress).
        await ApplyUpdateAsync(maintenance, "scheduled", body, [], now, ct);
        db.Audit(actor, "status.maintenance", $"public-{maintenance.Id}", now, title);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return await AfterChangeAsync(maintenance.Id, ct);
    }

    private static bool MayPublish(Actor actor, Incident incident) =>
        actor.IsAdmin || incident.Roles.Any(r => r.PersonId == actor.PersonId && r.Role is IncidentRole.Commander or IncidentRole.Comms);

    /// <summary>The body (linted as customer-facing) and the named components with their new statuses.</summary>
    private async Task<Outcome<(string Body, Dictionary<StatusComponent, ComponentStatus> Components)>> CheckUpdateAsync(
        string? body, IReadOnlyDictionary<string, string>? named, bool force, CancellationToken ct)
    {
        body = body?.Trim();
        if (string.IsNullOrEmpty(body)) return Refusal.Invalid("body", "The update needs a body: what customers see, in plain words.");
        if (body.Length > MaxBody) return Refusal.Invalid("body", $"The body is longer than {MaxBody} characters.");
        if (!force && CustomerLint.Check(body) is { Count: > 0 } findings)
            return Refusal.Invalid("body", CustomerLint.Explain(findings) + " Reword it, or send force: true.");
        var components = new Dictionary<StatusComponent, ComponentStatus>();
        if (named is { Count: > 0 })
        {
            var keys = named.Keys.Select(k => k.Trim().ToLowerInvariant()).ToList();
            var found = await db.Set<StatusComponent>().Where(c => keys.Contains(c.Key)).ToListAsync(ct);
            if (keys.Except(found.Select(c => c.Key)).FirstOrDefault() is { } unknown)
            {
                var known = await db.Set<StatusComponent>().OrderBy(c => c.Position).Select(c => c.Key).Take(30).ToListAsync(ct);
                return Refusal.Invalid("components", $"No status page component '{unknown}'. Known: {(known.Count == 0 ? "none yet (firebreak statuspage component add <key> --name …)" : string.Join(", ", known))}.");
            }
            foreach (var (key, value) in named)
            {
                if (!StatusNames.TryParseComponent(value, out var status))
                    return Refusal.Invalid("components", $"'{value}' for {key} is not a component status (operational, degraded_performance, partial_outage, major_outage, under_maintenance).");
                components[found.First(c => c.Key == key.Trim().ToLowerInvariant())] = status;
            }
        }
        return (body, components);
    }

    /// <summary>Adds the update, moves the components, and owes every confirmed subscriber a message: one unit of work.</summary>
    private async Task ApplyUpdateAsync(PublicIncident published, string status, string body, Dictionary<StatusComponent, ComponentStatus> components,
        DateTime now, CancellationToken ct)
    {
        var tracked = new Dictionary<StatusComponent, ComponentStatus>();
        foreach (var (component, to) in components)
        {
            var row = db.Set<StatusComponent>().Local.FirstOrDefault(c => c.Id == component.Id)
                ?? await db.Set<StatusComponent>().FirstAsync(c => c.Id == component.Id, ct);
            SetStatus(row, to, now);
            tracked[row] = to;
        }
        var update = new PublicUpdate
        {
            PublicIncidentId = published.Id, Status = status, Body = body, CreatedAt = now,
            AffectedComponents = JsonSerializer.Serialize(tracked.Select(c => new AffectedComponent(c.Key.Key, c.Value.Name())), StatusPageJson.Options),
        };
        db.Add(update);
        await db.SaveChangesAsync(ct);

        var page = publicUrl.Value + "/status";
        var subscribers = await db.Set<Subscriber>().AsNoTracking().Where(s => s.ConfirmedAt != null && s.UnsubscribedAt == null).ToListAsync(ct);
        var label = status.Replace('_', ' ');
        foreach (var s in subscribers)
        {
            var unsubscribe = $"{page}/subscriptions/unsubscribe?token={s.UnsubscribeToken}";
            db.Add(new Delivery
            {
                Purpose = "status-update",
                Kind = s.Kind,
                Address = s.Address,
                Subject = $"[Status] {published.Title}: {label}",
                Body = $"{published.Title}\n{char.ToUpperInvariant(label[0])}{label[1..]} — {now:yyyy-MM-dd HH:mm} UTC\n\n{body}\n\n{page}\n\nUnsubscribe: {unsubscribe}\n",
                Json = JsonSerializer.Serialize(new
                {
                    page = new { url = page },
                    incident = new { id = published.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), name = published.Title, status = published.Status, impact = published.Impact.Name(), maintenance = published.IsMaintenance },
                    incident_update = new { id = update.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), status, body, created_at = now },
                    unsubscribe,
                }, StatusPageJson.Options),
                IdempotencyKey = $"status-{update.Id}-{s.Id}",
                DueAt = now,
                CreatedAt = now,
            });
        }
    }

    private void SetStatus(StatusComponent component, ComponentStatus status, DateTime now)
    {
        if (component.Status == status) return;
        component.Status = status;
        component.UpdatedAt = now;
        db.Add(new ComponentStatusChange { ComponentId = component.Id, Status = status, At = now });
    }

    /// <summary>When a change is answered, this node's page already shows it; other nodes see it within a second.</summary>
    private async Task<PublicIncidentView> AfterChangeAsync(int publicId, CancellationToken ct)
    {
        await snapshot.RebuildAsync(ct);
        deliveries.Wake();
        return (await StatusQueries.PublicIncidentsAsync(db, p => p.Id == publicId, 1, ct)).Single();
    }

    private async Task<ComponentView> ComponentViewAsync(string key, CancellationToken ct) =>
        (await StatusQueries.ComponentsAsync(db, ct)).Single(c => c.Key == key);
}
