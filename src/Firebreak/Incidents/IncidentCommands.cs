using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Firebreak.Catalog;
using Firebreak.Hosting;
using Firebreak.Identity;
using Firebreak.Storage;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.Incidents;

public sealed record DeclareIncidentRequest(
    string? Title,
    [property: JsonConverter(typeof(StringOrNumberConverter))] string? Severity,
    IReadOnlyList<string>? Services = null,
    string? Summary = null,
    bool Private = false,
    DateTime? StartedAt = null,
    DateTime? DetectedAt = null,
    string? Commander = null);

public sealed record ChangeSeverityRequest(
    [property: JsonConverter(typeof(StringOrNumberConverter))] string? Severity, string? Reason = null);

public sealed record ChangeStatusRequest(string? Status, string? Reason = null);

public sealed record ReopenRequest(string? Reason);

public sealed record AssignRoleRequest(string? Role, string? Handle);

public sealed record PostCanUpdateRequest(
    string? Condition, string? Action = null, string? Need = null, string? NextUpdateIn = null,
    DateTime? NextUpdateAt = null);

public sealed record LogEntryRequest(string? Text, string? Kind = null);

public sealed record AddActionItemRequest(string? Title, string? Owner = null, string? Due = null);

public sealed record AddMemberRequest(string? Handle);

/// <summary>Only the fields that are set change; services are added, never silently dropped.</summary>
public sealed record EditIncidentRequest(string? Title = null, string? Summary = null, IReadOnlyList<string>? AddServices = null);

/// <summary>
/// Every change to an incident: validated against its current state by <see cref="IncidentLifecycle"/>,
/// recorded as a timeline event, applied to the read model and audited, all in one transaction.
/// </summary>
public sealed class IncidentCommands(FirebreakDb db, TimeProvider clock, IncidentChangeSignal changed, Comms.UpdateCadence cadence)
{
    public const int MaxTitle = 300;
    public const int MaxText = 4_000;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<Outcome<IncidentView>> DeclareAsync(Actor actor, DeclareIncidentRequest request, CancellationToken ct = default)
    {
        var title = request.Title?.Trim();
        if (string.IsNullOrEmpty(title)) return Refusal.Invalid("title", "A title is required.");
        if (title.Length > MaxTitle) return Refusal.Invalid("title", $"The title is longer than {MaxTitle} characters.");
        if (!Vocabulary.TryParseSeverity(request.Severity, out var severity))
            return Refusal.Invalid("severity", "Severity must be one of SEV0 … SEV5 (or 0 … 5).");
        if (request.Summary is { Length: > IncidentCommands.MaxText })
            return Refusal.Invalid("summary", $"The summary is longer than {MaxText} characters.");
        if (!actor.IsPerson)
            return Refusal.Forbidden("Incidents are declared by people; an integration token cannot declare.");

        var now = Now;
        var started = request.StartedAt?.ToUniversalTime() ?? now;
        var detected = request.DetectedAt?.ToUniversalTime() ?? now;
        if (started > now.AddMinutes(1)) return Refusal.Invalid("startedAt", "Impact cannot start in the future.");
        if (detected > now.AddMinutes(1)) return Refusal.Invalid("detectedAt", "Detection cannot be in the future.");
        if (detected < started) return Refusal.Invalid("detectedAt", "Detection cannot come before impact started.");

        var services = await ResolveServicesAsync(request.Services ?? [], ct);
        if (services.Refusal is { } unknownService) return unknownService;
        var named = await ResolveOptionalPersonAsync(request.Commander, "commander", ct);
        if (named.Refusal is { } unknownPerson) return unknownPerson;
        var commander = named.Value;

        var incident = new Incident
        {
            Title = title,
            Summary = string.IsNullOrWhiteSpace(request.Summary) ? null : request.Summary.Trim(),
            Severity = severity,
            Status = IncidentStatus.Triage,
            IsPrivate = request.Private,
            StartedAt = started,
            DetectedAt = detected,
            DeclaredAt = now,
            UpdatedAt = now,
            NextUpdateDueAt = cadence.NextDue(severity, now),
            DeclaredById = actor.PersonId!.Value,
            Services = [.. services.Value!.Select(s => new IncidentServiceLink { ServiceId = s.Id })],
            Members = [new IncidentMember { PersonId = actor.PersonId.Value }],
        };
        if (commander is not null)
        {
            incident.Roles.Add(new RoleAssignment { Role = IncidentRole.Commander, PersonId = commander.Id, AssignedAt = now });
            if (commander.Id != actor.PersonId) incident.Members.Add(new IncidentMember { PersonId = commander.Id });
            IncidentLifecycle.ApplyRoleTaken(incident, now);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Incidents.Add(incident);
        await db.SaveChangesAsync(ct);

        var serviceNames = services.Value!.Count == 0 ? "" : $" on {string.Join(", ", services.Value!.Select(s => s.ShortName))}";
        Append(incident, actor, now, TimelineEventKind.Declared,
            $"Declared {severity.Format()}{(incident.IsPrivate ? " (private)" : "")}{serviceNames}: {title}");
        if (commander is not null)
            Append(incident, actor, now, TimelineEventKind.RoleAssigned, $"{commander.Handle} is commander");
        db.Audit(actor, "incident.declare", incident.Id, now, $"{severity.Format()} {title}");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        changed.Raise(incident.Number);
        db.ChangeTracker.Clear();
        return await IncidentQueries.ViewAsync(db, incident.Number, ct);
    }

    public Task<Outcome<IncidentView>> ChangeSeverityAsync(Actor actor, string id, ChangeSeverityRequest request, CancellationToken ct = default) =>
        ChangeAsync(actor, id, (incident, now) =>
        {
            if (!Vocabulary.TryParseSeverity(request.Severity, out var to))
                return Task.FromResult<Refusal?>(Refusal.Invalid("severity", "Severity must be one of SEV0 … SEV5 (or 0 … 5)."));
            var from = incident.Severity;
            if (IncidentLifecycle.SeverityChange(incident.Id, incident.Status, from, to) is { } refused)
                return Task.FromResult<Refusal?>(refused);
            incident.Severity = to;
            // A worse incident owes its audience more often: the next update comes forward, never back.
            if (to < from && IncidentLifecycle.IsActive(incident.Status) && cadence.NextDue(to, now) is { } sooner
                && (incident.NextUpdateDueAt is null || sooner < incident.NextUpdateDueAt))
                incident.NextUpdateDueAt = sooner;
            var direction = to < from ? "raised" : "lowered";
            Append(incident, actor, now, TimelineEventKind.SeverityChanged,
                $"Severity {direction} {from.Format()} → {to.Format()}{Because(request.Reason)}",
                new { from = from.Format(), to = to.Format(), reason = request.Reason });
            db.Audit(actor, "incident.severity", incident.Id, now, $"{from.Format()} → {to.Format()}");
            return Task.FromResult<Refusal?>(null);
        }, ct);

    public Task<Outcome<IncidentView>> ChangeStatusAsync(Actor actor, string id, ChangeStatusRequest request, CancellationToken ct = default) =>
        ChangeAsync(actor, id, (incident, now) =>
        {
            if (!Vocabulary.TryParseStatus(request.Status, out var to))
                return Task.FromResult<Refusal?>(Refusal.Invalid("status", $"Status must be one of {Vocabulary.Names<IncidentStatus>()}."));
            var from = incident.Status;
            if (IncidentLifecycle.StatusChange(incident.Id, from, to) is { } refused)
                return Task.FromResult<Refusal?>(refused);
            IncidentLifecycle.ApplyStatus(incident, to, now);
            Append(incident, actor, now, TimelineEventKind.StatusChanged,
                $"Status {from.Format()} → {to.Format()}{Because(request.Reason)}",
                new { from = from.Format(), to = to.Format(), reason = request.Reason });
            db.Audit(actor, "incident.status", incident.Id, now, $"{from.Format()} → {to.Format()}");
            return Task.FromResult<Refusal?>(null);
        }, ct);

    public Task<Outcome<IncidentView>> ReopenAsync(Actor actor, string id, ReopenRequest request, CancellationToken ct = default) =>
        ChangeAsync(actor, id, (incident, now) =>
        {
            if (string.IsNullOrWhiteSpace(request.Reason))
                return Task.FromResult<Refusal?>(Refusal.Invalid("reason", "Say why the incident is re-opened."));
            var from = incident.Status;
            if (IncidentLifecycle.Reopen(incident.Id, from) is { } refused) return Task.FromResult<Refusal?>(refused);
            IncidentLifecycle.ApplyReopen(incident);
            incident.NextUpdateDueAt = cadence.NextDue(incident.Severity, now);
            Append(incident, actor, now, TimelineEventKind.Reopened,
                $"Re-opened (was {from.Format()}): {request.Reason.Trim()}", new { from = from.Format(), reason = request.Reason });
            db.Audit(actor, "incident.reopen", incident.Id, now, request.Reason);
            return Task.FromResult<Refusal?>(null);
        }, ct);

    public Task<Outcome<IncidentView>> AssignRoleAsync(Actor actor, string id, AssignRoleRequest request, CancellationToken ct = default) =>
        ChangeAsync(actor, id, async (incident, now) =>
        {
            if (!Vocabulary.TryParseRole(request.Role, out var role))
                return Refusal.Invalid("role", $"Role must be one of {Vocabulary.Names<IncidentRole>()}.");
            var found = await ResolvePersonAsync(request.Handle, "handle", ct);
            if (found.Refusal is { } unknown) return unknown;
            var person = found.Value!;
            var holders = incident.Roles.Select(r => (r.Role, r.PersonId)).ToList();
            if (IncidentLifecycle.AssignRole(incident.Id, incident.Status, role, person.Id, holders, person.Handle) is { } refused)
                return refused;

            var previous = role.IsSingleHolder() ? incident.Roles.FirstOrDefault(r => r.Role == role) : null;
            if (previous is not null) incident.Roles.Remove(previous);
            incident.Roles.Add(new RoleAssignment { Role = role, PersonId = person.Id, AssignedAt = now });
            if (incident.Members.All(m => m.PersonId != person.Id))
                incident.Members.Add(new IncidentMember { PersonId = person.Id });
            IncidentLifecycle.ApplyRoleTaken(incident, now);

            var text = previous is null
                ? $"{person.Handle} is {role.Format()}"
                : $"{person.Handle} took over as {role.Format()} from {previous.Person?.Handle}";
            Append(incident, actor, now, TimelineEventKind.RoleAssigned, text,
                new { role = role.Format(), handle = person.Handle, previous = previous?.Person?.Handle });
            db.Audit(actor, "incident.role.assign", incident.Id, now, $"{role.Format()}={person.Handle}");
            return null;
        }, ct);

    public Task<Outcome<IncidentView>> RelieveRoleAsync(Actor actor, string id, string roleName, string handle, CancellationToken ct = default) =>
        ChangeAsync(actor, id, async (incident, now) =>
        {
            if (!Vocabulary.TryParseRole(roleName, out var role))
                return Refusal.Invalid("role", $"Role must be one of {Vocabulary.Names<IncidentRole>()}.");
            var found = await ResolvePersonAsync(handle, "handle", ct);
            if (found.Refusal is { } unknown) return unknown;
            var person = found.Value!;
            var holders = incident.Roles.Select(r => (r.Role, r.PersonId)).ToList();
            if (IncidentLifecycle.RelieveRole(incident.Id, incident.Status, role, person.Id, holders, person.Handle) is { } refused)
                return refused;
            incident.Roles.RemoveAll(r => r.Role == role && r.PersonId == person.Id);
            Append(incident, actor, now, TimelineEventKind.RoleRelieved, $"{person.Handle} is no longer {role.Format()}",
                new { role = role.Format(), handle = person.Handle });
            db.Audit(actor, "incident.role.relieve", incident.Id, now, $"{role.Format()}={person.Handle}");
            return null;
        }, ct);

    public Task<Outcome<IncidentView>> PostUpdateAsync(Actor actor, string id, PostCanUpdateRequest request, CancellationToken ct = default) =>
        ChangeAsync(actor, id, (incident, now) =>
        {
            var condition = request.Condition?.Trim();
            if (string.IsNullOrEmpty(condition))
                return Task.FromResult<Refusal?>(Refusal.Invalid("condition", "A CAN update needs its Condition: what is happening now."));
            foreach (var (field, value) in new[] { ("condition", condition), ("action", request.Action), ("need", request.Need) })
            {
                if (value is { Length: > MaxText })
                    return Task.FromResult<Refusal?>(Refusal.Invalid(field, $"The {field} is longer than {MaxText} characters."));
            }
            if (IncidentLifecycle.Respond(incident.Id, incident.Status) is { } refused) return Task.FromResult<Refusal?>(refused);

            DateTime? next = null;
            if (request.NextUpdateIn is { } inText)
            {
                if (!Durations.TryParse(inText, out var span))
                    return Task.FromResult<Refusal?>(Refusal.Invalid("nextUpdateIn", "Use a duration such as 15m, 1h or 1h30m (at most 7 days)."));
                next = now + span;
            }
            else if (request.NextUpdateAt is { } at)
            {
                if (at.ToUniversalTime() <= now)
                    return Task.FromResult<Refusal?>(Refusal.Invalid("nextUpdateAt", "The next update must be due in the future."));
                next = at.ToUniversalTime();
            }
            else next = cadence.NextDue(incident.Severity, now);
            if (incident.Status is IncidentStatus.Resolved) next = null;

            var update = new CanUpdate(condition, Blank(request.Action), Blank(request.Need), next);
            incident.NextUpdateDueAt = next;
            var text = $"CAN update — Condition: {update.Condition}"
                + (update.Action is null ? "" : $" | Action: {update.Action}")
                + (update.Need is null ? "" : $" | Need: {update.Need}")
                + (next is null ? "" : $" | next update by {next:HH:mm} UTC");
            Append(incident, actor, now, TimelineEventKind.CanUpdate, text, update);
            db.Audit(actor, "incident.update", incident.Id, now);
            return Task.FromResult<Refusal?>(null);
        }, ct);

    public Task<Outcome<IncidentView>> LogAsync(Actor actor, string id, LogEntryRequest request, CancellationToken ct = default) =>
        ChangeAsync(actor, id, (incident, now) =>
        {
            var text = request.Text?.Trim();
            if (string.IsNullOrEmpty(text)) return Task.FromResult<Refusal?>(Refusal.Invalid("text", "The log entry is empty."));
            if (text.Length > MaxText)
                return Task.FromResult<Refusal?>(Refusal.Invalid("text", $"The log entry is longer than {MaxText} characters."));
            var kind = LogKind.Note;
            if (request.Kind is not null && !Vocabulary.TryParseLogKind(request.Kind, out kind))
                return Task.FromResult<Refusal?>(Refusal.Invalid("kind", $"Kind must be one of {Vocabulary.Names<LogKind>()}."));
            Append(incident, actor, now, TimelineEvent.KindOf(kind), text);
            db.Audit(actor, "incident.log", incident.Id, now, kind.Format());
            return Task.FromResult<Refusal?>(null);
        }, ct);

    public Task<Outcome<IncidentView>> AddActionItemAsync(Actor actor, string id, AddActionItemRequest request, CancellationToken ct = default) =>
        ChangeAsync(actor, id, async (incident, now) =>
        {
            var title = request.Title?.Trim();
            if (string.IsNullOrEmpty(title)) return Refusal.Invalid("title", "An action item needs a title.");
            if (title.Length > 500) return Refusal.Invalid("title", "The title is longer than 500 characters.");
            var named = await ResolveOptionalPersonAsync(request.Owner, "owner", ct);
            if (named.Refusal is { } unknown) return unknown;
            var owner = named.Value;
            DateOnly? due = null;
            if (!string.IsNullOrWhiteSpace(request.Due))
            {
                if (!DateOnly.TryParseExact(request.Due.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                    return Refusal.Invalid("due", "The due date must be a date like 2026-12-15.");
                due = d;
            }
            var item = new ActionItem { IncidentNumber = incident.Number, Title = title, OwnerId = owner?.Id, DueOn = due, CreatedAt = now };
            db.ActionItems.Add(item);
            // The item's id is needed in the timeline text, so it is saved first, inside the command's transaction.
            await db.SaveChangesAsync(ct);
            Append(incident, actor, now, TimelineEventKind.ActionItemAdded,
                $"Action item #{item.Id}: {title}{(owner is null ? "" : $" (owner {owner.Handle})")}{(due is null ? "" : $", due {due:yyyy-MM-dd}")}",
                new { id = item.Id, title, owner = owner?.Handle, due });
            db.Audit(actor, "incident.action-item.add", incident.Id, now, $"#{item.Id}");
            return null;
        }, ct);

    public Task<Outcome<IncidentView>> CompleteActionItemAsync(Actor actor, string id, int itemId, CancellationToken ct = default) =>
        ChangeAsync(actor, id, async (incident, now) =>
        {
            var item = await db.ActionItems.FirstOrDefaultAsync(a => a.Id == itemId && a.IncidentNumber == incident.Number, ct);
            if (item is null) return Refusal.NotFound($"{incident.Id} has no action item #{itemId}.");
            if (item.CompletedAt is not null) return Refusal.Conflict($"Action item #{itemId} is already done.");
            item.CompletedAt = now;
            Append(incident, actor, now, TimelineEventKind.ActionItemCompleted, $"Action item #{item.Id} done: {item.Title}",
                new { id = item.Id });
            db.Audit(actor, "incident.action-item.complete", incident.Id, now, $"#{item.Id}");
            return null;
        }, ct);

    public Task<Outcome<IncidentView>> OpenWorkstreamAsync(Actor actor, string id, OpenWorkstreamRequest request, CancellationToken ct = default) =>
        ChangeAsync(actor, id, async (incident, now) =>
        {
            if (IncidentLifecycle.Respond(incident.Id, incident.Status) is { } closed) return closed;
            var title = request.Title?.Trim();
            if (string.IsNullOrEmpty(title)) return Refusal.Invalid("title", "A workstream needs a title.");
            if (title.Length > 200) return Refusal.Invalid("title", "The title is longer than 200 characters.");
            var named = await ResolveOptionalPersonAsync(request.Lead, "lead", ct);
            if (named.Refusal is { } unknown) return unknown;
            var lead = named.Value?.Handle;
            var number = (await WorkstreamsOfAsync(incident.Number, ct)).Count + 1;
            Append(incident, actor, now, TimelineEventKind.WorkstreamOpened,
                $"Workstream {number} opened: {title}{(lead is null ? "" : $" (lead {lead})")}", new Workstreams.Opened(number, title, lead));
            db.Audit(actor, "incident.workstream.open", incident.Id, now, $"{number} {title}");
            return null;
        }, ct);

    public Task<Outcome<IncidentView>> UpdateWorkstreamAsync(Actor actor, string id, int number, UpdateWorkstreamRequest request, CancellationToken ct = default) =>
        ChangeAsync(actor, id, async (incident, now) =>
        {
            if (IncidentLifecycle.Respond(incident.Id, incident.Status) is { } closed) return closed;
            var stream = (await WorkstreamsOfAsync(incident.Number, ct)).FirstOrDefault(w => w.Number == number);
            if (stream is null) return Refusal.NotFound($"{incident.Id} has no workstream {number}.");
            var named = await ResolveOptionalPersonAsync(request.Lead, "lead", ct);
            if (named.Refusal is { } unknown) return unknown;
            // Naming the current lead again is no change.
            var lead = named.Value?.Handle is { } handle && handle != stream.Lead ? handle : null;
            var finishing = request.Done == true && !stream.Done;
            if (request.Done == true && stream.Done && lead is null) return Refusal.Conflict($"Workstream {number} is already done.");
            if (lead is null && !finishing) return Refusal.Conflict($"Nothing to change on workstream {number}.");
            var changes = new List<string>();
            if (lead is not null) changes.Add($"lead {lead}");
            if (finishing) changes.Add("done");
            Append(incident, actor, now, TimelineEventKind.WorkstreamUpdated,
                $"Workstream {number} ({stream.Title}): {string.Join(", ", changes)}", new Workstreams.Updated(number, lead, finishing ? true : null));
            db.Audit(actor, "incident.workstream.update", incident.Id, now, $"{number}: {string.Join(", ", changes)}");
            return null;
        }, ct);

    private async Task<List<WorkstreamView>> WorkstreamsOfAsync(int incidentNumber, CancellationToken ct) =>
        Workstreams.Fold(await db.TimelineEvents.AsNoTracking()
            .Where(e => e.IncidentNumber == incidentNumber
                && (e.Kind == TimelineEventKind.WorkstreamOpened || e.Kind == TimelineEventKind.WorkstreamUpdated))
            .ToListAsync(ct));

    public Task<Outcome<IncidentView>> AddMemberAsync(Actor actor, string id, AddMemberRequest request, CancellationToken ct = default) =>
        ChangeAsync(actor, id, async (incident, now) =>
        {
            var found = await ResolvePersonAsync(request.Handle, "handle", ct);
            if (found.Refusal is { } unknown) return unknown;
            var person = found.Value!;
            if (incident.Members.Any(m => m.PersonId == person.Id))
                return Refusal.Conflict($"{person.Handle} is already a member of {incident.Id}.");
            incident.Members.Add(new IncidentMember { PersonId = person.Id });
            Append(incident, actor, now, TimelineEventKind.MemberAdded, $"{person.Handle} was added to the incident",
                new { handle = person.Handle });
            db.Audit(actor, "incident.member.add", incident.Id, now, person.Handle);
            return null;
        }, ct);

    public Task<Outcome<IncidentView>> EditAsync(Actor actor, string id, EditIncidentRequest request, CancellationToken ct = default) =>
        ChangeAsync(actor, id, async (incident, now) =>
        {
            var title = request.Title?.Trim();
            if (request.Title is not null && string.IsNullOrEmpty(title)) return Refusal.Invalid("title", "The title cannot be empty.");
            if (title is { Length: > MaxTitle }) return Refusal.Invalid("title", $"The title is longer than {MaxTitle} characters.");
            if (request.Summary is { Length: > MaxText }) return Refusal.Invalid("summary", $"The summary is longer than {MaxText} characters.");
            var services = await ResolveServicesAsync(request.AddServices ?? [], ct);
            if (services.Refusal is { } unknown) return unknown;

            var changes = new List<string>();
            if (title is not null && title != incident.Title)
            {
                changes.Add($"title \"{incident.Title}\" → \"{title}\"");
                incident.Title = title;
            }
            if (request.Summary is not null && Blank(request.Summary) != incident.Summary)
            {
                incident.Summary = Blank(request.Summary);
                changes.Add("summary updated");
            }
            var linked = await db.Set<IncidentServiceLink>().Where(l => l.IncidentNumber == incident.Number).Select(l => l.ServiceId).ToListAsync(ct);
            foreach (var service in services.Value!.Where(s => !linked.Contains(s.Id)))
            {
                db.Set<IncidentServiceLink>().Add(new IncidentServiceLink { IncidentNumber = incident.Number, ServiceId = service.Id });
                changes.Add($"service {service.ShortName} added");
            }
            if (changes.Count == 0) return Refusal.Conflict($"Nothing to change on {incident.Id}.");
            Append(incident, actor, now, TimelineEventKind.Edited, "Edited: " + string.Join("; ", changes),
                new { title, summary = request.Summary, addedServices = services.Value!.Select(s => s.ShortName) });
            db.Audit(actor, "incident.edit", incident.Id, now, string.Join("; ", changes));
            return null;
        }, ct);

    /// <summary>Records what linked alerts did; accepted in any status, since alerts keep arriving after a close.</summary>
    public Task<Outcome<IncidentView>> RecordAlertsAsync(Actor actor, string id, TimelineEventKind kind, string text, object data, CancellationToken ct = default) =>
        RecordAsync(actor, id, kind, text, data, kind == TimelineEventKind.AlertsLinked ? "incident.alerts.link" : "incident.alerts.activity", null, ct);

    /// <summary>
    /// Records something that happened to the incident (alerts, a reminder, a publication) in any status;
    /// <paramref name="alongside"/> adds rows that must commit with it, such as the messages it sends.
    /// </summary>
    public Task<Outcome<IncidentView>> RecordAsync(Actor actor, string id, TimelineEventKind kind, string text, object data, string auditAction,
        Func<Incident, DateTime, Task<Refusal?>>? alongside, CancellationToken ct = default) =>
        ChangeAsync(actor, id, async (incident, now) =>
        {
            if (alongside is not null && await alongside(incident, now) is { } refused) return refused;
            Append(incident, actor, now, kind, text.Length <= MaxText ? text : text[..MaxText], data);
            db.Audit(actor, auditAction, incident.Id, now);
            return null;
        }, ct);

    /// <summary>
    /// Runs one command on one incident: takes the incident's row lock, loads it as the actor may see it,
    /// lets <paramref name="change"/> validate and apply the command, and commits. Commands on the same
    /// incident queue behind each other instead of failing: bumping the version first is a portable way to
    /// take a row lock on PostgreSQL, and SQLite's immediate transaction already serialises writers.
    /// </summary>
    private async Task<Outcome<IncidentView>> ChangeAsync(Actor actor, string id, Func<Incident, DateTime, Task<Refusal?>> change,
        CancellationToken ct)
    {
        if (!Incident.TryParseId(id, out var number)) return Refusal.NotFound($"No incident {id}.");
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            await db.Incidents.Where(i => i.Number == number)
                .ExecuteUpdateAsync(set => set.SetProperty(i => i.Version, i => i.Version + 1), ct);
            db.ChangeTracker.Clear();
            var incident = await db.Incidents.VisibleTo(actor)
                .Include(i => i.Roles).ThenInclude(r => r.Person)
                .Include(i => i.Members)
                .AsSplitQuery()
                .FirstOrDefaultAsync(i => i.Number == number, ct);
            if (incident is null) return Refusal.NotFound($"No incident {Incident.FormatId(number)}.");

            var now = Now;
            var refused = await change(incident, now);
            if (refused is not null)
            {
                db.ChangeTracker.Clear();
                return refused;
            }
            incident.UpdatedAt = now;
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        changed.Raise(number);
        db.ChangeTracker.Clear();
        return await IncidentQueries.ViewAsync(db, number, ct);
    }

    private void Append(Incident incident, Actor actor, DateTime now, TimelineEventKind kind, string text, object? data = null) =>
        db.TimelineEvents.Add(new TimelineEvent
        {
            IncidentNumber = incident.Number,
            At = now,
            Kind = kind,
            ActorPersonId = actor.PersonId,
            Actor = actor.Name,
            Text = text,
            Data = data is null ? null : JsonSerializer.Serialize(data, IncidentQueries.Json),
        });

    private async Task<Outcome<Person>> ResolvePersonAsync(string? handle, string field, CancellationToken ct)
    {
        var wanted = handle?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(wanted)) return Refusal.Invalid(field, "A person's handle is required.");
        var person = await db.People.FirstOrDefaultAsync(p => p.Handle == wanted, ct);
        return person is null
            ? Refusal.Invalid(field, $"No person has the handle '{wanted}'. Add them first: firebreak person add {wanted} --name \"...\"")
            : person;
    }

    /// <summary>No handle given is no person (and no refusal); a handle nobody has is refused.</summary>
    private async Task<Outcome<Person?>> ResolveOptionalPersonAsync(string? handle, string field, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(handle)) return new Outcome<Person?>(null, null);
        var found = await ResolvePersonAsync(handle, field, ct);
        return found.Refusal is { } unknown ? unknown : found.Value;
    }

    private async Task<Outcome<List<Service>>> ResolveServicesAsync(IReadOnlyList<string> references, CancellationToken ct)
    {
        var shortNames = references.Where(r => !string.IsNullOrWhiteSpace(r)).Select(Service.ShortNameOf).Distinct().ToList();
        var found = await db.Services.Where(s => shortNames.Contains(s.ShortName)).ToListAsync(ct);
        var missing = shortNames.Except(found.Select(s => s.ShortName)).ToList();
        if (missing.Count > 0)
        {
            var known = await db.Services.OrderBy(s => s.ShortName).Select(s => s.ShortName).Take(20).ToListAsync(ct);
            return Refusal.Invalid("services",
                $"Unknown service '{missing[0]}'. Known services: {(known.Count == 0 ? "none yet (firebreak service add <name>)" : string.Join(", ", known))}.");
        }
        return found;
    }

    private static string Because(string? reason) => string.IsNullOrWhiteSpace(reason) ? "" : $": {reason.Trim()}";

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
