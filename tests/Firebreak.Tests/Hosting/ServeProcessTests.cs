using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
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
        var url = $"http://127.0.0.1:{Programs.FreePort()}";
        string token;
        string id;
        using (var first = await ServeProcess.StartAsync(_root, DataDir, url, _database))
        {
            first.Banner.ShouldContain($"Firebreak is running at {url}");
            token = first.AdminToken;
            (await File.ReadAllTextAsync(Path.Combine(DataDir, "admin.token"))).Trim().ShouldBe(token);
            if (!OperatingSystem.IsWindows())
                File.GetUnixFileMode(Path.Combine(DataDir, "admin.token")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);

            using var client = Client(url, token);
            var declared = await client.PostAsJsonAsync("/api/v1/incidents", new { title = "Survives kill -9", severity = 1 });
            declared.StatusCode.ShouldBe(HttpStatusCode.Created);
            id = (await declared.JsonAsync()).GetProperty("id").GetString()!;
            (await client.PostAsJsonAsync($"/api/v1/incidents/{id}/updates", new { condition = "acknowledged before the crash" })).EnsureSuccessStatusCode();
            await first.KillAsync();
        }

        using var second = await ServeProcess.StartAsync(_root, DataDir, url, _database);
        second.AdminToken.ShouldBe(token, "the same admin token works after a restart");
        using (var client = Client(url, token))
        {
            var view = await (await client.GetAsync($"/api/v1/incidents/{id}")).JsonAsync();
            view.GetProperty("title").GetString().ShouldBe("Survives kill -9");
            view.GetProperty("latestUpdate").GetProperty("condition").GetString().ShouldBe("acknowledged before the crash");
        }
        await second.KillAsync();
    }

    private static HttpClient Client(string url, string token)
    {
        var http = new HttpClient { BaseAddress = new Uri(url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }
}
