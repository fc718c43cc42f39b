using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Firebreak.Bench;

/// <summary>
/// Alert → first notification delivered: a critical alert on a tier-1 service is sent to a running Firebreak
/// (durable intake, triage, auto-declare, page, Quartz step, outbox) while wrk keeps ~1,000 other alerts/s flowing;
/// the clock stops when the page's webhook reaches a local HTTP sink.
/// </summary>
public static class PagingLatency
{
    public static async Task<int> RunAsync(int samples, int backgroundRate)
    {
        if (BenchSupport.Which("wrk") is null) { Console.Error.WriteLine("wrk is needed: apt-get install wrk"); return 2; }
        var work = Directory.CreateTempSubdirectory("firebreak-paging-bench-").FullName;
        var arrivals = new ConcurrentDictionary<string, DateTime>();
        await using var sink = await StartSinkAsync(arrivals);
        var sinkUrl = sink.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        using var server = await BenchSupport.StartFirebreakAsync(work);
        var (url, token) = (server.Url, server.Token);
        using var api = new HttpClient { BaseAddress = new Uri(url) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        async Task Post(string path, object body) => (await api.PostAsJsonAsync(path, body)).EnsureSuccessStatusCode();
        await Post("/api/v1/people", new { handle = "oncall", name = "On Call" });
        await Post("/api/v1/people/oncall/contact-methods", new { kind = "webhook", address = sinkUrl + "/page" });
        await Post("/api/v1/schedules", new { name = "bench-primary", timeZone = "UTC", layers = new[] { new { name = "all", rotation = "weekly", handoff = "2026-11-02T09:00", members = new[] { "oncall" } } } });
        await Post("/api/v1/teams", new { shortName = "BENCH", name = "Bench team", escalation = "bench-primary" });
        await Post("/api/v1/services", new { shortName = "checkout", tier = 1, team = "BENCH" });
        var key = (await (await api.PostAsJsonAsync("/api/v1/integrations", new { kind = "alertmanager" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;

        var script = Path.Combine(work, "background.lua");
        await File.WriteAllTextAsync(script, """
            local counter = 0
            local pause = tonumber(os.getenv("DELAY_MS"))
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "application/json"
            wrk.headers["Authorization"] = "Bearer " .. os.getenv("FB_KEY")
            request = function()
              counter = counter + 1
              local id = counter % 1000
              return wrk.format(nil, "/api/v2/alerts", nil, '[{"labels":{"alertname":"Background' .. (id % 50) .. '","severity":"warning","instance":"bg-' .. id .. '"},"startsAt":"2026-11-24T05:00:00Z","endsAt":"2036-11-24T05:00:00Z"}]')
            end
            delay = function() return pause end
            """);
        const int connections = 16;
        var wrkInfo = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-t1", $"-c{connections}", $"-d{samples * 2 + 15}s", "-s", script, url }) wrkInfo.ArgumentList.Add(arg);
        wrkInfo.Environment["FB_KEY"] = key;
        wrkInfo.Environment["DELAY_MS"] = (connections * 1000.0 / backgroundRate).ToString("0.###", CultureInfo.InvariantCulture);
        using var background = Process.Start(wrkInfo)!;
        await Task.Delay(TimeSpan.FromSeconds(5));

        using var sender = new HttpClient { BaseAddress = new Uri(url) };
        sender.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var latencies = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            var name = $"CheckoutDown{i}";
            var body = JsonSerializer.Serialize(new
            {
                version = "4", status = "firing", groupKey = $"{{}}:{{alertname=\"{name}\"}}",
                alerts = new[] { new { status = "firing", fingerprint = name, startsAt = DateTime.UtcNow, endsAt = "0001-01-01T00:00:00Z",
                    labels = new Dictionary<string, string> { ["alertname"] = name, ["service"] = "checkout", ["severity"] = "critical" },
                    annotations = new Dictionary<string, string> { ["summary"] = $"{name}: checkout 5xx" } } },
            });
            var sent = DateTime.UtcNow;
            (await sender.PostAsync("/integrations/alertmanager", new StringContent(body, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
            var until = DateTime.UtcNow.AddSeconds(30);
            while (!arrivals.ContainsKey(name) && DateTime.UtcNow < until) await Task.Delay(5);
            if (arrivals.TryGetValue(name, out var arrived)) latencies.Add((arrived - sent).TotalMilliseconds);
            await Task.Delay(500);
        }
        var backgroundOutput = await background.StandardOutput.ReadToEndAsync();
        await background.WaitForExitAsync();

        latencies.Sort();
        double P(double q) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Floor(q * latencies.Count))];
        var rate = System.Text.RegularExpressions.Regex.Match(backgroundOutput, @"Requests/sec:\s+([\d.]+)").Groups[1].Value;
        Console.WriteLine($"Alert → first notification delivered, {latencies.Count}/{samples} pages, background load {rate} alerts/s (wrk, {connections} connections):");
        Console.WriteLine($"  p50 {P(0.5):0} ms   p99 {P(0.99):0} ms   max {latencies.LastOrDefault():0} ms");
        try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        return latencies.Count == samples ? 0 : 1;
    }

    private static async Task<WebApplication> StartSinkAsync(ConcurrentDictionary<string, DateTime> arrivals)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/page", async (HttpContext http) =>
        {
            var at = DateTime.UtcNow;
            var body = await JsonDocument.ParseAsync(http.Request.Body);
            var summary = body.RootElement.GetProperty("page").GetProperty("summary").GetString()!;
            arrivals.TryAdd(summary.Split(':')[0], at);
            return Results.Ok();
        });
        await app.StartAsync();
        return app;
    }
}
