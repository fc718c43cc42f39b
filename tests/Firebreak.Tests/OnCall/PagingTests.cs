using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Firebreak.Tests.Support;

namespace Firebreak.Tests.OnCall;

public sealed class PagingServer : FirebreakServer
{
    public const string Secret = "test-webhook-secret";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Firebreak:Paging:WebhookSecret"] = Secret };
}

/// <summary>Escalation through real HTTP peers: a generic webhook, Slack and Teams messages to a local sink.</summary>
public class PagingTests(PagingServer server) : IClassFixture<PagingServer>, IAsyncLifetime
{
    private readonly HttpSink _sink = new();

    public Task InitializeAsync() => _sink.InitializeAsync();

    public Task DisposeAsync() => _sink.DisposeAsync();

    private async Task<string> PersonWithAsync(string prefix, string kind, string path, string? delay = null)
    {
        var (handle, _) = await server.PersonAsync(prefix);
        (await server.Admin().PostAsJsonAsync($"/api/v1/people/{handle}/contact-methods", new { kind, address = _sink.Url + path, delay })).EnsureSuccessStatusCode();
        return handle;
    }

    private async Task<string> PolicyAsync(int repeat, params (string[] Targets, string Delay)[] steps)
    {
        var name = "pol-" + Guid.NewGuid().ToString("N")[..8];
        var response = await server.Admin().PostAsJsonAsync("/api/v1/escalation-policies",
            new { name, repeat, steps = steps.Select(s => new { targets = s.Targets, delay = s.Delay }) });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return name;
    }

    private async Task<long> TriggerAsync(string policy, string summary = "Checkout 5xx above 10%")
    {
        var response = await server.Admin().PostAsJsonAsync("/api/v1/pages", new { policy, summary });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync()).GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task A_page_escalates_through_three_steps_until_someone_acknowledges_from_the_message()
    {
        var a = await PersonWithAsync("pa", "webhook", "/a");
        var b = await PersonWithAsync("pb", "slack", "/b");
        var c = await PersonWithAsync("pc", "teams", "/c");
        var schedule = "pg-" + Guid.NewGuid().ToString("N")[..6];
        (await server.Admin().PostAsJsonAsync("/api/v1/schedules", new { name = schedule, timeZone = "UTC",
            layers = new[] { new { name = "all", rotation = "weekly", handoff = "2026-11-02T09:00", members = new[] { a } } } })).EnsureSuccessStatusCode();
        var policy = await PolicyAsync(1, ([$"schedule:{schedule}"], "2s"), ([$"person:{b}"], "2s"), ([$"person:{c}"], "2s"));

        var id = await TriggerAsync(policy);

        var webhook = (await FirebreakServer.EventuallyAsync(() => Task.FromResult(_sink.To("/a")), r => r.Count == 1, "the on-call person's webhook"))[0];
        webhook.Headers["X-Firebreak-Signature"].ShouldBe("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(PagingServer.Secret), Encoding.UTF8.GetBytes(webhook.Body))));
        var payload = JsonDocument.Parse(webhook.Body).RootElement;
        payload.GetProperty("page").GetProperty("summary").GetString().ShouldBe("Checkout 5xx above 10%");
        webhook.Headers["Idempotency-Key"].ShouldBe(payload.GetProperty("idempotencyKey").GetString());
        _sink.To("/b").ShouldBeEmpty("step 2 waits its delay");

        var slack = (await FirebreakServer.EventuallyAsync(() => Task.FromResult(_sink.To("/b")), r => r.Count == 1, "step 2's Slack message"))[0];
        JsonDocument.Parse(slack.Body).RootElement.GetProperty("blocks").GetRawText().ShouldContain("Acknowledge");
        var teams = (await FirebreakServer.EventuallyAsync(() => Task.FromResult(_sink.To("/c")), r => r.Count == 1, "step 3's Teams card"))[0];
        var card = JsonDocument.Parse(teams.Body).RootElement.GetProperty("attachments")[0].GetProperty("content");
        card.GetProperty("type").GetString().ShouldBe("AdaptiveCard");
        var ackUrl = card.GetProperty("actions").EnumerateArray().Single(x => x.GetProperty("title").GetString() == "Acknowledge").GetProperty("url").GetString()!;

        var acked = await server.Client().GetAsync(new Uri(ackUrl).PathAndQuery);
        acked.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await (await server.Admin().GetAsync($"/api/v1/pages/{id}")).JsonAsync();
        page.GetProperty("status").GetString().ShouldBe("acknowledged");
        page.GetProperty("acknowledgedBy").GetString().ShouldBe("link");
        page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ShouldContain("step");
        await Task.Delay(TimeSpan.FromSeconds(3));
        _sink.To("/a").Count.ShouldBe(1, "acknowledged: the second round never starts");
        (await server.Client().GetAsync(new Uri(ackUrl).AbsolutePath.Replace("/ack", "/escalate") + "?token=forged")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_failing_endpoint_is_retried_with_backoff_and_the_failures_are_on_the_page()
    {
        var a = await PersonWithAsync("pr", "webhook", "/flaky");
        _sink.Fail("/flaky", 2);
        var id = await TriggerAsync(await PolicyAsync(0, ([$"person:{a}"], "1m")));

        await FirebreakServer.EventuallyAsync(() => Task.FromResult(_sink.To("/flaky")), r => r.Count == 1, "delivery after two failures", seconds: 20);
        // The sink answers before the dispatcher records the outcome: wait for the record.
        var page = await FirebreakServer.EventuallyAsync(async () => await (await server.Admin().GetAsync($"/api/v1/pages/{id}")).JsonAsync(),
            p => p.GetProperty("notifications")[0].GetProperty("status").GetString() == "sent", "the delivery recorded");
        page.GetProperty("events").EnumerateArray().Count(e => e.GetProperty("kind").GetString() == "notification-retry").ShouldBe(2);
        page.GetProperty("notifications")[0].GetProperty("attempts").GetInt32().ShouldBe(3);
        page.GetProperty("notifications")[0].GetProperty("status").GetString().ShouldBe("sent");
    }

    [Fact]
    public async Task Mtta_and_pager_load_are_reported_in_the_api_and_as_prometheus_metrics()
    {
        var a = await PersonWithAsync("pm", "webhook", "/metrics-" + Guid.NewGuid().ToString("N")[..6]);
        var policy = await PolicyAsync(0, ([$"person:{a}"], "10m"));
        var id = await TriggerAsync(policy);
        await FirebreakServer.EventuallyAsync(async () => await (await server.Admin().GetAsync($"/api/v1/pages/{id}")).JsonAsync(),
            p => p.GetProperty("notifications").GetArrayLength() > 0 && p.GetProperty("notifications")[0].GetProperty("status").GetString() == "sent", "the page delivered");
        (await server.Admin().PostAsync($"/api/v1/pages/{id}/ack", null)).EnsureSuccessStatusCode();

        var metrics = await (await server.Admin().GetAsync("/api/v1/metrics/paging?days=7")).JsonAsync();
        var row = metrics.GetProperty("pageMttaByPolicy").EnumerateArray().Single(r => r.GetProperty("key").GetString() == policy);
        row.GetProperty("count").GetInt32().ShouldBe(1);
        row.GetProperty("medianSeconds").GetDouble().ShouldBeGreaterThan(0);
        metrics.GetProperty("pagerLoad").EnumerateArray().Single(r => r.GetProperty("handle").GetString() == a).GetProperty("pages").GetInt32().ShouldBe(1);

        (await server.CliAsync("metrics", "--days", "7")).ShouldSucceed().Out.ShouldContain(policy);
        (await server.Client().GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "metrics name people: a token is needed");
        var text = await server.Admin().GetStringAsync("/metrics");
        text.ShouldContain($"firebreak_pager_load_pages{{person=\"{a}\"}} 1");
        text.ShouldContain($"firebreak_page_mtta_median_seconds{{policy=\"{policy}\"}}");
        await (await server.Admin().GetAsync("/api/v1/metrics/paging?days=0")).ShouldBeProblemAsync(422, "days");
    }

    [Fact]
    public async Task A_step_outside_its_window_is_skipped_and_the_next_follows_at_once()
    {
        var day = await PersonWithAsync("pd", "webhook", "/day-" + Guid.NewGuid().ToString("N")[..6]);
        var night = await PersonWithAsync("pn", "webhook", "/night-" + Guid.NewGuid().ToString("N")[..6]);
        var now = DateTime.UtcNow.TimeOfDay;
        var closed = $"{now.Add(TimeSpan.FromHours(6)):hh\\:mm}-{now.Add(TimeSpan.FromHours(7)):hh\\:mm}";
        var name = "win-" + Guid.NewGuid().ToString("N")[..6];
        (await server.Admin().PostAsJsonAsync("/api/v1/escalation-policies", new
        {
            name,
            steps = new object[]
            {
                new { targets = new[] { $"person:{day}" }, delay = "30m", window = closed, timeZone = "UTC" },
                new { targets = new[] { $"person:{night}" }, delay = "30m" },
            },
        })).StatusCode.ShouldBe(HttpStatusCode.Created);

        var id = await TriggerAsync(name);

        var page = await FirebreakServer.EventuallyAsync(async () => await (await server.Admin().GetAsync($"/api/v1/pages/{id}")).JsonAsync(),
            p => p.GetProperty("notifications").GetArrayLength() > 0, "the second step's notification");
        page.GetProperty("notifications").EnumerateArray().Select(n => n.GetProperty("to").GetString()).ShouldBe([night]);
        page.GetProperty("events").EnumerateArray().ShouldContain(e => e.GetProperty("text").GetString()!.Contains("the step applies only"));
        await (await server.Admin().PostAsJsonAsync("/api/v1/escalation-policies", new { name = "bad-window", steps = new[] { new { targets = new[] { $"person:{day}" }, delay = "5m", window = "9-5pm" } } }))
            .ShouldBeProblemAsync(422, "steps[0].window");
    }

    [Fact]
    public async Task A_webhook_body_can_be_a_liquid_template_and_a_broken_template_is_refused()
    {
        var (handle, _) = await server.PersonAsync("tp");
        var path = "/templated-" + Guid.NewGuid().ToString("N")[..6];
        const string template = """{"text": "{{ page.summary }} (page {{ page.id }}) for {{ to }}", "ack": "{{ acknowledge_url }}"}""";
        (await server.Admin().PostAsJsonAsync($"/api/v1/people/{handle}/contact-methods", new { kind = "webhook", address = _sink.Url + path, template })).EnsureSuccessStatusCode();
        var id = await TriggerAsync(await PolicyAsync(0, ([$"person:{handle}"], "10m")), "Queue backlog");

        var received = (await FirebreakServer.EventuallyAsync(() => Task.FromResult(_sink.To(path)), r => r.Count == 1, "the templated webhook"))[0];
        var body = JsonDocument.Parse(received.Body).RootElement;
        body.GetProperty("text").GetString().ShouldBe($"Queue backlog (page {id}) for {handle}");
        body.GetProperty("ack").GetString()!.ShouldContain($"/pages/{id}/ack?token=");
        received.Headers["X-Firebreak-Signature"].ShouldStartWith("sha256=");

        var problem = await (await server.Admin().PostAsJsonAsync($"/api/v1/people/{handle}/contact-methods",
            new { kind = "webhook", address = _sink.Url + path, template = "{\n\"text\": \"{{ page.summary \"\n}" })).ShouldBeProblemAsync(422, "template");
        problem.GetProperty("detail").GetString()!.ShouldContain("does not parse");
    }

    [Fact]
    public async Task Paging_input_is_validated()
    {
        var (someone, _) = await server.PersonAsync("pv");
        await (await server.Admin().PostAsJsonAsync("/api/v1/escalation-policies", new { name = "bad-policy", steps = new[] { new { targets = new[] { "schedule:none" }, delay = "5m" } } }))
            .ShouldBeProblemAsync(422, "steps[0].targets");
        await (await server.Admin().PostAsJsonAsync("/api/v1/escalation-policies", new { name = "bad-delay", steps = new[] { new { targets = new[] { $"person:{someone}" }, delay = "soon" } } }))
            .ShouldBeProblemAsync(422, "steps[0].delay");
        await (await server.Admin().PostAsJsonAsync($"/api/v1/people/{someone}/contact-methods", new { kind = "pigeon", address = "http://x" })).ShouldBeProblemAsync(422, "kind");
        await (await server.Admin().PostAsJsonAsync($"/api/v1/people/{someone}/contact-methods", new { kind = "webhook", address = "not a url" })).ShouldBeProblemAsync(422, "address");
        await (await server.Admin().PostAsJsonAsync("/api/v1/pages", new { policy = "no-such-policy", summary = "x" })).ShouldBeProblemAsync(422, "policy");
        await (await server.Admin().GetAsync("/api/v1/pages/999999")).ShouldBeProblemAsync(404);
        var (_, otherToken) = await server.PersonAsync("px");
        await (await server.Client(otherToken).GetAsync($"/api/v1/people/{someone}/contact-methods")).ShouldBeProblemAsync(403);
        await (await server.Client(otherToken).PostAsJsonAsync($"/api/v1/people/{someone}/contact-methods", new { kind = "webhook", address = "http://127.0.0.1:9/x" })).ShouldBeProblemAsync(403);
    }
}

/// <summary>An escalation step due while Firebreak is down still happens after it starts again, once.</summary>
public class PagingRestartTests
{
    [Fact]
    public async Task A_restart_in_the_middle_of_an_escalation_still_escalates_exactly_once()
    {
        await using var sink = new SinkScope();
        var server = new PagingServer();
        await server.InitializeAsync();
        try
        {
            var (first, _) = await server.PersonAsync("rf");
            var (second, _) = await server.PersonAsync("rs");
            foreach (var (handle, path) in new[] { (first, "/first"), (second, "/second") })
                (await server.Admin().PostAsJsonAsync($"/api/v1/people/{handle}/contact-methods", new { kind = "webhook", address = sink.Sink.Url + path })).EnsureSuccessStatusCode();
            var policy = "restart-" + Guid.NewGuid().ToString("N")[..6];
            (await server.Admin().PostAsJsonAsync("/api/v1/escalation-policies", new { name = policy, steps = new object[]
            {
                new { targets = new[] { $"person:{first}" }, delay = "3s" },
                new { targets = new[] { $"person:{second}" }, delay = "1h" },
            } })).EnsureSuccessStatusCode();
            (await server.Admin().PostAsJsonAsync("/api/v1/pages", new { policy, summary = "Replica lag" })).EnsureSuccessStatusCode();
            await FirebreakServer.EventuallyAsync(() => Task.FromResult(sink.Sink.To("/first")), r => r.Count == 1, "step 1");

            await server.StopAsync();
            await Task.Delay(TimeSpan.FromSeconds(4));
            sink.Sink.To("/second").ShouldBeEmpty("nothing runs while Firebreak is down");
            await server.StartAsync();

            await FirebreakServer.EventuallyAsync(() => Task.FromResult(sink.Sink.To("/second")), r => r.Count >= 1, "step 2 after the restart", seconds: 30);
            await Task.Delay(TimeSpan.FromSeconds(2));
            sink.Sink.To("/second").Count.ShouldBe(1);
            sink.Sink.To("/first").Count.ShouldBe(1);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private sealed class SinkScope : IAsyncDisposable
    {
        public HttpSink Sink { get; } = new();
        public SinkScope() => Sink.InitializeAsync().GetAwaiter().GetResult();
        public async ValueTask DisposeAsync() => await Sink.DisposeAsync();
    }
}

/// <summary>From alert to page: the alert's service names its escalation in the catalog.</summary>
public class AlertPagingTests(Firebreak.Tests.Alerts.TriageServer server) : IClassFixture<Firebreak.Tests.Alerts.TriageServer>, IAsyncLifetime
{
    private readonly HttpSink _sink = new();

    public Task InitializeAsync() => _sink.InitializeAsync();

    public Task DisposeAsync() => _sink.DisposeAsync();

    [Fact]
    public async Task A_critical_alert_pages_whoever_is_on_call_for_its_service_and_resolving_it_resolves_the_page()
    {
        var (onCall, _) = await server.PersonAsync("oc");
        (await server.Admin().PostAsJsonAsync($"/api/v1/people/{onCall}/contact-methods", new { kind = "webhook", address = _sink.Url + "/oncall" })).EnsureSuccessStatusCode();
        var schedule = "svc-oncall-" + Guid.NewGuid().ToString("N")[..6];
        (await server.Admin().PostAsJsonAsync("/api/v1/schedules", new { name = schedule, timeZone = "UTC",
            layers = new[] { new { name = "all", rotation = "weekly", handoff = "2026-11-02T09:00", members = new[] { onCall } } } })).EnsureSuccessStatusCode();
        var team = "T" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        (await server.Admin().PostAsJsonAsync("/api/v1/teams", new { shortName = team, name = "Paging team", escalation = schedule })).EnsureSuccessStatusCode();
        var service = "svc" + Guid.NewGuid().ToString("N")[..8];
        (await server.Admin().PostAsJsonAsync("/api/v1/services", new { shortName = service, tier = 1, team })).EnsureSuccessStatusCode();
        var key = await server.IntegrationKeyAsync("alertmanager");
        var client = server.Client();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        var alertname = "Paged" + Guid.NewGuid().ToString("N")[..6];
        string Body(string status) => JsonSerializer.Serialize(new
        {
            version = "4", status, alerts = new[] { new { status, fingerprint = alertname, startsAt = DateTime.UtcNow.AddMinutes(-3),
                endsAt = status == "resolved" ? (object)DateTime.UtcNow.AddMinutes(-1) : "0001-01-01T00:00:00Z",
                labels = new Dictionary<string, string> { ["alertname"] = alertname, ["service"] = service, ["severity"] = "critical" },
                annotations = new Dictionary<string, string> { ["summary"] = $"{service} is down" } } },
        });

        (await client.PostAsync("/integrations/alertmanager", new StringContent(Body("firing"), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        var delivered = (await FirebreakServer.EventuallyAsync(() => Task.FromResult(_sink.To("/oncall")), r => r.Count == 1, "the page to the on-call person", seconds: 20))[0];
        var payload = JsonDocument.Parse(delivered.Body).RootElement;
        payload.GetProperty("page").GetProperty("summary").GetString().ShouldBe($"{service} is down");
        var incident = payload.GetProperty("incident").GetString();
        incident.ShouldNotBeNull("the auto-declared incident is on the page");
        var context = payload.GetProperty("context");
        context.GetProperty("service").GetString().ShouldBe("SVC-" + service.ToUpperInvariant());
        context.GetProperty("who").GetProperty("team").GetString().ShouldBe(team);
        context.GetProperty("who").GetProperty("onCall").GetString().ShouldBe(onCall);
        var timeline = await FirebreakServer.EventuallyAsync(async () => await (await server.Admin().GetAsync($"/api/v1/incidents/{incident}/timeline")).JsonAsync(),
            t => t.EnumerateArray().Any(e => e.GetProperty("kind").GetString() == "paged"), "the page on the incident timeline");
        timeline.EnumerateArray().First(e => e.GetProperty("kind").GetString() == "paged").GetProperty("text").GetString()!.ShouldContain(onCall);
        await FirebreakServer.EventuallyAsync(async () => await (await server.Admin().GetAsync($"/api/v1/incidents/{incident}/timeline")).JsonAsync(),
            t => t.EnumerateArray().Any(e => e.GetProperty("text").GetString()!.Contains($"webhook delivered to {onCall}")), "the delivery on the incident timeline");

        var pageId = payload.GetProperty("page").GetProperty("id").GetInt64();
        (await server.Admin().PostAsJsonAsync("/api/v1/silences", new { matchers = new[] { $"alertname={alertname}" }, duration = "1h", comment = "known, working on it" })).EnsureSuccessStatusCode();
        await FirebreakServer.EventuallyAsync(async () => await (await server.Admin().GetAsync($"/api/v1/pages/{pageId}")).JsonAsync(),
            p => p.GetProperty("status").GetString() == "acknowledged" && p.GetProperty("acknowledgedBy").GetString() == "silence", "the silence stopping the escalation");

        (await client.PostAsync("/integrations/alertmanager", new StringContent(Body("resolved"), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        await FirebreakServer.EventuallyAsync(async () => (await (await server.Admin().GetAsync($"/api/v1/pages/{pageId}")).JsonAsync()).GetProperty("status").GetString(),
            s => s == "resolved", "the page resolved with its alerts");
    }
}

public sealed class EmailPagingServer : FirebreakServer
{
    public SmtpSink Smtp { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(Smtp.Settings("pager@firebreak.test"));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Smtp.Dispose();
    }
}

public class EmailPagingTests(EmailPagingServer server) : IClassFixture<EmailPagingServer>
{
    [RequiresSmtpSinkFact]
    public async Task A_page_arrives_by_email_through_a_real_SMTP_server_with_its_links()
    {
        var (handle, _) = await server.PersonAsync("em");
        (await server.Admin().PostAsJsonAsync($"/api/v1/people/{handle}/contact-methods", new { kind = "email", address = $"{handle}@example.test" })).EnsureSuccessStatusCode();
        await (await server.Admin().PostAsJsonAsync($"/api/v1/people/{handle}/contact-methods", new { kind = "email", address = "not-an-address" })).ShouldBeProblemAsync(422, "address");
        var policy = "mail-" + Guid.NewGuid().ToString("N")[..6];
        (await server.Admin().PostAsJsonAsync("/api/v1/escalation-policies", new { name = policy, steps = new[] { new { targets = new[] { $"person:{handle}" }, delay = "10m" } } })).EnsureSuccessStatusCode();

        (await server.Admin().PostAsJsonAsync("/api/v1/pages", new { policy, summary = "Disk full on db-1" })).EnsureSuccessStatusCode();

        var mail = (await FirebreakServer.EventuallyAsync(() => Task.FromResult(server.Smtp.Messages()), m => m.Count == 1, "the email", seconds: 20))[0];
        mail.ShouldContain($"To: {handle}@example.test");
        mail.ShouldContain("Subject: [Firebreak] Page");
        mail.ShouldContain("Disk full on db-1");
        mail.ShouldContain("/ack?token=");
        mail.ShouldContain("X-Firebreak-Idempotency-Key:");
    }
}
