using System.Collections.Concurrent;
using System.Diagnostics;
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
        var server = Start(url);
        var token = await WaitForTokenAsync(server);
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
        server.Kill(entireProcessTree: true);
        await server.WaitForExitAsync();
        storm.Cancel();
        await Task.WhenAll(senders);
        acknowledged.Count.ShouldBeGreaterThan(100, "the storm ran before the kill");

        using var restarted = Start(url);
        await WaitForTokenAsync(restarted);
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
        restarted.Kill(entireProcessTree: true);
        await restarted.WaitForExitAsync();
    }

    private Process Start(string url)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _root };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "firebreak.dll"), "serve", "--data", Path.Combine(_root, "data"), "--urls", url })
            info.ArgumentList.Add(arg);
        if (_database is not null)
        {
            info.ArgumentList.Add("--db");
            info.ArgumentList.Add(_database);
        }
        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<string> WaitForTokenAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (!line.Contains("admin token:")) continue;
            // Keep draining, so a chatty server can never block on a full pipe.
            _ = process.StandardOutput.ReadToEndAsync();
            return line.Split(':', 2)[1].Trim();
        }
        throw new ShouldAssertException("firebreak serve exited before printing its token");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }
}
