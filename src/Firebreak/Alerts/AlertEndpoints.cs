using System.Security.Claims;
using System.Text.Json;
using Firebreak.Hosting;
using Firebreak.Identity;
using Firebreak.Incidents;
using Firebreak.Storage;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.Alerts;

public sealed record AlertView(
    long Id, string Integration, string DedupKey, string Status, string Tier, string Severity, string Summary, string? Service,
    string? AlertName, string GroupKey, IReadOnlyDictionary<string, string> Labels, int Occurrences, DateTime FirstSeenAt,
    DateTime LastSeenAt, DateTime OccurrenceAt, DateTime? AcknowledgedAt, DateTime? ResolvedAt, long? SilenceId, string Source,
    string? Link, string? Incident)
{
    /// <summary>Where the alert routes: the owning team of its service in the catalog.</summary>
    public string? Team { get; init; }
}

public sealed record AlertGroupView(long Id, string GroupKey, string Title, string? Service, int Firing, int Total,
    DateTime FirstSeenAt, DateTime LastChangeAt, DateTime? NotifiedAt, string? Incident);

public sealed record SilenceView(long Id, IReadOnlyList<string> Matchers, DateTime StartsAt, DateTime EndsAt, string CreatedBy, string? Comment, bool Active);

public sealed record CreateSilenceRequest(IReadOnlyList<string>? Matchers, string? Duration = null, DateTime? StartsAt = null, DateTime? EndsAt = null, string? Comment = null);

public sealed record IntegrationView(int Id, string Kind, string Name, string KeyPrefix, bool Signed, DateTime CreatedAt, DateTime? RevokedAt);

/// <summary>The key is shown once, with where to send and how to authenticate.</summary>
public sealed record CreatedIntegrationView(int Id, string Kind, string Name, string Key, string Url, string Authentication, string Example);

public sealed record CreateIntegrationRequest(string? Kind, string? Name = null, string? SigningSecret = null);

public static class AlertEndpoints
{
    public static IEndpointRouteBuilder MapAlerts(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Alerts");
        api.MapGet("/alerts", ListAlerts).WithSummary("Recent alerts, newest first").Produces<IReadOnlyList<AlertView>>();
        api.MapGet("/alert-groups", ListGroups).WithSummary("Alert groups, most recently changed first").Produces<IReadOnlyList<AlertGroupView>>();
        api.MapGet("/silences", ListSilences).Produces<IReadOnlyList<SilenceView>>();
        api.MapPost("/silences", CreateSilence).WithSummary("Silence alerts matching all matchers for a while (they are kept, marked suppressed)").Produces<SilenceView>(StatusCodes.Status201Created);
        api.MapDelete("/silences/{id:long}", ExpireSilence).WithSummary("Expire a silence now").Produces<SilenceView>();
        api.MapGet("/integrations", ListIntegrations).Produces<IReadOnlyList<IntegrationView>>();
        api.MapPost("/integrations", CreateIntegration).WithSummary("Create an intake key for a sender (admins only)").Produces<CreatedIntegrationView>(StatusCodes.Status201Created);
        api.MapDelete("/integrations/{id:int}", RevokeIntegration).WithSummary("Revoke an intake key (admins only)").Produces<IntegrationView>();
        api.MapGet("/alert-rules", (AlertRules rules) => TypedResults.Ok(new
        {
            source = rules.LoadedFrom ?? "built-in defaults",
            grouping = new { by = rules.Grouping.By, wait = rules.Grouping.Wait.ToString(), interval = rules.Grouping.Interval.ToString(), rules.Grouping.UseSenderGroupKey },
            tiers = rules.Tiers.Select(t => new { match = t.Matchers.Select(m => m.ToString()), tier = t.Tier.ToString().ToLowerInvariant() }),
            autoDeclare = rules.AutoDeclare.Select(r => new { r.Name, match = r.Matchers.Select(m => m.ToString()), tier = r.Tier.ToString().ToLowerInvariant(), r.ServiceTier, severity = r.Severity.Format() }),
        })).WithSummary("The grouping, tier and auto-declare rules in force");
        return app;
    }

    private static async Task<IResult> ListAlerts(FirebreakDb db, Catalog.ServiceDirectory directory, string? status, bool? firing, string? service, int? limit, long? before, CancellationToken ct)
    {
        if (limit is < 1 or > 1000) return Refusal.Invalid("limit", "The limit must be between 1 and 1000.").ToResult();
        await directory.RefreshIfStaleAsync(ct);
        if (status is not (null or "firing" or "acknowledged" or "resolved"))
            return Refusal.Invalid("status", "Status must be firing, acknowledged or resolved.").ToResult();
        var query = db.Set<Alert>().AsNoTracking();
        if (firing == true) query = query.Where(a => a.Status != "resolved");
        if (status is not null) query = query.Where(a => a.Status == status);
        if (service is not null) query = query.Where(a => a.Service == Catalog.Service.ShortNameOf(service));
        // Paging: pass the smallest id of a page as `before` to get the next one.
        if (before is not null) query = query.Where(a => a.Id < before);
        // Newest first by id: the primary key orders them without a second index on the intake hot path.
        var rows = await query.OrderByDescending(a => a.Id).Take(limit ?? 100).ToListAsync(ct);
        var integrations = await db.Set<Integration>().AsNoTracking().ToDictionaryAsync(i => i.Id, i => i.Name, ct);
        var keys = rows.Select(r => r.GroupKey).Distinct().ToList();
        var incidents = await db.Set<AlertGroup>().AsNoTracking().Where(g => keys.Contains(g.GroupKey) && g.IncidentNumber != null)
            .ToDictionaryAsync(g => g.GroupKey, g => g.IncidentNumber!.Value, ct);
        return TypedResults.Ok(rows.Select(a => new AlertView(a.Id, integrations.GetValueOrDefault(a.IntegrationId, "?"), a.DedupKey, a.Status,
            a.Tier.ToString().ToLowerInvariant(), a.Severity, a.Summary, a.Service, a.AlertName, a.GroupKey, AlertTriage.LabelsOf(a),
            a.Occurrences, a.FirstSeenAt, a.LastSeenAt, a.OccurrenceAt, a.AcknowledgedAt, a.ResolvedAt, a.SilenceId, a.Source, a.Link,
            incidents.TryGetValue(a.GroupKey, out var n) ? Incident.FormatId(n) : null) { Team = directory.Find(a.Service)?.OwnerTeam }).ToList());
    }

    private static async Task<IResult> ListGroups(FirebreakDb db, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > 1000) return Refusal.Invalid("limit", "The limit must be between 1 and 1000.").ToResult();
        var groups = await db.Set<AlertGroup>().AsNoTracking().OrderByDescending(g => g.LastChangeAt).Take(limit ?? 100).ToListAsync(ct);
        var keys = groups.Select(g => g.GroupKey).ToList();
        var counts = await db.Set<Alert>().AsNoTracking().Where(a => keys.Contains(a.GroupKey))
            .GroupBy(a => a.GroupKey).Select(g => new { g.Key, Total = g.Count(), Firing = g.Count(a => a.Status != "resolved") }).ToDictionaryAsync(x => x.Key, ct);
        return TypedResults.Ok(groups.Select(g => new AlertGroupView(g.Id, g.GroupKey, g.Title, g.Service,
            counts.GetValueOrDefault(g.GroupKey)?.Firing ?? 0, counts.GetValueOrDefault(g.GroupKey)?.Total ?? 0,
            g.FirstSeenAt, g.LastChangeAt, g.NotifiedAt, g.IncidentNumber is { } n ? Incident.FormatId(n) : null)).ToList());
    }

    private static async Task<IResult> ListSilences(FirebreakDb db, TimeProvider clock, bool? all, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var query = db.Set<Silence>().AsNoTracking();
        if (all != true) query = query.Where(s => s.EndsAt > now);
        var rows = await query.OrderByDescending(s => s.Id).Take(500).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(s => ToView(s, now)).ToList());
    }

    private static async Task<IResult> CreateSilence(CreateSilenceRequest body, ClaimsPrincipal user, FirebreakDb db, SilenceSet silences,
        TimeProvider clock, CancellationToken ct)
    {
        var actor = Actor.From(user);
        if (body.Matchers is not { Count: > 0 } texts) return Refusal.Invalid("matchers", "At least one matcher is required, e.g. alertname=HighLatency.").ToResult();
        var matchers = LabelMatcher.ParseAll(texts, out var error);
        if (error is not null) return Refusal.Invalid("matchers", error).ToResult();
        if (matchers.All(m => m.Operator is "=~" or "!~" && m.Value is ".*" or ".+" || m.Operator == "!=" && m.Value.Length == 0))
            return Refusal.Invalid("matchers", "A silence must not match every alert.").ToResult();
        var now = clock.GetUtcNow().UtcDateTime;
        var starts = body.StartsAt?.ToUniversalTime() ?? now;
        DateTime ends;
        if (body.Duration is { } duration)
        {
            if (!Durations.TryParse(duration, out var span)) return Refusal.Invalid("duration", "Use a duration such as 30m, 2h (at most 7 days).").ToResult();
            ends = starts + span;
        }
        else if (body.EndsAt is { } end) ends = end.ToUniversalTime();
        else return Refusal.Invalid("duration", "Give a duration or an end time.").ToResult();
        if (ends <= starts || ends <= now) return Refusal.Invalid("endsAt", "A silence must end after it starts, and in the future.").ToResult();
        if (body.Comment is { Length: > 2000 }) return Refusal.Invalid("comment", "The comment is longer than 2000 characters.").ToResult();

        var silence = new Silence { Matchers = string.Join('\n', matchers.Select(m => m.ToString())), StartsAt = starts, EndsAt = ends, CreatedBy = actor.Name, Comment = body.Comment, CreatedAt = now };
        db.Set<Silence>().Add(silence);
        db.Audit(actor, "silence.create", string.Join(",", matchers), now, $"until {ends:u}");
        await db.SaveChangesAsync(ct);
        await silences.ReloadAsync(ct);
        // Groups that are paging are looked at again: a silence stops an escalation in progress.
        await db.Set<AlertGroup>().Where(g => g.PageId != null)
            .ExecuteUpdateAsync(set => set.SetProperty(g => g.NeedsTriage, true).SetProperty(g => g.ChangeSeq, g => g.ChangeSeq + 1).SetProperty(g => g.LastChangeAt, now), ct);
        return TypedResults.Created($"/api/v1/silences/{silence.Id}", ToView(silence, now));
    }

    private static async Task<IResult> ExpireSilence(long id, ClaimsPrincipal user, FirebreakDb db, SilenceSet silences, TimeProvider clock, CancellationToken ct)
    {
        var silence = await db.Set<Silence>().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (silence is null) return Refusal.NotFound($"No silence {id}.").ToResult();
        var now = clock.GetUtcNow().UtcDateTime;
        if (silence.EndsAt <= now) return Refusal.Conflict($"Silence {id} has already ended.").ToResult();
        silence.EndsAt = now;
        db.Audit(Actor.From(user), "silence.expire", id.ToString(System.Globalization.CultureInfo.InvariantCulture), now);
        await db.SaveChangesAsync(ct);
        await silences.ReloadAsync(ct);
        return TypedResults.Ok(ToView(silence, now));
    }

    private static async Task<IResult> ListIntegrations(FirebreakDb db, CancellationToken ct)
    {
        var rows = await db.Set<Integration>().AsNoTracking().OrderBy(i => i.Id).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(ToView).ToList());
    }

    private static async Task<IResult> CreateIntegration(CreateIntegrationRequest body, ClaimsPrincipal user, FirebreakDb db, TimeProvider clock,
        HttpContext http, CancellationToken ct)
    {
        var actor = Actor.From(user);
        if (!actor.IsAdmin) return Refusal.Forbidden("Only an admin can create integration keys.").ToResult();
        if (!Enum.TryParse<IntegrationKind>(body.Kind, ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || char.IsDigit(body.Kind![0]))
            return Refusal.Invalid("kind", "Kind must be alertmanager, grafana, pagerduty, opsgenie or generic.").ToResult();
        var name = string.IsNullOrWhiteSpace(body.Name) ? kind.ToString().ToLowerInvariant() : body.Name.Trim();
        if (name.Length > 100) return Refusal.Invalid("name", "The name is longer than 100 characters.").ToResult();
        if (body.SigningSecret is { } secret && (kind != IntegrationKind.Grafana || secret.Length is < 8 or > 200))
            return Refusal.Invalid("signingSecret", "A signing secret (8–200 characters) is for grafana integrations.").ToResult();
        var now = clock.GetUtcNow().UtcDateTime;
        var key = IntegrationKeys.NewKey();
        var integration = new Integration { Kind = kind, Name = name, KeyHash = ApiToken.HashOf(key), KeyPrefix = key[..10], SigningSecret = body.SigningSecret, CreatedAt = now };
        db.Set<Integration>().Add(integration);
        db.Audit(actor, "integration.create", $"{kind.ToString().ToLowerInvariant()}:{name}", now);
        await db.SaveChangesAsync(ct);
        var origin = $"{http.Request.Scheme}://{http.Request.Host}";
        var (url, auth, example) = kind switch
        {
            IntegrationKind.Alertmanager => ($"{origin}/integrations/alertmanager",
                "Bearer token (webhook_configs.http_config.authorization.credentials); the same key authenticates POST /api/v2/alerts",
                $"receivers:\n- name: firebreak\n  webhook_configs:\n  - url: {origin}/integrations/alertmanager\n    send_resolved: true\n    http_config:\n      authorization:\n        credentials: {key}"),
            IntegrationKind.Grafana => ($"{origin}/integrations/grafana", "Bearer token in the webhook contact point's Authorization header (or the URL /integrations/grafana/<key>)",
                $"Webhook contact point URL: {origin}/integrations/grafana/{key}"),
            IntegrationKind.PagerDuty => ($"{origin}/v2/enqueue", "routing_key in the event body (change events: /v2/change/enqueue)",
                $"curl -X POST {origin}/v2/enqueue -H 'Content-Type: application/json' -d '{{\"routing_key\":\"{key}\",\"event_action\":\"trigger\",\"payload\":{{\"summary\":\"Disk full\",\"source\":\"db-1\",\"severity\":\"critical\"}}}}'"),
            IntegrationKind.Opsgenie => ($"{origin}/v2/alerts", "Authorization: GenieKey <key>",
                $"opsgenie_configs:\n- api_url: {origin}/\n  api_key: {key}"),
            _ => ($"{origin}/api/v1/alerts", "Bearer token (or the URL /integrations/generic/<key>)",
                $"curl -X POST {origin}/api/v1/alerts -H 'Authorization: Bearer {key}' -H 'Content-Type: application/json' -d '{{\"summary\":\"Disk full on db-1\",\"severity\":\"critical\",\"service\":\"checkout\",\"dedupKey\":\"db-1-disk\"}}'"),
        };
        return TypedResults.Created($"/api/v1/integrations/{integration.Id}",
            new CreatedIntegrationView(integration.Id, kind.ToString().ToLowerInvariant(), name, key, url, auth, example));
    }

    private static async Task<IResult> RevokeIntegration(int id, ClaimsPrincipal user, FirebreakDb db, IntegrationKeys keys, TimeProvider clock, CancellationToken ct)
    {
        var actor = Actor.From(user);
        if (!actor.IsAdmin) return Refusal.Forbidden("Only an admin can revoke integration keys.").ToResult();
        var integration = await db.Set<Integration>().FirstOrDefaultAsync(i => i.Id == id, ct);
        if (integration is null) return Refusal.NotFound($"No integration {id}.").ToResult();
        if (integration.RevokedAt is not null) return Refusal.Conflict($"Integration {id} is already revoked.").ToResult();
        var now = clock.GetUtcNow().UtcDateTime;
        integration.RevokedAt = now;
        db.Audit(actor, "integration.revoke", $"{integration.Kind.ToString().ToLowerInvariant()}:{integration.Name}", now);
        await db.SaveChangesAsync(ct);
        keys.Forget();
        return TypedResults.Ok(ToView(integration));
    }

    private static SilenceView ToView(Silence s, DateTime now) =>
        new(s.Id, s.Matchers.Split('\n'), s.StartsAt, s.EndsAt, s.CreatedBy, s.Comment, s.StartsAt <= now && now < s.EndsAt);

    private static IntegrationView ToView(Integration i) =>
        new(i.Id, i.Kind.ToString().ToLowerInvariant(), i.Name, i.KeyPrefix + "…", i.SigningSecret is not null, i.CreatedAt, i.RevokedAt);
}
