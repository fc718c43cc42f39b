using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Firebreak.Bench;

/// <summary>
/// The alert-storm benchmark: Firebreak (durable, SQLite, synchronous=FULL) and a real Alertmanager (in memory)
/// side by side on this machine, driven by wrk on loopback through the same endpoint both implement,
/// Alertmanager's API v2 <c>POST /api/v2/alerts</c>. Prints accepted alerts/s, p50/p99 acknowledgement latency
/// and memory for each workload.
/// </summary>
public static partial class AlertStorm
{
    private sealed record Workload(string Name, int Batch, bool Distinct);

    private static readonly Workload[] Workloads =
    [
        new("1k fingerprints, 1 alert/request", 1, false),
        new("distinct, 1 alert/request", 1, true),
        new("1k fingerprints, 100 alerts/request", 100, false),
        new("distinct, 100 alerts/request", 100, true),
    ];


    public static async Task<int> RunAsync(int seconds, int connections)
    {
        foreach (var tool in new[] { "wrk", "prometheus-alertmanager" })
        {
            if (BenchSupport.Which(tool) is null)
            {
                Console.Error.WriteLine($"{tool} is needed: apt-get install {(tool == "wrk" ? "wrk" : "prometheus-alertmanager")}");
                return 2;
            }
        }
        var work = Directory.CreateTempSubdirectory("firebreak-bench-").FullName;
        var script = Path.Combine(work, "alerts.lua");
        await File.WriteAllTextAsync(script, LuaScript);
        Console.WriteLine($"Alert storm: {seconds}s per run after a {Math.Max(2, seconds / 3)}s warm-up, {connections} connections, wrk on loopback, {Environment.ProcessorCount} cores");

        using var firebreak = await StartFirebreakAsync(work);
        using var alertmanager = await StartAlertmanagerAsync(work);
        var rows = new List<string[]>();
        var results = new Dictionary<(string Target, string Workload), Wrk.Result>();

        foreach (var workload in Workloads)
        {
            foreach (var (target, url, key, pid) in new[] { ("Alertmanager 0.25 (memory)", alertmanager.Url, "", alertmanager.Pid), ("Firebreak (SQLite, durable)", firebreak.Url, firebreak.Key, firebreak.Pid) })
            {
                await WrkAsync(url, script, key, workload, Math.Max(2, seconds / 3), connections, 0);
                var rssBefore = Memory(pid).Rss;
                var result = await WrkAsync(url, script, key, workload, seconds, connections, 0);
                var (rss, peak) = Memory(pid);
                results[(target, workload.Name)] = result;
                rows.Add([workload.Name, target, Fmt(result.RequestsPerSecond * workload.Batch), Fmt(result.P50Ms, 1), Fmt(result.P99Ms, 1),
                    result.Non2xx.ToString(CultureInfo.InvariantCulture), $"{rssBefore / 1024} → {rss / 1024}", (peak / 1024).ToString(CultureInfo.InvariantCulture)]);
            }
        }

        // p99 at half of Alertmanager's single-alert rate: each connection paces its requests with wrk's delay().
        var amRate = results[("Alertmanager 0.25 (memory)", Workloads[0].Name)].RequestsPerSecond;
        var half = amRate / 2;
        var paced = await WrkAsync(firebreak.Url, script, firebreak.Key, Workloads[0], seconds, connections, delayMs: connections * 1000.0 / half);
        rows.Add([$"paced at ½ Alertmanager's rate ({Fmt(half)}/s)", "Firebreak (SQLite, durable)", Fmt(paced.RequestsPerSecond), Fmt(paced.P50Ms, 1),
            Fmt(paced.P99Ms, 1), paced.Non2xx.ToString(CultureInfo.InvariantCulture), "", (Memory(firebreak.Pid).Peak / 1024).ToString(CultureInfo.InvariantCulture)]);

        Console.WriteLine();
        Print(["Workload", "Target", "alerts/s", "p50 ms", "p99 ms", "non-2xx", "RSS MiB (before → after)", "peak RSS MiB"], rows);
        Console.WriteLine();
        foreach (var workload in Workloads)
        {
            var am = results[("Alertmanager 0.25 (memory)", workload.Name)].RequestsPerSecond;
            var fb = results[("Firebreak (SQLite, durable)", workload.Name)].RequestsPerSecond;
            Console.WriteLine($"  {workload.Name}: Firebreak / Alertmanager = {fb / am:0.00}×");
        }
        try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        return 0;
    }

    private static async Task<Wrk.Result> WrkAsync(string url, string script, string key, Workload workload, int seconds, int connections, double delayMs) =>
        await Wrk.RunAsync(["-t1", $"-c{connections}", $"-d{seconds}s", "--latency", "-s", script, url], new Dictionary<string, string>
        {
            ["FB_KEY"] = key,
            ["BATCH"] = workload.Batch.ToString(CultureInfo.InvariantCulture),
            ["DISTINCT"] = workload.Distinct ? "1" : "0",
            ["DELAY_MS"] = delayMs.ToString("0.###", CultureInfo.InvariantCulture),
        });

    private sealed record Running(Process Process, string Url, string Key) : IDisposable
    {
        public int Pid => Process.Id;

        public void Dispose()
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
            Process.Dispose();
        }
    }

    private static async Task<Running> StartFirebreakAsync(string work)
    {
        var server = await BenchSupport.StartFirebreakAsync(work);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.Token);
        var created = await (await http.PostAsJsonAsync("/api/v1/integrations", new { kind = "alertmanager", name = "bench" })).Content.ReadFromJsonAsync<JsonElement>();
        return new Running(server.Process, server.Url, created.GetProperty("key").GetString()!);
    }

    private static async Task<Running> StartAlertmanagerAsync(string work)
    {
        var port = BenchSupport.FreePort();
        var config = Path.Combine(work, "alertmanager.yml");
        await File.WriteAllTextAsync(config, "route:\n  receiver: blackhole\nreceivers:\n- name: blackhole\n");
        var info = new ProcessStartInfo(BenchSupport.Which("prometheus-alertmanager")!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--config.file=" + config, "--storage.path=" + Path.Combine(work, "am-data"), $"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=" })
            info.ArgumentList.Add(arg);
        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        for (var i = 0; i < 100; i++)
        {
            try
            {
                if ((await http.GetAsync("/-/ready")).IsSuccessStatusCode) break;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        return new Running(process, $"http://127.0.0.1:{port}", "");
    }

    /// <summary>Resident and peak resident memory (VmRSS, VmHWM) in KiB.</summary>
    private static (long Rss, long Peak) Memory(int pid)
    {
        long rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) peak = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        return (rss, peak);
    }

    private static void Print(string[] header, List<string[]> rows)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        Console.WriteLine("| " + string.Join(" | ", header.Select((h, i) => h.PadRight(widths[i]))) + " |");
        Console.WriteLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
        foreach (var row in rows) Console.WriteLine("| " + string.Join(" | ", row.Select((c, i) => c.PadRight(widths[i]))) + " |");
    }

    private static string Fmt(double value, int decimals = 0) => value.ToString(decimals == 0 ? "#,0" : "#,0.0", CultureInfo.InvariantCulture);

    /// <summary>
    /// wrk script: BATCH alerts per request; DISTINCT=1 gives every alert a new label set, otherwise 1,000
    /// fingerprints repeat; DELAY_MS paces each connection. Alerts fire for ten years so none resolve mid-run.
    /// </summary>
    private const string LuaScript = """
        local counter = 0
        local batch = tonumber(os.getenv("BATCH") or "1")
        local distinct = os.getenv("DISTINCT") == "1"
        local pause = tonumber(os.getenv("DELAY_MS") or "0")
        local key = os.getenv("FB_KEY")
        local run = tostring(os.time())
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/json"
        if key and #key > 0 then wrk.headers["Authorization"] = "Bearer " .. key end
        request = function()
          local parts = {}
          for i = 1, batch do
            counter = counter + 1
            local id = distinct and (run .. "-" .. counter) or tostring(counter % 1000)
            parts[i] = '{"labels":{"alertname":"Bench' .. (counter % 50) .. '","severity":"warning","instance":"host-' .. id .. '"},"annotations":{"summary":"bench alert ' .. id .. '"},"startsAt":"2026-11-24T05:00:00Z","endsAt":"2036-11-24T05:00:00Z"}'
          end
          return wrk.format(nil, "/api/v2/alerts", nil, "[" .. table.concat(parts, ",") .. "]")
        end
        if pause > 0 then
          delay = function() return pause end
        end
        """;
}
