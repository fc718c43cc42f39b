using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Firebreak.Tests.Support;

namespace Firebreak.Tests.Alerts;

/// <summary>kill -9 during an alert storm: every alert that got a 2xx is there after the restart.</summary>
public sealed class IntakeCrashTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("firebreak-crash-").FullName;
    private readonly string? _database = TestStore.NewDatabase();

    [Fact]
    public async Task Every_acknowledged_alert_survives_a_kill_during_a_storm()
    {
        var url = $"http://127.0.0.1:{Programs.FreePort()}";
        var dataDir = Path.Combine(_root, "data");
        var server = await ServeProcess.StartAsync(_root, dataDir, url, _database);
        var token = server.AdminToken;
        using var admin = new HttpClient { BaseAddress = new Uri(url) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var key = (await (await admin.PostAsJsonAsync("/api/v1/integrations", new { kind = "generic" })).JsonAsync()).GetProperty("key").GetString();

        var acknowledged = new ConcurrentBag<string>();
        using var storm = new CancellationTokenSource();
        var senders = Enumerable.Range(0, 16).Select(sender => Task.Run(async () =>
        {
            using var client = new HttpClient { BaseAddress = new Uri(url) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            for (var i = 0; !storm.IsCancellationRequested; i++)
            {
                var keys = Enumerable.Range(0, 5).Select(j => $"s{sender}-{i}-{j}").ToList();
                var body = JsonSerializer.Serialize(keys.Select(k => new { summary = "storm " + k, dedupKey = k, severity = "warning" }));
                try
                {
                    var response = await client.PostAsync("/api/v1/alerts", new StringContent(body, Encoding.UTF8, "application/json"));
                    if (response.StatusCode == HttpStatusCode.Accepted) foreach (var k in keys) acknowledged.Add(k);
                }
                catch (HttpRequestException)
                {
                    return; // the server is gone
                }
            }
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await server.KillAsync();
        server.Dispose();
        storm.Cancel();
        await Task.WhenAll(senders);
        acknowledged.Count.ShouldBeGreaterThan(100, "the storm ran before the kill");

        using var restarted = await ServeProcess.StartAsync(_root, dataDir, url, _database);
        var stored = new HashSet<string>();
        long? before = null;
        while (true)
        {
            var page = await (await admin.GetAsync("/api/v1/alerts?limit=1000" + (before is null ? "" : $"&before={before}"))).JsonAsync();
            if (page.GetArrayLength() == 0) break;
            foreach (var alert in page.EnumerateArray()) stored.Add(alert.GetProperty("dedupKey").GetString()!);
            before = page.EnumerateArray().Min(a => a.GetProperty("id").GetInt64());
        }
        acknowledged.Where(k => !stored.Contains(k)).ShouldBeEmpty($"{acknowledged.Count} acknowledged, {stored.Count} stored");
        await restarted.KillAsync();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }
}
