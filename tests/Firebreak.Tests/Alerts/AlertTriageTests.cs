using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Firebreak.Tests.Support;

namespace Firebreak.Tests.Alerts;

/// <summary>A server whose triage acts at once (no group wait, no group interval), so tests need not wait.</summary>
public sealed class TriageServer : FirebreakServer
{
    protected override IReadOnlyDictionary<string, string> DataFiles => new Dictionary<string, string>
    {
        ["alert-rules.yaml"] = """
            grouping:
              by: [service, alertname]
              wait: 0s
              interval: 0s
            autoDeclare:
              - name: critical-on-tier-1
                match: ["severity=critical"]
                serviceTier: 1
                severity: SEV2
            """,
    };
}

public class AlertTriageTests(TriageServer server) : IClassFixture<TriageServer>
{
    private static readonly DateTime StartsAt = DateTime.UtcNow.AddHours(-1).AddTicks(-(DateTime.UtcNow.Ticks % TimeSpan.TicksPerSecond));

    private async Task<string> ServiceAsync(int tier)
    {
        var name = "svc" + Guid.NewGuid().ToString("N")[..8];
        (await server.Admin().PostAsJsonAsync("/api/v1/services", new { shortName = name, tier })).EnsureSuccessStatusCode();
        return name;
    }

    private async Task SendAsync(string key, string service, string alertname, string status = "firing", string severity = "critical", string instance = "i-1")
    {
        var client = server.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var body = $$$"""
            {"version":"4","groupKey":"{}:{alertname=\"{{{alertname}}}\"}","status":"{{{status}}}","alerts":[{"status":"{{{status}}}",
              "labels":{"alertname":"{{{alertname}}}","service":"{{{service}}}","severity":"{{{severity}}}","instance":"{{{instance}}}"},
              "annotations":{"summary":"{{{alertname}}} on {{{service}}}"},"startsAt":"{{{StartsAt:yyyy-MM-ddTHH:mm:ss}}}Z",
              "endsAt":"{{{(status == "resolved" ? $"{StartsAt.AddMinutes(20):yyyy-MM-ddTHH:mm:ss}Z" : "0001-01-01T00:00:00Z")}}}","fingerprint":"{{{alertname}}}-{{{instance}}}"}]}
            """;
        (await client.PostAsync("/integrations/alertmanager", new StringContent(body, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
    }

    private async Task<JsonElement?> IncidentForAsync(string alertname)
    {
        var alerts = await (await server.Admin().GetAsync("/api/v1/alerts?limit=1000")).JsonAsync();
        var alert = alerts.EnumerateArray().FirstOrDefault(a => a.GetProperty("alertName").GetString() == alertname);
        if (alert.ValueKind == JsonValueKind.Undefined || alert.GetProperty("incident").ValueKind != JsonValueKind.String) return null;
        return await (await server.Admin().GetAsync($"/api/v1/incidents/{alert.GetProperty("incident").GetString()}")).JsonAsync();
    }

    [Fact]
    public async Task A_critical_alert_on_a_tier_1_service_declares_an_incident_that_names_the_rule_and_the_alert()
    {
        var key = await server.IntegrationKeyAsync("alertmanager");
        var service = await ServiceAsync(tier: 1);
        var alertname = "CheckoutErrors" + Guid.NewGuid().ToString("N")[..6];

        await SendAsync(key, service, alertname);

        var incident = (await FirebreakServer.EventuallyAsync(() => IncidentForAsync(alertname), i => i is not null, "an auto-declared incident"))!.Value;
        incident.GetProperty("severity").GetString().ShouldBe("SEV2");
        incident.GetProperty("declaredBy").GetString().ShouldBe("firebreak");
        incident.GetProperty("services")[0].GetProperty("shortName").GetString().ShouldBe(service);
        incident.GetProperty("times").GetProperty("startedAt").GetDateTime().ToUniversalTime().ShouldBe(new DateTime(StartsAt.Ticks - StartsAt.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc));
        var linked = incident.GetProperty("timeline").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "alertsLinked");
        linked.GetProperty("text").GetString()!.ShouldContain("critical-on-tier-1");
        linked.GetProperty("text").GetString()!.ShouldContain($"{alertname} on {service}");
    }

    [Fact]
    public async Task Alerts_of_a_linked_group_appear_on_the_incident_timeline_when_they_fire_and_resolve()
    {
        var key = await server.IntegrationKeyAsync("alertmanager");
        var service = await ServiceAsync(tier: 1);
        var alertname = "Latency" + Guid.NewGuid().ToString("N")[..6];
        await SendAsync(key, service, alertname);
        var id = (await FirebreakServer.EventuallyAsync(() => IncidentForAsync(alertname), i => i is not null, "an incident"))!.Value.GetProperty("id").GetString();

        await SendAsync(key, service, alertname, instance: "i-2");
        await SendAsync(key, service, alertname, status: "resolved");

        var timeline = await FirebreakServer.EventuallyAsync(
            async () => (await (await server.Admin().GetAsync($"/api/v1/incidents/{id}/timeline")).JsonAsync()).EnumerateArray()
                .Where(e => e.GetProperty("kind").GetString() == "alertActivity").Select(e => e.GetProperty("text").GetString()!).ToList(),
            texts => texts.Any(t => t.Contains("resolved:")) && texts.Any(t => t.Contains("firing:")),
            "alert activity on the timeline");
        timeline.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task A_warning_or_a_tier_3_service_does_not_declare()
    {
        var key = await server.IntegrationKeyAsync("alertmanager");
        var tier3 = await ServiceAsync(tier: 3);
        var tier1 = await ServiceAsync(tier: 1);
        var onTier3 = "Minor" + Guid.NewGuid().ToString("N")[..6];
        var warning = "Warn" + Guid.NewGuid().ToString("N")[..6];
        await SendAsync(key, tier3, onTier3);
        await SendAsync(key, tier1, warning, severity: "warning");

        // Triage has seen both groups once their notification time is set.
        await FirebreakServer.EventuallyAsync(
            async () => (await (await server.Admin().GetAsync("/api/v1/alert-groups?limit=1000")).JsonAsync()).EnumerateArray()
                .Where(g => g.GetProperty("title").GetString()!.StartsWith(onTier3) || g.GetProperty("title").GetString()!.StartsWith(warning)).ToList(),
            groups => groups.Count == 2 && groups.All(g => g.GetProperty("notifiedAt").ValueKind == JsonValueKind.String),
            "triage of both groups");
        (await IncidentForAsync(onTier3)).ShouldBeNull();
        (await IncidentForAsync(warning)).ShouldBeNull();
    }

    [Fact]
    public async Task A_silenced_alert_is_kept_but_declares_nothing()
    {
        var key = await server.IntegrationKeyAsync("alertmanager");
        var service = await ServiceAsync(tier: 1);
        var alertname = "Maint" + Guid.NewGuid().ToString("N")[..6];
        (await server.Admin().PostAsJsonAsync("/api/v1/silences", new { matchers = new[] { $"alertname={alertname}" }, duration = "30m" })).EnsureSuccessStatusCode();

        await SendAsync(key, service, alertname);

        await FirebreakServer.EventuallyAsync(
            async () => (await (await server.Admin().GetAsync("/api/v1/alert-groups?limit=1000")).JsonAsync()).EnumerateArray()
                .SingleOrDefault(g => g.GetProperty("title").GetString()!.StartsWith(alertname)),
            g => g.ValueKind == JsonValueKind.Object && g.GetProperty("notifiedAt").ValueKind == JsonValueKind.String, "triage");
        (await IncidentForAsync(alertname)).ShouldBeNull();
    }
}

public class AlertRecurrenceTests(TriageServer server) : IClassFixture<TriageServer>
{
    [Fact]
    public async Task A_group_that_fires_again_after_its_incident_was_resolved_declares_a_new_incident()
    {
        var key = await server.IntegrationKeyAsync("alertmanager");
        var service = "svc" + Guid.NewGuid().ToString("N")[..8];
        (await server.Admin().PostAsJsonAsync("/api/v1/services", new { shortName = service, tier = 1 })).EnsureSuccessStatusCode();
        var alertname = "Recurs" + Guid.NewGuid().ToString("N")[..6];
        async Task Send(string status, DateTime startsAt)
        {
            var client = server.Client();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            var endsAt = status == "resolved" ? startsAt.AddMinutes(1) : (DateTime?)null;
            var body = JsonSerializer.Serialize(new
            {
                version = "4", groupKey = $"{{}}:{{alertname=\"{alertname}\"}}", status,
                alerts = new[] { new { status, labels = new Dictionary<string, string> { ["alertname"] = alertname, ["service"] = service, ["severity"] = "critical" },
                    annotations = new Dictionary<string, string> { ["summary"] = $"{alertname} down" }, startsAt, endsAt = (object?)endsAt ?? "0001-01-01T00:00:00Z", fingerprint = alertname } },
            });
            (await client.PostAsync("/integrations/alertmanager", new StringContent(body, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        }
        async Task<string?> IncidentAsync() =>
            (await (await server.Admin().GetAsync("/api/v1/alerts?limit=1000")).JsonAsync()).EnumerateArray()
                .Where(a => a.GetProperty("alertName").GetString() == alertname).Select(a => a.GetProperty("incident").GetString()).FirstOrDefault();

        var first = DateTime.UtcNow.AddMinutes(-30);
        await Send("firing", first);
        var original = await FirebreakServer.EventuallyAsync(IncidentAsync, id => id is not null, "the first incident");
        (await server.Admin().PostAsJsonAsync($"/api/v1/incidents/{original}/status", new { status = "resolved" })).EnsureSuccessStatusCode();
        await Send("resolved", first);

        await Send("firing", DateTime.UtcNow.AddMinutes(-1));

        var second = await FirebreakServer.EventuallyAsync(IncidentAsync, id => id is not null && id != original, "a new incident for the recurrence");
        second.ShouldNotBe(original);
        var oldTimeline = await (await server.Admin().GetAsync($"/api/v1/incidents/{original}/timeline")).JsonAsync();
        oldTimeline.EnumerateArray().ShouldContain(e => e.GetProperty("text").GetString()!.Contains("fired again after this incident was resolved"));
    }
}
