using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Firebreak.Alerts;
using Firebreak.Storage;
using Firebreak.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Firebreak.Tests.Alerts;

public class AlertIntakeTests(FirebreakServer server) : IClassFixture<FirebreakServer>
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string AmPayload(string fingerprint, string status = "firing", string startsAt = "2026-11-24T13:00:00Z", string endsAt = "0001-01-01T00:00:00Z",
        string alertname = "InstanceDown", string severity = "warning") => $$$"""
        {"version":"4","groupKey":"{}:{alertname=\"{{{alertname}}}\"}","status":"{{{status}}}","receiver":"firebreak","alerts":[
          {"status":"{{{status}}}","labels":{"alertname":"{{{alertname}}}","instance":"{{{fingerprint}}}","severity":"{{{severity}}}"},
           "annotations":{"summary":"{{{fingerprint}}} is down"},"startsAt":"{{{startsAt}}}","endsAt":"{{{endsAt}}}","fingerprint":"{{{fingerprint}}}"}]}
        """;

    private async Task<JsonElement> AlertAsync(string dedupKey)
    {
        var alerts = await (await server.Admin().GetAsync("/api/v1/alerts?limit=1000")).JsonAsync();
        return alerts.EnumerateArray().Single(a => a.GetProperty("dedupKey").GetString() == dedupKey);
    }

    private HttpClient Bearer(string key)
    {
        var client = server.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    [Fact]
    public async Task An_alertmanager_webhook_is_stored_and_answered_after_commit()
    {
        var key = await server.IntegrationKeyAsync("alertmanager");
        var fp = "am-" + Guid.NewGuid().ToString("N")[..8];

        var response = await Bearer(key).PostAsync("/integrations/alertmanager", Json(AmPayload(fp)));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.JsonAsync()).GetProperty("dedupKeys")[0].GetString().ShouldBe(fp);
        var alert = await AlertAsync(fp);
        alert.GetProperty("status").GetString().ShouldBe("firing");
        alert.GetProperty("summary").GetString().ShouldBe($"{fp} is down");
        alert.GetProperty("occurrences").GetInt32().ShouldBe(1);
        alert.GetProperty("tier").GetString().ShouldBe("ticket");
    }

    [Fact]
    public async Task Duplicate_deliveries_from_an_HA_pair_change_nothing()
    {
        var key = await server.IntegrationKeyAsync("alertmanager");
        var fp = "ha-" + Guid.NewGuid().ToString("N")[..8];
        using var client = Bearer(key);
        (await client.PostAsync("/integrations/alertmanager", Json(AmPayload(fp)))).EnsureSuccessStatusCode();
        var first = await AlertAsync(fp);

        (await client.PostAsync("/integrations/alertmanager", Json(AmPayload(fp)))).EnsureSuccessStatusCode();
        (await client.PostAsync("/integrations/alertmanager/" + key, Json(AmPayload(fp)))).EnsureSuccessStatusCode();

        var after = await AlertAsync(fp);
        after.GetProperty("occurrences").GetInt32().ShouldBe(1);
        after.GetProperty("lastSeenAt").GetDateTime().ShouldBe(first.GetProperty("lastSeenAt").GetDateTime());
        after.GetProperty("status").GetString().ShouldBe("firing");
    }

    [Fact]
    public async Task A_resolve_closes_the_alert_and_a_new_episode_counts_as_a_new_occurrence()
    {
        var key = await server.IntegrationKeyAsync("alertmanager");
        var fp = "ep-" + Guid.NewGuid().ToString("N")[..8];
        using var client = Bearer(key);
        await client.PostAsync("/integrations/alertmanager", Json(AmPayload(fp)));

        await client.PostAsync("/integrations/alertmanager", Json(AmPayload(fp, "resolved", endsAt: "2026-11-24T13:10:00Z")));
        var resolved = await AlertAsync(fp);
        resolved.GetProperty("status").GetString().ShouldBe("resolved");
        resolved.GetProperty("resolvedAt").GetDateTime().ToUniversalTime().ShouldBe(new DateTime(2026, 11, 24, 13, 10, 0, DateTimeKind.Utc));

        // A late duplicate of the old episode does not re-open it...
        await client.PostAsync("/integrations/alertmanager", Json(AmPayload(fp)));
        (await AlertAsync(fp)).GetProperty("status").GetString().ShouldBe("resolved");
        // ...a new firing episode does.
        await client.PostAsync("/integrations/alertmanager", Json(AmPayload(fp, startsAt: "2026-11-24T14:00:00Z")));
        var again = await AlertAsync(fp);
        again.GetProperty("status").GetString().ShouldBe("firing");
        again.GetProperty("occurrences").GetInt32().ShouldBe(2);
        again.GetProperty("resolvedAt").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Grafana_signatures_are_checked_when_a_secret_is_set()
    {
        const string secret = "grafana-shared-secret";
        var key = await server.IntegrationKeyAsync("grafana", secret);
        var body = """{"receiver":"fb","status":"firing","orgId":1,"version":"1","alerts":[{"status":"firing","labels":{"alertname":"Mem","zone":"us-1"},"annotations":{},"startsAt":"2026-11-24T13:00:00Z","fingerprint":"graf-1"}]}""";
        using var client = Bearer(key);

        var unsigned = await client.PostAsync("/integrations/grafana", Json(body));
        await unsigned.ShouldBeProblemAsync(401);

        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
        var request = new HttpRequestMessage(HttpMethod.Post, "/integrations/grafana") { Content = Json(body) };
        request.Headers.Add("X-Grafana-Alerting-Signature", signature);
        (await client.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AlertAsync("graf-1")).GetProperty("source").GetString().ShouldBe("grafana");
    }

    [Fact]
    public async Task Prometheus_can_send_to_the_alertmanager_api_with_basic_auth()
    {
        var key = await server.IntegrationKeyAsync("alertmanager");
        var client = server.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("prometheus:" + key)));
        var instance = Guid.NewGuid().ToString("N")[..8];
        var labels = new Dictionary<string, string> { ["alertname"] = "HighLatency", ["instance"] = instance };
        var body = JsonSerializer.Serialize(new[] { new { labels, annotations = new { summary = "p99 high" }, startsAt = DateTime.UtcNow.AddMinutes(-5), endsAt = DateTime.UtcNow.AddMinutes(4) } });

        (await client.PostAsync("/api/v2/alerts", Json(body))).StatusCode.ShouldBe(HttpStatusCode.OK);

        var alert = await AlertAsync(Fingerprints.Of(labels));
        alert.GetProperty("source").GetString().ShouldBe("prometheus");
        alert.GetProperty("status").GetString().ShouldBe("firing");
    }

    [Fact]
    public async Task PagerDuty_events_get_PagerDutys_answers()
    {
        var key = await server.IntegrationKeyAsync("pagerduty");
        using var client = server.Client();
        var dedup = "pd-" + Guid.NewGuid().ToString("N")[..8];

        var trigger = await client.PostAsync("/v2/enqueue", Json($$$"""
            {"routing_key":"{{{key}}}","event_action":"trigger","dedup_key":"{{{dedup}}}",
             "payload":{"summary":"Disk full on db-1","source":"db-1","severity":"critical","component":"orders-db","custom_details":{"free":"0%"}},
             "links":[{"href":"https://grafana/d/1","text":"Dashboard"}]}
            """));
        trigger.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var answer = await trigger.JsonAsync();
        answer.GetProperty("status").GetString().ShouldBe("success");
        answer.GetProperty("message").GetString().ShouldBe("Event processed");
        answer.GetProperty("dedup_key").GetString().ShouldBe(dedup);
        (await AlertAsync(dedup)).GetProperty("tier").GetString().ShouldBe("page");

        (await client.PostAsync("/v2/enqueue", Json($$$"""{"routing_key":"{{{key}}}","event_action":"acknowledge","dedup_key":"{{{dedup}}}"}"""))).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await AlertAsync(dedup)).GetProperty("status").GetString().ShouldBe("acknowledged");
        (await client.PostAsync("/v2/enqueue", Json($$$"""{"routing_key":"{{{key}}}","event_action":"resolve","dedup_key":"{{{dedup}}}"}"""))).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await AlertAsync(dedup)).GetProperty("status").GetString().ShouldBe("resolved");

        var generated = await (await client.PostAsync("/v2/enqueue", Json($$$"""{"routing_key":"{{{key}}}","event_action":"trigger","payload":{"summary":"s","source":"x","severity":"info"}}"""))).JsonAsync();
        generated.GetProperty("dedup_key").GetString()!.Length.ShouldBe(32);
    }

    [Fact]
    public async Task PagerDuty_acknowledge_for_an_unknown_key_is_dropped()
    {
        var key = await server.IntegrationKeyAsync("pagerduty");
        var dedup = "ghost-" + Guid.NewGuid().ToString("N")[..8];
        (await server.Client().PostAsync("/v2/enqueue", Json($$$"""{"routing_key":"{{{key}}}","event_action":"acknowledge","dedup_key":"{{{dedup}}}"}""")))
            .StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var alerts = await (await server.Admin().GetAsync("/api/v1/alerts?limit=1000")).JsonAsync();
        alerts.EnumerateArray().ShouldNotContain(a => a.GetProperty("dedupKey").GetString() == dedup);
    }

    [Theory]
    [InlineData("""{"routing_key":"KEY","event_action":"snooze","dedup_key":"x"}""", "event_action")]
    [InlineData("""{"routing_key":"KEY","event_action":"trigger","payload":{"summary":"s","source":"x","severity":"urgent"}}""", "payload.severity")]
    [InlineData("""{"routing_key":"KEY","event_action":"trigger"}""", "payload")]
    [InlineData("""{"routing_key":"not-a-key","event_action":"trigger","payload":{"summary":"s","source":"x","severity":"info"}}""", "routing_key")]
    [InlineData("""{"routing_key":"KEY", "event_action": """, "Invalid JSON")]
    public async Task Bad_PagerDuty_events_get_PagerDutys_error_shape(string template, string mentioned)
    {
        var key = await server.IntegrationKeyAsync("pagerduty");
        var response = await server.Client().PostAsync("/v2/enqueue", Json(template.Replace("KEY", key, StringComparison.Ordinal)));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = await response.JsonAsync();
        error.GetProperty("status").GetString().ShouldBe("invalid event");
        error.GetProperty("errors").EnumerateArray().ShouldContain(e => e.GetString()!.Contains(mentioned));
    }

    [Fact]
    public async Task PagerDuty_change_events_are_kept()
    {
        var key = await server.IntegrationKeyAsync("pagerduty");
        var summary = "Deploy checkout 2026.11.24-" + Guid.NewGuid().ToString("N")[..6];
        var response = await server.Client().PostAsync("/v2/change/enqueue", Json($$$"""
            {"routing_key":"{{{key}}}","payload":{"summary":"{{{summary}}}","timestamp":"2026-11-24T12:58:00Z","source":"ci","custom_details":{"service":"checkout"}},
             "links":[{"href":"https://ci/build/2"}]}
            """));
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await using var scope = server.Services.CreateAsyncScope();
        var change = await scope.ServiceProvider.GetRequiredService<FirebreakDb>().Set<ChangeEvent>().SingleAsync(c => c.Summary == summary);
        change.Service.ShouldBe("checkout");
        change.OccurredAt.ShouldBe(new DateTime(2026, 11, 24, 12, 58, 0, DateTimeKind.Utc));
    }

    [Fact]
    public async Task Opsgenie_alerts_are_created_and_closed_by_alias_with_a_GenieKey()
    {
        var key = await server.IntegrationKeyAsync("opsgenie");
        var client = server.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("GenieKey", key);
        var alias = "og-" + Guid.NewGuid().ToString("N")[..8];

        var created = await client.PostAsync("/v2/alerts", Json($$$"""{"message":"[FIRING:1] InstanceDown","alias":"{{{alias}}}","priority":"P1","tags":["prod"],"details":{"service":"checkout"},"source":"alertmanager"}"""));
        created.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await created.JsonAsync()).GetProperty("result").GetString().ShouldBe("Request will be processed");
        (await AlertAsync(alias)).GetProperty("severity").GetString().ShouldBe("critical");

        (await client.PostAsync($"/v2/alerts/{alias}/close?identifierType=alias", Json("""{"source":"alertmanager","note":"resolved"}"""))).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await AlertAsync(alias)).GetProperty("status").GetString().ShouldBe("resolved");

        await (await client.PostAsync("/v2/alerts", Json("""{"message":"x","priority":"P9"}"""))).ShouldBeProblemAsync(422, "priority");
        var wrong = server.Client();
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("GenieKey", "fbk_nope");
        await (await wrong.PostAsync("/v2/alerts", Json("""{"message":"x"}"""))).ShouldBeProblemAsync(401);
    }

    [Fact]
    public async Task A_bad_alert_in_a_batch_does_not_lose_the_good_ones()
    {
        var key = await server.IntegrationKeyAsync("generic");
        var good = "gen-" + Guid.NewGuid().ToString("N")[..8];

        var response = await Bearer(key).PostAsync("/api/v1/alerts", Json($$$"""[{"severity":"critical"},{"summary":"Queue backlog","dedupKey":"{{{good}}}","service":"checkout"},{"summary":"x","action":"explode"}]"""));

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var answer = await response.JsonAsync();
        answer.GetProperty("status").GetString().ShouldBe("partial");
        answer.GetProperty("accepted").GetInt32().ShouldBe(1);
        answer.GetProperty("rejected").EnumerateArray().Select(r => r.GetProperty("index").GetInt32()).ShouldBe([0, 2]);
        (await AlertAsync(good)).GetProperty("summary").GetString().ShouldBe("Queue backlog");
    }

    [Fact]
    public async Task A_batch_with_no_acceptable_alert_is_422_listing_why()
    {
        var key = await server.IntegrationKeyAsync("generic");
        var problem = await (await Bearer(key).PostAsync("/api/v1/alerts", Json("""[{"severity":"critical"}]"""))).ShouldBeProblemAsync(422);
        problem.GetProperty("rejected")[0].GetProperty("reason").GetString().ShouldBe("summary is required");
    }

    [Fact]
    public async Task Intake_refuses_bad_requests_with_problems_and_never_500()
    {
        var key = await server.IntegrationKeyAsync("generic");
        var amKey = await server.IntegrationKeyAsync("alertmanager");
        using var client = Bearer(key);
        await (await client.PostAsync("/api/v1/alerts", Json("{\"summary\": "))).ShouldBeProblemAsync(400);
        await (await client.PostAsync("/api/v1/alerts", new StringContent("summary=x", Encoding.UTF8, "text/plain"))).ShouldBeProblemAsync(415);
        await (await client.PostAsync("/api/v1/alerts", Json("{\"summary\":\"" + new string('x', 600 * 1024) + "\"}"))).ShouldBeProblemAsync(413);
        await (await server.Client().PostAsync("/api/v1/alerts", Json("{\"summary\":\"x\"}"))).ShouldBeProblemAsync(401);
        await (await Bearer("fbk_madeup").PostAsync("/integrations/alertmanager", Json(AmPayload("x")))).ShouldBeProblemAsync(401);
        await (await Bearer(amKey).PostAsync("/api/v1/alerts", Json("{\"summary\":\"x\"}"))).ShouldBeProblemAsync(403);
        await (await Bearer(amKey).PostAsync("/integrations/alertmanager", Json("""{"version":"4"}"""))).ShouldBeProblemAsync(422, "alerts");
        await (await Bearer(amKey).PostAsync("/integrations/alertmanager", Json("""{"version":"4","alerts":"no"}"""))).ShouldBeProblemAsync(400);
    }

    [Fact]
    public async Task A_revoked_integration_key_stops_working()
    {
        var created = await (await server.Admin().PostAsJsonAsync("/api/v1/integrations", new { kind = "generic" })).JsonAsync();
        var id = created.GetProperty("id").GetInt32();
        using var client = Bearer(created.GetProperty("key").GetString()!);
        (await client.PostAsync("/api/v1/alerts", Json("""{"summary":"before"}"""))).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        (await server.Admin().DeleteAsync($"/api/v1/integrations/{id}")).EnsureSuccessStatusCode();

        await (await client.PostAsync("/api/v1/alerts", Json("""{"summary":"after"}"""))).ShouldBeProblemAsync(401);
    }

    [Fact]
    public async Task Only_admins_create_integration_keys()
    {
        var (_, token) = await server.PersonAsync("int");
        await (await server.Client(token).PostAsJsonAsync("/api/v1/integrations", new { kind = "generic" })).ShouldBeProblemAsync(403);
        await (await server.Admin().PostAsJsonAsync("/api/v1/integrations", new { kind = "nagios" })).ShouldBeProblemAsync(422, "kind");
    }

    [Fact]
    public async Task Silenced_alerts_are_kept_and_marked()
    {
        var key = await server.IntegrationKeyAsync("alertmanager");
        var fp = "sil-" + Guid.NewGuid().ToString("N")[..8];
        var silence = await (await server.Admin().PostAsJsonAsync("/api/v1/silences", new { matchers = new[] { $"instance={fp}" }, duration = "1h", comment = "maintenance" })).JsonAsync();

        (await Bearer(key).PostAsync("/integrations/alertmanager", Json(AmPayload(fp)))).EnsureSuccessStatusCode();

        (await AlertAsync(fp)).GetProperty("silenceId").GetInt64().ShouldBe(silence.GetProperty("id").GetInt64());
        var expired = await (await server.Admin().DeleteAsync($"/api/v1/silences/{silence.GetProperty("id").GetInt64()}")).JsonAsync();
        expired.GetProperty("active").GetBoolean().ShouldBeFalse();
    }

    [Theory]
    [InlineData(new string[0], "matchers")]
    [InlineData(new[] { "alertname=~(" }, "matchers")]
    [InlineData(new[] { "alertname=~.*" }, "matchers")]
    public async Task Silences_need_sensible_matchers(string[] matchers, string field) =>
        await (await server.Admin().PostAsJsonAsync("/api/v1/silences", new { matchers, duration = "1h" })).ShouldBeProblemAsync(422, field);
}
