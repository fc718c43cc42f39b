using System.Text.Json;
using Firebreak.Catalog;
using Firebreak.Identity;
using Firebreak.Incidents;
using Firebreak.Storage;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.Alerts;

/// <summary>
/// Turns stored alerts into action, after they are durable: for each alert group that changed and whose
/// group wait / group interval has passed, either update the linked incident's timeline or, when an
/// auto-declare rule matches its firing alerts, declare an incident and link the group. Work is driven by the
/// groups' persisted <c>needs_triage</c> flag, so nothing is lost across a restart.
/// </summary>
public sealed partial class AlertTriage(IServiceScopeFactory scopes, AlertRules rules, SilenceSet silences, ServiceDirectory services,
    AlertTriageSignal signal, TimeProvider clock, ILogger<AlertTriage> log) : BackgroundService
{
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(500);
    /// <summary>Under a storm the writer wakes triage after every commit; one pass per this much is plenty.</summary>
    public static readonly TimeSpan MinSpacing = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await signal.WaitAsync(Tick, stoppingToken);
                await RunOnceAsync(stoppingToken);
                await Task.Delay(MinSpacing, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogTriageFailed(log, e);
                await Task.Delay(TimeSpan.FromSeconds(1), clock, stoppingToken);
            }
        }
    }

    public async Task RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirebreakDb>();
        await ExpireRollingAlertsAsync(db, now, ct);

        var due = await db.Set<AlertGroup>().AsNoTracking().Where(g => g.NeedsTriage).OrderBy(g => g.LastChangeAt).Take(200).ToListAsync(ct);
        if (due.Count == 0) return;
        if (silences.IsStale) await silences.ReloadAsync(ct);
        await services.RefreshIfStaleAsync(ct);
        var actor = await AdminBootstrap.AutomationAsync(db, ct);
        var commands = scope.ServiceProvider.GetRequiredService<IncidentCommands>();

        foreach (var group in due)
        {
            var holdUntil = group.NotifiedAt is { } notified ? notified + rules.Grouping.Interval : group.FirstSeenAt + rules.Grouping.Wait;
            if (now < holdUntil) continue;
            var alerts = await db.Set<Alert>().AsNoTracking().Where(a => a.GroupKey == group.GroupKey)
                .OrderBy(a => a.Id).Take(500).ToListAsync(ct);
            var views = alerts.Select(a =>
            {
                var labels = LabelsOf(a);
                return (Alert: a, Labels: labels, Silenced: silences.Match(labels, now) is not null);
            }).ToList();
            var changed = views.Where(v => group.NotifiedAt is null || v.Alert.ChangedAt > group.NotifiedAt).ToList();
            int? incident = group.IncidentNumber;

            // A recurrence after the linked incident was resolved is a new problem, not a footnote to a closed one:
            // the group is unlinked (with a note on the old timeline) and the auto-declare rules look at it afresh.
            var refiring = changed.Where(v => v.Alert.Status == "firing" && !v.Silenced).ToList();
            if (incident is { } linked && refiring.Count > 0
                && await db.Incidents.AsNoTracking().AnyAsync(i => i.Number == linked && (i.Status == IncidentStatus.Resolved || i.Status == IncidentStatus.Closed), ct))
            {
                await commands.RecordAlertsAsync(actor, Incident.FormatId(linked), TimelineEventKind.AlertActivity,
                    $"Alert group \"{group.Title}\" fired again after this incident was resolved; it is no longer linked here.",
                    new { group = group.GroupKey, unlinked = true }, ct);
                incident = null;
            }

            if (incident is { } number)
            {
                if (changed.Count > 0)
                {
                    var firing = changed.Count(v => v.Alert.Status != "resolved");
                    var resolved = changed.Count - firing;
                    var text = $"Alert group \"{group.Title}\": {Plural(firing, "alert")} firing, {resolved} resolved — "
                        + string.Join("; ", changed.Take(5).Select(v => $"{v.Alert.Status}: {v.Alert.Summary}"));
                    await commands.RecordAlertsAsync(actor, Incident.FormatId(number), TimelineEventKind.AlertActivity, text,
                        new { group = group.GroupKey, alerts = changed.Select(v => new { v.Alert.Id, v.Alert.Status, v.Alert.Summary }) }, ct);
                }
            }
            else
            {
                incident = await DeclareIfRuleMatchesAsync(db, commands, actor, group, views.Where(v => v.Alert.Status == "firing" && !v.Silenced).Select(v => (v.Alert, v.Labels)).ToList(), ct);
            }

            var pageId = await PageAsync(db, scope.ServiceProvider.GetRequiredService<OnCall.PageEngine>(), group, incident, views, ct);

            // Cleared only if nothing arrived meanwhile; otherwise the group stays due and is looked at again.
            var seen = group.ChangeSeq;
            await db.Set<AlertGroup>().Where(g => g.Id == group.Id).ExecuteUpdateAsync(set => set
                .SetProperty(g => g.NeedsTriage, g => g.ChangeSeq != seen)
                .SetProperty(g => g.NotifiedAt, now)
                .SetProperty(g => g.IncidentNumber, incident)
                .SetProperty(g => g.PageId, pageId), ct);
        }
    }

    private async Task<int?> DeclareIfRuleMatchesAsync(FirebreakDb db, IncidentCommands commands, Actor actor, AlertGroup group,
        List<(Alert Alert, Dictionary<string, string> Labels)> firing, CancellationToken ct)
    {
        foreach (var rule in rules.AutoDeclare)
        {
            var matched = firing.Where(f => f.Alert.Tier == rule.Tier && rule.Matchers.All(m => m.Matches(f.Labels))
                && (rule.ServiceTier is not { } tier || services.Find(f.Alert.Service) is { } s && s.Tier <= tier)).ToList();
            if (matched.Count == 0) continue;

            var catalogServices = matched.Select(m => services.Find(m.Alert.Service)?.ShortName).OfType<string>().Distinct().ToList();
            // Blast radius from the catalog: who else is hurt when these services fail.
            var downstreamTier1 = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var affected in catalogServices)
                downstreamTier1.UnionWith((await ContextEndpoints.BlastRadiusAsync(db, affected, ct)).Tier1);
            downstreamTier1.ExceptWith(catalogServices);
            var blast = downstreamTier1.Count == 0 ? "" : $" Blast radius: tier-1 services downstream: {string.Join(", ", downstreamTier1)}.";
            var detected = group.FirstSeenAt;
            var started = matched.Min(m => m.Alert.OccurrenceAt);
            if (started > detected) started = detected;
            var declared = await commands.DeclareAsync(actor, new DeclareIncidentRequest(
                Title: AlertSignal.Truncate(matched.Count == 1 ? matched[0].Alert.Summary : group.Title, IncidentCommands.MaxTitle),
                Severity: rule.Severity.Format(),
                Services: catalogServices,
                Summary: $"Declared automatically by rule '{rule.Name}': {Plural(matched.Count, "firing alert")} in group \"{group.Title}\".{blast}",
                StartedAt: started,
                DetectedAt: detected), ct);
            if (declared.Value is not { } view)
            {
                LogDeclareRefused(log, rule.Name, group.GroupKey, declared.Refusal?.Detail);
                return null;
            }
            var text = $"Linked alert group \"{group.Title}\" (rule '{rule.Name}'): "
                + string.Join("; ", matched.Take(10).Select(m => $"{m.Alert.Severity} {m.Alert.Summary}"));
            await commands.RecordAlertsAsync(actor, view.Id, TimelineEventKind.AlertsLinked, text,
                new { rule = rule.Name, group = group.GroupKey, alerts = matched.Select(m => new { m.Alert.Id, m.Alert.DedupKey, m.Alert.Summary, m.Alert.Severity }) }, ct);
            LogDeclared(log, view.Id, rule.Name, group.GroupKey);
            return int.Parse(view.Id[Incident.IdPrefix.Length..], System.Globalization.CultureInfo.InvariantCulture);
        }
        return null;
    }

    /// <summary>
    /// Wakes someone for a page-tier group that fires (and is not silenced), through the escalation its service
    /// names in the catalog; resolves the page when every alert of the group has resolved. Returns the group's page.
    /// </summary>
    private async Task<long?> PageAsync(FirebreakDb db, OnCall.PageEngine engine, AlertGroup group, int? incident,
        List<(Alert Alert, Dictionary<string, string> Labels, bool Silenced)> views, CancellationToken ct)
    {
        var firing = views.Where(v => v.Alert.Status == "firing" && !v.Silenced && v.Alert.Tier == AlertTier.Page).ToList();
        var current = group.PageId is { } id ? await db.Set<OnCall.Page>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct) : null;
        if (firing.Count == 0)
        {
            if (current is { Status: not OnCall.PageStatus.Resolved } && views.All(v => v.Alert.Status == "resolved"))
                await engine.ResolveAsync(current.Id, "alerts resolved", ct);
            // Still firing, but every firing alert is silenced now: the silence stops the escalation.
            else if (current is { Status: OnCall.PageStatus.Triggered } && views.Any(v => v.Alert.Status == "firing") && views.Where(v => v.Alert.Status == "firing").All(v => v.Silenced))
                await engine.AcknowledgeAsync(current.Id, "silence", ct);
            return group.PageId;
        }
        if (current is { Status: not OnCall.PageStatus.Resolved }) return current.Id;
        var serviceName = firing.Select(f => f.Alert.Service).FirstOrDefault(s => s is not null);
        var escalation = serviceName is null ? null
            : await db.Services.AsNoTracking().Where(s => s.ShortName == serviceName).Select(s => s.EscalationRef ?? s.OwnerTeam!.EscalationRef).FirstOrDefaultAsync(ct);
        if (escalation is null || !await engine.CanPageAsync(escalation, ct)) return group.PageId;
        var page = await engine.TriggerAsync(escalation, AlertSignal.Truncate(firing.Count == 1 ? firing[0].Alert.Summary : $"{firing.Count} alerts: {group.Title}", 1024),
            incident, group.GroupKey, AdminBootstrap.SystemHandle, ct);
        return page.Id;
    }

    /// <summary>Alerts sent through Alertmanager's API carry a rolling endsAt: when it passes without a refresh, they are resolved.</summary>
    private static async Task ExpireRollingAlertsAsync(FirebreakDb db, DateTime now, CancellationToken ct)
    {
        var expired = await db.Set<Alert>().Where(a => a.Source == "prometheus" && a.Status != "resolved" && a.EndsAt != null && a.EndsAt < now)
            .OrderBy(a => a.Id).Select(a => new { a.Id, a.GroupKey }).Take(1000).ToListAsync(ct);
        if (expired.Count == 0) return;
        var ids = expired.Select(e => e.Id).ToList();
        var groups = expired.Select(e => e.GroupKey).Distinct().ToList();
        await db.Set<Alert>().Where(a => ids.Contains(a.Id))
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.Status, "resolved").SetProperty(a => a.ResolvedAt, a => a.EndsAt).SetProperty(a => a.ChangedAt, now), ct);
        await db.Set<AlertGroup>().Where(g => groups.Contains(g.GroupKey))
            .ExecuteUpdateAsync(set => set.SetProperty(g => g.NeedsTriage, true).SetProperty(g => g.ChangeSeq, g => g.ChangeSeq + 1).SetProperty(g => g.LastChangeAt, now), ct);
    }

    internal static Dictionary<string, string> LabelsOf(Alert alert) =>
        JsonSerializer.Deserialize(alert.Labels, WireJson.Default.DictionaryStringString) ?? [];

    private static string Plural(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert triage failed; retrying")]
    private static partial void LogTriageFailed(ILogger logger, Exception e);

    [LoggerMessage(Level = LogLevel.Information, Message = "Declared {Incident} by rule {Rule} for alert group {Group}")]
    private static partial void LogDeclared(ILogger logger, string incident, string rule, string group);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rule {Rule} matched group {Group} but the declaration was refused: {Reason}")]
    private static partial void LogDeclareRefused(ILogger logger, string rule, string group, string? reason);
}
