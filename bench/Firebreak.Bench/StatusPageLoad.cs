using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Firebreak.Bench;

/// <summary>
/// An outage's traffic on the public status page: wrk drives <c>/status</c> and <c>/api/v2/summary.json</c> on
/// loopback while the incident on it gets a public update every 500 ms; then, with no load, each of a number of
/// updates is timed from just before its POST until a reader polling summary.json sees it.
/// </summary>
public static class StatusPageLoad
{
    public static async Task<int> RunAsync(int seconds, int connections, int samples)
    {
        if (BenchSupport.Which("wrk") is null) { Console.Error.WriteLine("wrk is needed: apt-get install wrk"); return 2; }
        var work = Directory.CreateTempSubdirectory("firebreak-status-bench-").FullName;
        using var server = await BenchSupport.StartFirebreakAsync(work);
        using var api = new HttpClient { BaseAddress = new Uri(server.Url) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.Token);
        async Task<JsonElement> Post(string path, object body) =>
            await (await api.PostAsJsonAsync(path, body)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        foreach (var (key, name) in new[] { ("web", "Website"), ("api", "Public API"), ("checkout", "Checkout"), ("login", "Sign-in"), ("search", "Search"), ("email", "Email delivery") })
            await Post("/api/v1/status/components", new { key, name });
        var incident = await Post("/api/v1/incidents", new { title = "Checkout down", severity = "SEV1" });
        var id = incident.GetProperty("id").GetString();
        await Post($"/api/v1/incidents/{id}/roles", new { role = "commander", handle = "admin" });
        var published = await Post($"/api/v1/incidents/{id}/publish", new { title = "Checkout unavailable", body = "Checkout does not load for most customers.", components = new Dictionary<string, string> { ["checkout"] = "major_outage", ["web"] = "partial_outage" } });
        var publicId = published.GetProperty("id").GetInt32();

        Console.WriteLine($"Status page under load: {seconds}s per endpoint after a warm-up, {connections} connections, wrk on loopback, {Environment.ProcessorCount} cores; a public update every 500 ms meanwhile");
        var rows = new List<string[]>();
        foreach (var path in new[] { "/status", "/api/v2/summary.json" })
        {
            await Wrk.RunAsync(["-t2", $"-c{connections}", "-d2s", server.Url + path]);
            using var updating = new CancellationTokenSource();
            var posted = 0;
            var updater = Task.Run(async () =>
            {
                while (!updating.IsCancellationRequested)
                {
                    await Post($"/api/v1/status/incidents/{publicId}/updates", new { status = "identified", body = $"Still working on it ({++posted})." });
                    try { await Task.Delay(500, updating.Token); } catch (OperationCanceledException) { }
                }
            });
            var result = await Wrk.RunAsync(["-t2", $"-c{connections}", $"-d{seconds}s", "--latency", server.Url + path]);
            await updating.CancelAsync();
            await updater;
            rows.Add([path, result.RequestsPerSecond.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture), $"{result.P50Ms:0.00}", $"{result.P99Ms:0.00}",
                result.Non2xx.ToString(System.Globalization.CultureInfo.InvariantCulture), posted.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
        Console.WriteLine();
        Console.WriteLine("| endpoint | requests/s | p50 ms | p99 ms | non-2xx | updates posted during the run |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var row in rows) Console.WriteLine("| " + string.Join(" | ", row) + " |");

        using var reader = new HttpClient { BaseAddress = new Uri(server.Url) };
        var visible = new List<double>();
        for (var n = 0; n < samples; n++)
        {
            var marker = $"Update {Guid.NewGuid():N}";
            var clock = Stopwatch.StartNew();
            var post = Post($"/api/v1/status/incidents/{publicId}/updates", new { status = "monitoring", body = marker });
            while (!(await reader.GetStringAsync("/api/v2/summary.json")).Contains(marker, StringComparison.Ordinal))
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(10)) throw new InvalidOperationException("An update did not appear within 10 s");
                await Task.Delay(5);
            }
            visible.Add(clock.Elapsed.TotalMilliseconds);
            await post;
        }
        visible.Sort();
        Console.WriteLine();
        Console.WriteLine($"Published update → visible in summary.json ({samples} updates): p50 {visible[visible.Count / 2]:0.0} ms, max {visible[^1]:0.0} ms");
        try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        return 0;
    }
}
