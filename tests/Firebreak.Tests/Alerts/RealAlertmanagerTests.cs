using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Firebreak.Tests.Support;

namespace Firebreak.Tests.Alerts;

/// <summary>
/// A real Alertmanager (Debian's prometheus-alertmanager) on loopback, with a webhook receiver pointing at
/// Firebreak: alerts posted to Alertmanager arrive in Firebreak, grouped by Alertmanager's group key, and resolve.
/// </summary>
public sealed class RealAlertmanagerTests(TriageServer server) : IClassFixture<TriageServer>, IAsyncLifetime
{
    private Process? _alertmanager;
    private readonly string _dir = Directory.CreateTempSubdirectory("firebreak-am-").FullName;
    private readonly System.Text.StringBuilder _log = new();

    [RequiresProgramFact("prometheus-alertmanager")]
    public async Task Alerts_sent_through_a_real_alertmanager_arrive_group_and_resolve()
    {
        var key = await server.IntegrationKeyAsync("alertmanager");
        var service = "svc" + Guid.NewGuid().ToString("N")[..8];
        (await server.Admin().PostAsJsonAsync("/api/v1/services", new { shortName = service, tier = 1 })).EnsureSuccessStatusCode();
        var alertname = "RealAmDown" + Guid.NewGuid().ToString("N")[..6];
        var port = Programs.FreePort();
        await File.WriteAllTextAsync(Path.Combine(_dir, "alertmanager.yml"), $"""
            route:
              receiver: firebreak
              group_by: [alertname]
              group_wait: 1s
              group_interval: 1s
              repeat_interval: 1h
            receivers:
            - name: firebreak
              webhook_configs:
              - url: {server.Url}/integrations/alertmanager
                send_resolved: true
                http_config:
                  authorization:
                    credentials: {key}
            """);
        _alertmanager = Process.Start(new ProcessStartInfo(Programs.Find("prometheus-alertmanager")!)
        {
            ArgumentList =
            {
                "--config.file=" + Path.Combine(_dir, "alertmanager.yml"), "--storage.path=" + Path.Combine(_dir, "data"),
                $"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=",
            },
            RedirectStandardError = true, RedirectStandardOutput = true,
        })!;
        _alertmanager.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _alertmanager.BeginErrorReadLine();
        using var am = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await FirebreakServer.EventuallyAsync(async () =>
        {
            try { return (await am.GetAsync("/-/ready")).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
        }, ready => ready, "Alertmanager to be ready: " + _log);

        var startsAt = DateTime.UtcNow.AddMinutes(-2);
        object Alert(string instance, DateTime? endsAt = null) => new
        {
            labels = new Dictionary<string, string> { ["alertname"] = alertname, ["instance"] = instance, ["severity"] = "critical", ["service"] = service },
            annotations = new Dictionary<string, string> { ["summary"] = $"{instance} is down" },
            startsAt,
            endsAt = endsAt ?? DateTime.UtcNow.AddHours(1),
        };
        (await am.PostAsJsonAsync("/api/v2/alerts", new[] { Alert("web-1"), Alert("web-2") })).EnsureSuccessStatusCode();

        var arrived = await FirebreakServer.EventuallyAsync(() => AlertsAsync(alertname), a => a.Count == 2, "both alerts via the webhook", seconds: 20);
        arrived.ShouldAllBe(a => a.GetProperty("status").GetString() == "firing" && a.GetProperty("source").GetString() == "alertmanager");
        arrived.Select(a => a.GetProperty("groupKey").GetString()).Distinct().Count().ShouldBe(1, "Alertmanager grouped them by alertname");
        arrived[0].GetProperty("groupKey").GetString()!.ShouldContain(alertname);
        var declared = await FirebreakServer.EventuallyAsync(() => AlertsAsync(alertname), a => a.All(x => x.GetProperty("incident").ValueKind == JsonValueKind.String),
            "the auto-declared incident", seconds: 10);
        declared.Select(a => a.GetProperty("incident").GetString()).Distinct().Count().ShouldBe(1);

        (await am.PostAsJsonAsync("/api/v2/alerts", new[] { Alert("web-1", DateTime.UtcNow.AddSeconds(-1)) })).EnsureSuccessStatusCode();

        var after = await FirebreakServer.EventuallyAsync(() => AlertsAsync(alertname),
            a => a.Any(x => x.GetProperty("status").GetString() == "resolved"), "the resolved notification", seconds: 20);
        after.Single(a => a.GetProperty("status").GetString() == "resolved").GetProperty("labels").GetProperty("instance").GetString().ShouldBe("web-1");
        after.Single(a => a.GetProperty("status").GetString() == "firing").GetProperty("labels").GetProperty("instance").GetString().ShouldBe("web-2");
        after.ShouldAllBe(a => a.GetProperty("occurrences").GetInt32() == 1, "repeated notifications are duplicates, not new occurrences");
    }

    private async Task<List<JsonElement>> AlertsAsync(string alertname) =>
        [.. (await (await server.Admin().GetAsync("/api/v1/alerts?limit=1000")).JsonAsync()).EnumerateArray()
            .Where(a => a.GetProperty("alertName").GetString() == alertname)];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_alertmanager is { HasExited: false })
        {
            _alertmanager.Kill(entireProcessTree: true);
            await _alertmanager.WaitForExitAsync();
        }
        _alertmanager?.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
