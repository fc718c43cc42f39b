using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Firebreak.Bench;

/// <summary>
/// A SEV1's audience: N viewers hold the incident landing page's live stream open on loopback while updates are
/// posted through the API. For every update and every viewer the clock runs from just before the POST to the
/// moment that viewer has read the frame carrying it. The server's resident memory is read before the viewers
/// connect and once they all are, which gives the cost of a viewer.
/// </summary>
public static class LiveViewers
{
    public static async Task<int> RunAsync(int viewerCount, int updates, int intervalMs)
    {
        var work = Directory.CreateTempSubdirectory("firebreak-live-bench-").FullName;
        using var server = await BenchSupport.StartFirebreakAsync(work);
        using var api = new HttpClient { BaseAddress = new Uri(server.Url) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.Token);
        (await api.PostAsJsonAsync("/api/v1/services", new { shortName = "checkout", tier = 1 })).EnsureSuccessStatusCode();
        var declared = await (await api.PostAsJsonAsync("/api/v1/incidents", new { title = "Checkout is down", severity = "SEV1", services = new[] { "checkout" } }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        var id = declared.GetProperty("id").GetString()!;
        var last = declared.GetProperty("timeline").EnumerateArray().Last().GetProperty("id").GetInt64();

        await Task.Delay(1000);
        var rssBefore = BenchSupport.ResidentMiB(server.Pid);

        // Every viewer is its own connection, as every browser tab would be.
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var viewersHttp = new HttpClient(handler) { BaseAddress = new Uri(server.Url), Timeout = Timeout.InfiniteTimeSpan };
        using var stop = new CancellationTokenSource();
        var arrivals = new long[viewerCount][];
        var connected = 0;
        var viewers = Enumerable.Range(0, viewerCount).Select(v => Task.Run(async () =>
        {
            arrivals[v] = new long[updates];
            var request = new HttpRequestMessage(HttpMethod.Get, $"/incidents/{id}/live?after={last}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.Token);
            using var response = await viewersHttp.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
            response.EnsureSuccessStatusCode();
            Interlocked.Increment(ref connected);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
            try
            {
                while (await reader.ReadLineAsync(stop.Token) is { } line)
                {
                    if (!line.StartsWith("id: ", StringComparison.Ordinal)) continue;
                    var eventId = long.Parse(line.AsSpan(4), CultureInfo.InvariantCulture);
                    var now = Stopwatch.GetTimestamp();
                    // Update k is timeline event last+k+1; a frame may carry several.
                    for (var k = 0; k < updates && last + k + 1 <= eventId; k++)
                        if (arrivals[v][k] == 0) arrivals[v][k] = now;
                }
            }
            catch (OperationCanceledException) { }
        })).ToArray();

        var connectStarted = Stopwatch.StartNew();
        while (Volatile.Read(ref connected) < viewerCount && connectStarted.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(50);
        Console.WriteLine($"{connected} of {viewerCount} viewers connected in {connectStarted.Elapsed.TotalSeconds:0.0} s");
        await Task.Delay(2000);
        var rssWith = BenchSupport.ResidentMiB(server.Pid);

        var posted = new long[updates];
        for (var k = 0; k < updates; k++)
        {
            posted[k] = Stopwatch.GetTimestamp();
            (await api.PostAsJsonAsync($"/api/v1/incidents/{id}/log", new { kind = "fact", text = $"Update {k + 1}: error rate {90 - k}%" })).EnsureSuccessStatusCode();
            await Task.Delay(intervalMs);
        }
        await Task.Delay(3000);
        await stop.CancelAsync();
        try { await Task.WhenAll(viewers); } catch (Exception) { }

        var latencies = new List<double>();
        var missing = 0;
        for (var v = 0; v < viewerCount; v++)
            for (var k = 0; k < updates; k++)
            {
                if (arrivals[v] is null || arrivals[v][k] == 0) { missing++; continue; }
                latencies.Add(Stopwatch.GetElapsedTime(posted[k], arrivals[v][k]).TotalMilliseconds);
            }
        latencies.Sort();
        double P(double q) => latencies.Count == 0 ? double.NaN : latencies[(int)Math.Min(latencies.Count - 1, Math.Ceiling(q * latencies.Count) - 1)];
        var withinSecond = latencies.Count(l => l <= 1000) * 100.0 / (viewerCount * updates);

        Console.WriteLine();
        Console.WriteLine($"Live landing page: {viewerCount} viewers, {updates} updates {intervalMs} ms apart (API write → frame read by each viewer)");
        Console.WriteLine($"  deliveries      {latencies.Count} of {viewerCount * updates} ({missing} missing)");
        Console.WriteLine($"  latency         p50 {P(0.50):0.0} ms   p90 {P(0.90):0.0} ms   p99 {P(0.99):0.0} ms   max {P(1.0):0.0} ms");
        Console.WriteLine($"  within 1 s      {withinSecond:0.00}%");
        Console.WriteLine($"  server memory   {rssBefore:0} MiB before viewers, {rssWith:0} MiB with them: {(rssWith - rssBefore) * 1024 / viewerCount:0.0} KiB per viewer");
        return missing == 0 && withinSecond >= 99.0 ? 0 : 1;
    }
}
