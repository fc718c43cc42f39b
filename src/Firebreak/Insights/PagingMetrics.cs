using Firebreak.OnCall;
using Firebreak.Storage;
using Microsoft.EntityFrameworkCore;
using Prometheus;

namespace Firebreak.Insights;

public sealed record MttaRow(string Key, int Count, double? MedianSeconds, double? MeanSeconds);

public sealed record PagerLoadRow(string Handle, int Pages, int OutOfHours);

public sealed record PagingMetricsView(int Days, IReadOnlyList<MttaRow> PageMttaByPolicy, IReadOnlyList<MttaRow> IncidentMttaByService,
    IReadOnlyList<MttaRow> IncidentMttaByTeam, IReadOnlyList<PagerLoadRow> PagerLoad, string WorkingHours);

public sealed record WorkingHoursOptions
{
    public string TimeZone { get; init; } = "UTC";
    public TimeSpan Start { get; init; } = TimeSpan.FromHours(9);
    public TimeSpan End { get; init; } = TimeSpan.FromHours(18);

    /// <summary>Monday to Friday, Start to End, in <see cref="TimeZone"/>.</summary>
    public bool IsOutOfHours(DateTime utc)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
        return local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || local.TimeOfDay < Start || local.TimeOfDay >= End;
    }
}

/// <summary>MTTA (pages and incidents) and pager load (pages per person, out of hours), for the API, the CLI and /metrics.</summary>
public static class PagingMetrics
{
    public static async Task<PagingMetricsView> ComputeAsync(FirebreakDb db, WorkingHoursOptions hours, DateTime now, int days, CancellationToken ct)
    {
        var since = now.AddDays(-days);
        var pages = await db.Set<Page>().AsNoTracking().Where(p => p.CreatedAt >= since).ToListAsync(ct);
        var pageMtta = pages.GroupBy(p => p.Policy).Select(g => Mtta(g.Key, g.Select(p => p.AcknowledgedAt - p.CreatedAt))).OrderBy(r => r.Key).ToList();

        var incidents = await db.Incidents.AsNoTracking().Where(i => i.DeclaredAt >= since)
            .Include(i => i.Services).ThenInclude(s => s.Service).ThenInclude(s => s!.OwnerTeam).ToListAsync(ct);
        var byService = incidents.SelectMany(i => i.Services.Select(s => (Key: s.Service!.ShortName, Ack: i.AcknowledgedAt - i.DeclaredAt)))
            .GroupBy(x => x.Key).Select(g => Mtta(g.Key, g.Select(x => x.Ack))).OrderBy(r => r.Key).ToList();
        var byTeam = incidents.SelectMany(i => i.Services.Where(s => s.Service!.OwnerTeam is not null).Select(s => (Key: s.Service!.OwnerTeam!.ShortName, Id: i.Number, Ack: i.AcknowledgedAt - i.DeclaredAt)))
            .DistinctBy(x => (x.Key, x.Id)).GroupBy(x => x.Key).Select(g => Mtta(g.Key, g.Select(x => x.Ack))).OrderBy(r => r.Key).ToList();

        var sent = await db.Set<Notification>().AsNoTracking().Where(n => n.Status == NotificationStatus.Sent && n.SentAt >= since)
            .Select(n => new { n.Handle, n.PageId, n.SentAt }).ToListAsync(ct);
        var load = sent.GroupBy(n => n.Handle).Select(g =>
        {
            var perPage = g.GroupBy(n => n.PageId).Select(p => p.Min(n => n.SentAt!.Value)).ToList();
            return new PagerLoadRow(g.Key, perPage.Count, perPage.Count(hours.IsOutOfHours));
        }).OrderByDescending(r => r.Pages).ThenBy(r => r.Handle).ToList();
        return new PagingMetricsView(days, pageMtta, byService, byTeam, load, $"Mon–Fri {hours.Start:hh\\:mm}–{hours.End:hh\\:mm} {hours.TimeZone}");
    }

    private static MttaRow Mtta(string key, IEnumerable<TimeSpan?> spans)
    {
        var all = spans.ToList();
        var acked = all.Where(s => s is not null).Select(s => s!.Value.TotalSeconds).Order().ToList();
        return new MttaRow(key, all.Count, acked.Count == 0 ? null : Math.Round(acked[acked.Count / 2], 1), acked.Count == 0 ? null : Math.Round(acked.Average(), 1));
    }

    public static IEndpointRouteBuilder MapInsights(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/metrics/paging", async (int? days, FirebreakDb db, WorkingHoursOptions hours, TimeProvider clock, CancellationToken ct) =>
                days is < 1 or > 365
                    ? (IResult)Hosting.Refusal.Invalid("days", "Look back 1 to 365 days.").ToResult()
                    : TypedResults.Ok(await ComputeAsync(db, hours, clock.GetUtcNow().UtcDateTime, days ?? 30, ct)))
            .WithTags("Insights").WithSummary("MTTA per escalation policy, service and team; pages per person and out of hours");

        // Prometheus text format. The gauges are computed from the store at scrape time, so every node reports the same.
        // A registry of this host's own (not the process-wide default), so two hosts in one process never share callbacks.
        var registry = Metrics.NewCustomRegistry();
        var metrics = Metrics.WithCustomRegistry(registry);
        var mtta = metrics.CreateGauge("firebreak_page_mtta_median_seconds", "Median time to acknowledge pages over 30 days", "policy");
        var incidentMtta = metrics.CreateGauge("firebreak_incident_mtta_median_seconds", "Median time from declaration to acknowledgement over 30 days", "team");
        var pages = metrics.CreateGauge("firebreak_pager_load_pages", "Pages delivered to a person over 30 days", "person");
        var outOfHours = metrics.CreateGauge("firebreak_pager_load_out_of_hours_pages", "Pages delivered outside working hours over 30 days", "person");
        var active = metrics.CreateGauge("firebreak_incidents_active", "Incidents in triage, investigating or mitigated", "severity");
        var firing = metrics.CreateGauge("firebreak_alerts_firing", "Alerts firing or acknowledged");
        var scopes = app.ServiceProvider.GetRequiredService<IServiceScopeFactory>();
        registry.AddBeforeCollectCallback(async ct =>
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<FirebreakDb>();
            var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            var view = await ComputeAsync(db, scope.ServiceProvider.GetRequiredService<WorkingHoursOptions>(), now, 30, ct);
            foreach (var row in view.PageMttaByPolicy.Where(r => r.MedianSeconds is not null)) mtta.WithLabels(row.Key).Set(row.MedianSeconds!.Value);
            foreach (var row in view.IncidentMttaByTeam.Where(r => r.MedianSeconds is not null)) incidentMtta.WithLabels(row.Key).Set(row.MedianSeconds!.Value);
            foreach (var row in view.PagerLoad)
            {
                pages.WithLabels(row.Handle).Set(row.Pages);
                outOfHours.WithLabels(row.Handle).Set(row.OutOfHours);
            }
            foreach (var severity in Enum.GetValues<Incidents.Severity>())
                active.WithLabels(Incidents.Vocabulary.Format(severity)).Set(await db.Incidents.CountAsync(i => i.Severity == severity
                    && (i.Status == Incidents.IncidentStatus.Triage || i.Status == Incidents.IncidentStatus.Investigating || i.Status == Incidents.IncidentStatus.Mitigated), ct));
            firing.Set(await db.Set<Alerts.Alert>().CountAsync(a => a.Status != "resolved", ct));
        });
        // Metrics name people (pager load), so scrapes need a token (Prometheus: authorization.credentials) unless
        // Firebreak:Metrics:Anonymous says otherwise.
        var endpoint = app.MapMetrics("/metrics", registry);
        if (app.ServiceProvider.GetRequiredService<IConfiguration>().GetValue<bool>("Firebreak:Metrics:Anonymous")) endpoint.AllowAnonymous();
        return app;
    }
}
