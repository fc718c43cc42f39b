using System.Globalization;
using System.ServiceModel.Syndication;
using System.Text;
using System.Text.Json;
using System.Xml;
using Firebreak.Storage;
using Firebreak.Web;
using Firebreak.Web.Pages;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.Comms;

public sealed record ComponentUptime(ComponentView Component, IReadOnlyList<UptimeDay> Days, double Percent);

/// <summary>Everything the public page shows, read once per change.</summary>
public sealed record StatusPageModel(string Name, string Url, string Indicator, string Description, IReadOnlyList<ComponentUptime> Components,
    IReadOnlyList<PublicIncidentView> Active, IReadOnlyList<PublicIncidentView> Maintenances, IReadOnlyList<PublicIncidentView> Recent, DateTime Now);

/// <summary>One ready-to-send rendering of the public page or one of its feeds.</summary>
public sealed record StatusRender(byte[] Body, string ContentType, string ETag);

public sealed record StatusPageOptions
{
    /// <summary>The company or product name the page is titled with (Firebreak:StatusPage:Name).</summary>
    public string Name { get; init; } = "Firebreak";
}

/// <summary>
/// The public status page must hold an outage's traffic, so nothing about it is computed per request: after
/// every change (and at least once a minute, for the uptime bars) the page, its feeds and its JSON are rendered
/// once into memory, and requests are answered from there with an ETag. A change made through this node is
/// rebuilt before it is answered; a one-second look at the tables catches other nodes' changes.
/// </summary>
public sealed partial class StatusSnapshot(IServiceScopeFactory scopes, PageRenderer renderer, StatusPageOptions options,
    OnCall.PublicUrl publicUrl, TimeProvider clock, ILogger<StatusSnapshot> log) : BackgroundService
{
    public const int PastIncidents = 50;
    public static readonly TimeSpan Look = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Refresh = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _building = new(1, 1);
    private volatile IReadOnlyDictionary<string, StatusRender>? _current;
    private (DateTime?, DateTime?, int) _stamp;
    private DateTime _builtAt;

    public async Task<StatusRender> GetAsync(string name, CancellationToken ct)
    {
        if (_current is null) await RebuildAsync(ct);
        return _current![name];
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Look, clock, stoppingToken);
                var stamp = await StampAsync(stoppingToken);
                if (stamp != _stamp || clock.GetUtcNow().UtcDateTime - _builtAt > Refresh) await RebuildAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { LogRebuildFailed(log, e); }
        }
    }

    private async Task<(DateTime?, DateTime?, int)> StampAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirebreakDb>();
        return (await db.Set<StatusComponent>().MaxAsync(c => (DateTime?)c.UpdatedAt, ct),
            await db.Set<PublicIncident>().MaxAsync(p => (DateTime?)p.UpdatedAt, ct),
            await db.Set<StatusComponent>().CountAsync(ct));
    }

    public async Task RebuildAsync(CancellationToken ct)
    {
        await _building.WaitAsync(ct);
        try
        {
            var stamp = await StampAsync(ct);
            var model = await LoadAsync(ct);
            var page = await renderer.RenderAsync<StatusPageView>(new Dictionary<string, object?> { ["Model"] = model });
            var renders = new Dictionary<string, StatusRender>
            {
                ["html"] = Render(page, "text/html; charset=utf-8"),
                ["summary"] = Json(new { page = Page(model), status = Status(model), components = model.Components.Select(c => Component(c.Component)), incidents = model.Active.Select(Incident), scheduled_maintenances = model.Maintenances.Select(Incident) }),
                ["status"] = Json(new { page = Page(model), status = Status(model) }),
                ["components"] = Json(new { page = Page(model), components = model.Components.Select(c => Component(c.Component)) }),
                ["incidents"] = Json(new { page = Page(model), incidents = model.Recent.Where(p => !p.Maintenance).Select(Incident) }),
                ["unresolved"] = Json(new { page = Page(model), incidents = model.Active.Select(Incident) }),
                ["maintenances"] = Json(new { page = Page(model), scheduled_maintenances = model.Maintenances.Concat(model.Recent.Where(p => p.Maintenance)).Select(Incident) }),
                ["atom"] = Feed(model, atom: true),
                ["rss"] = Feed(model, atom: false),
            };
            _current = renders;
            _stamp = stamp;
            _builtAt = clock.GetUtcNow().UtcDateTime;
        }
        finally
        {
            _building.Release();
        }
    }

    private async Task<StatusPageModel> LoadAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirebreakDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        var components = await StatusQueries.ComponentsAsync(db, ct);
        var rows = await db.Set<StatusComponent>().AsNoTracking().ToDictionaryAsync(c => c.Key, ct);
        var since = now.AddDays(-Uptime.Days - 1);
        var history = await db.Set<ComponentStatusChange>().AsNoTracking().Where(c => c.At >= since).ToListAsync(ct);
        // The status each component had when the window opened.
        var before = await db.Set<ComponentStatusChange>().AsNoTracking().Where(c => c.At < since)
            .GroupBy(c => c.ComponentId).Select(g => g.OrderByDescending(c => c.At).First()).ToListAsync(ct);
        var uptimes = components.Select(c =>
        {
            var row = rows[c.Key];
            var (days, percent) = Uptime.For(row.CreatedAt, [.. before.Where(h => h.ComponentId == row.Id), .. history.Where(h => h.ComponentId == row.Id)], now);
            return new ComponentUptime(c, days, percent);
        }).ToList();
        var recent = await StatusQueries.PublicIncidentsAsync(db, _ => true, PastIncidents, ct);
        var active = recent.Where(p => !p.Maintenance && p.ResolvedAt is null).ToList();
        var maintenances = recent.Where(p => p.Maintenance && p.ResolvedAt is null).OrderBy(p => p.ScheduledFor).ToList();
        var indicator = Indicator(active, components);
        return new StatusPageModel(options.Name, publicUrl.Value + "/status", indicator,
            maintenances.Any(m => m.Status is "in_progress" or "verifying") && indicator == "none" ? "Service Under Maintenance" : StatusNames.Describe(indicator),
            uptimes, active, maintenances, [.. recent.Where(p => p.ResolvedAt is not null)], now);
    }

    /// <summary>The worst of the open incidents' impact and what the components say.</summary>
    private static string Indicator(IReadOnlyList<PublicIncidentView> active, IReadOnlyList<ComponentView> components)
    {
        var rank = active.Select(p => p.Impact switch { "critical" => 3, "major" => 2, "minor" => 1, _ => 0 }).DefaultIfEmpty(0).Max();
        foreach (var c in components)
        {
            var fromComponent = c.Status switch { "major_outage" => 3, "partial_outage" => 2, "degraded_performance" => 1, _ => 0 };
            rank = Math.Max(rank, fromComponent);
        }
        return rank switch { 3 => "critical", 2 => "major", 1 => "minor", _ => "none" };
    }

    private static object Page(StatusPageModel m) => new { id = "firebreak", name = m.Name, url = m.Url, time_zone = "Etc/UTC", updated_at = m.Now };

    private static object Status(StatusPageModel m) => new { indicator = m.Indicator, description = m.Description };

    private static object Component(ComponentView c) => new
    {
        id = c.Key, name = c.Name, status = c.Status, created_at = c.UpdatedAt, updated_at = c.UpdatedAt, position = c.Position,
        description = c.Description, showcase = true, start_date = (string?)null, group_id = (string?)null, page_id = "firebreak", group = false,
        only_show_if_degraded = false,
    };

    private static object Incident(PublicIncidentView p) => new
    {
        id = Id(p), name = p.Title, status = p.Status, impact = p.Impact, created_at = p.CreatedAt, updated_at = p.UpdatedAt,
        monitoring_at = p.Updates.Where(u => u.Status == "monitoring").Select(u => (DateTime?)u.CreatedAt).LastOrDefault(),
        resolved_at = p.ResolvedAt, started_at = p.CreatedAt, page_id = "firebreak", shortlink = (string?)null,
        scheduled_for = p.ScheduledFor, scheduled_until = p.ScheduledUntil,
        components = p.Components.Select(k => new { id = k, code = k }),
        incident_updates = p.Updates.Select(u => new
        {
            id = u.Id.ToString(CultureInfo.InvariantCulture), status = u.Status, body = u.Body, incident_id = Id(p),
            created_at = u.CreatedAt, updated_at = u.CreatedAt, display_at = u.CreatedAt,
            affected_components = u.Components.Select(c => new { code = c.Key, new_status = c.Status }),
        }),
    };

    private static string Id(PublicIncidentView p) => p.Id.ToString(CultureInfo.InvariantCulture);

    private static StatusRender Json(object value) => Render(JsonSerializer.SerializeToUtf8Bytes(value, StatusPageJson.Options), "application/json; charset=utf-8");

    private static StatusRender Render(string text, string contentType) => Render(Encoding.UTF8.GetBytes(text), contentType);

    private static StatusRender Render(byte[] body, string contentType) =>
        new(body, contentType, $"\"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body))[..20]}\"");

    /// <summary>One entry per public update, newest first; the entry links to the page's anchor for its incident.</summary>
    private static StatusRender Feed(StatusPageModel m, bool atom)
    {
        var host = new Uri(m.Url).Host;
        var items = m.Active.Concat(m.Maintenances).Concat(m.Recent)
            .SelectMany(p => p.Updates.Select(u => (Incident: p, Update: u)))
            .OrderByDescending(x => x.Update.CreatedAt).ThenByDescending(x => x.Update.Id).Take(100)
            .Select(x =>
            {
                var label = x.Update.Status.Replace('_', ' ');
                var item = new SyndicationItem($"{x.Incident.Title}: {label}", (SyndicationContent?)null, new Uri($"{m.Url}#incident-{x.Incident.Id}"),
                    $"tag:{host},2026:status-update-{x.Update.Id}", new DateTimeOffset(x.Update.CreatedAt, TimeSpan.Zero))
                {
                    PublishDate = new DateTimeOffset(x.Update.CreatedAt, TimeSpan.Zero),
                    // Readers treat RSS descriptions as HTML, so the text goes as escaped HTML in both formats and reads as written.
                    Summary = new TextSyndicationContent(System.Net.WebUtility.HtmlEncode(x.Update.Body).ReplaceLineEndings("<br>"), TextSyndicationContentKind.Html),
                };
                return item;
            }).ToList();
        var feed = new SyndicationFeed($"{m.Name} status", $"Incidents and maintenance for {m.Name}", new Uri(m.Url), $"tag:{host},2026:status", new DateTimeOffset(m.Now, TimeSpan.Zero), items);
        feed.Links.Add(new SyndicationLink(new Uri(m.Url + (atom ? "/feed.atom" : "/feed.rss"))) { RelationshipType = "self" });
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            if (atom) new Atom10FeedFormatter(feed).WriteTo(xml);
            else new Rss20FeedFormatter(feed).WriteTo(xml);
        }
        return Render(buffer.ToArray(), atom ? "application/atom+xml; charset=utf-8" : "application/rss+xml; charset=utf-8");
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Rebuilding the status page failed; retrying")]
    private static partial void LogRebuildFailed(ILogger logger, Exception e);
}
