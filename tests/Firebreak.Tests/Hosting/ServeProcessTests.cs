using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Firebreak.Tests.Support;

namespace Firebreak.Tests.Hosting;

/// <summary>`firebreak serve` as a real process, as a user starts it: banner, token file, kill, restart.</summary>
public sealed class ServeProcessTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("firebreak-serve-").FullName;
    private readonly string? _database = TestStore.NewDatabase();
    private string DataDir => Path.Combine(_root, "firebreak-data");

    [Fact]
    public async Task Serve_prints_url_and_token_and_a_killed_server_restarts_with_everything_kept()
    {
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";

        string token;
        string id;
        using (var first = Start(url))
        {
            var banner = await ReadBannerAsync(first);
            banner.ShouldContain($"Firebreak is running at {url}");
            token = banner.Split('\n').Single(l => l.Contains("admin token:")).Split(':', 2)[1].Trim();
            (await File.ReadAllTextAsync(Path.Combine(DataDir, "admin.token"))).Trim().ShouldBe(token);
            if (!OperatingSystem.IsWindows())
                File.GetUnixFileMode(Path.Combine(DataDir, "admin.token")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);

            using var client = Client(url, token);
            var declared = await client.PostAsJsonAsync("/api/v1/incidents", new { title = "Survives kill -9", severity = 1 });
            declared.StatusCode.ShouldBe(HttpStatusCode.Created);
            id = (await declared.JsonAsync()).GetProperty("id").GetString()!;
            (await client.PostAsJsonAsync($"/api/v1/incidents/{id}/updates", new { condition = "acknowledged before the crash" })).EnsureSuccessStatusCode();

            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }

        using var second = Start(url);
        var secondBanner = await ReadBannerAsync(second);
        secondBanner.ShouldContain(token, customMessage: "the same admin token works after a restart");
        using (var client = Client(url, token))
        {
            var view = await (await client.GetAsync($"/api/v1/incidents/{id}")).JsonAsync();
            view.GetProperty("title").GetString().ShouldBe("Survives kill -9");
            view.GetProperty("latestUpdate").GetProperty("condition").GetString().ShouldBe("acknowledged before the crash");
        }
        second.Kill(entireProcessTree: true);
        await second.WaitForExitAsync();
    }

    private Process Start(string url)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "firebreak.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _root };
        foreach (var arg in new[] { dll, "serve", "--data", DataDir, "--urls", url }) info.ArgumentList.Add(arg);
        if (_database is not null)
        {
            info.ArgumentList.Add("--db");
            info.ArgumentList.Add(_database);
        }
        var process = Process.Start(info)!;
        // Drained continuously so a chatty stderr can never block the server; kept for failure messages.
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        return process;
    }

    private readonly System.Text.StringBuilder _stderr = new();

    private async Task<string> ReadBannerAsync(Process process)
    {
        var lines = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            lines.Add(line);
            if (!line.Contains("admin token:")) continue;
            // Keep draining, so a chatty server can never block on a full pipe.
            _ = process.StandardOutput.ReadToEndAsync();
            break;
        }
        var banner = string.Join('\n', lines);
        string stderr;
        lock (_stderr) stderr = _stderr.ToString();
        banner.ShouldContain("admin token:", customMessage: $"exited: {process.HasExited}; stderr: {stderr}");
        return banner;
    }

    private static HttpClient Client(string url, string token)
    {
        var http = new HttpClient { BaseAddress = new Uri(url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }
}
