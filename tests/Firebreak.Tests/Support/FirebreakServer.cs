using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Firebreak.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Firebreak.Tests.Support;

/// <summary>
/// A real Firebreak server on a loopback port with its own fresh store: a SQLite file in a temporary data
/// directory, or, when FIREBREAK_TEST_DB names a PostgreSQL server, a new database on it. The same tests run
/// against both; .ci/run runs the suite once per store.
/// </summary>
public class FirebreakServer : IAsyncLifetime
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private WebApplication? _app;

    public string Root { get; } = Directory.CreateTempSubdirectory("firebreak-test-").FullName;
    public string DataDir => Path.Combine(Root, "firebreak-data");
    public string? Database { get; } = TestStore.NewDatabase();
    public string Url { get; private set; } = "";
    public string AdminToken { get; private set; } = "";
    protected virtual bool Demo => false;

    /// <summary>Files to put in the data directory before the server starts (e.g. alert-rules.yaml).</summary>
    protected virtual IReadOnlyDictionary<string, string> DataFiles => new Dictionary<string, string>();

    /// <summary>Configuration the server starts with, as `Firebreak:...` keys.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public IServiceProvider Services => _app!.Services;

    public async Task InitializeAsync() => await StartAsync();

    public async Task StartAsync()
    {
        Directory.CreateDirectory(DataDir);
        foreach (var (name, content) in DataFiles) await File.WriteAllTextAsync(Path.Combine(DataDir, name), content);
        _app = FirebreakHost.Build(new ServeSettings(DataDir, Database, "http://127.0.0.1:0", Demo),
            builder => builder.Configuration.AddInMemoryCollection(Settings));
        AdminToken = await FirebreakHost.PrepareAsync(_app);
        await _app.StartAsync();
        await FirebreakHost.AfterStartAsync(_app);
        Url = FirebreakHost.ListeningUrl(_app);
    }

    public async Task StopAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    public virtual async Task DisposeAsync()
    {
        await StopAsync();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }

    public HttpClient Client(string? token = null)
    {
        var http = new HttpClient { BaseAddress = new Uri(Url) };
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public HttpClient Admin() => Client(AdminToken);

    /// <summary>Adds a person with a fresh handle and returns the handle and a personal token for them.</summary>
    public async Task<(string Handle, string Token)> PersonAsync(string prefix = "p", string? team = null)
    {
        var handle = $"{prefix}{Guid.NewGuid():N}"[..20];
        using var admin = Admin();
        (await admin.PostAsJsonAsync("/api/v1/people", new { handle, name = "Test " + handle, team })).EnsureSuccessStatusCode();
        var created = await admin.PostAsJsonAsync("/api/v1/tokens", new { name = "test", person = handle });
        created.EnsureSuccessStatusCode();
        var token = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        return (handle, token);
    }

    /// <summary>Adds a service with a fresh short name.</summary>
    public async Task<string> ServiceAsync(string prefix = "app")
    {
        var shortName = $"{prefix}-{Guid.NewGuid():N}"[..16];
        using var admin = Admin();
        (await admin.PostAsJsonAsync("/api/v1/services", new { shortName })).EnsureSuccessStatusCode();
        return shortName;
    }

    public async Task<JsonElement> DeclareAsync(HttpClient client, string title = "Checkout API 5xx spike", int severity = 2,
        bool isPrivate = false, string[]? services = null)
    {
        var response = await client.PostAsJsonAsync("/api/v1/incidents", new { title, severity = $"SEV{severity}", services = services ?? [], @private = isPrivate });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public Task<Cli.CliRun> CliAsync(params string[] args) => Cli.CliRun.InvokeAsync(this, args);

    /// <summary>Creates an intake integration and returns its key.</summary>
    public async Task<string> IntegrationKeyAsync(string kind, string? signingSecret = null)
    {
        var response = await Admin().PostAsJsonAsync("/api/v1/integrations", new { kind, name = kind + "-test", signingSecret });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }

    /// <summary>Polls until the condition holds (background triage runs every few hundred milliseconds).</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, int seconds = 10)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            if (DateTime.UtcNow > until) throw new ShouldAssertException($"Gave up after {seconds}s waiting for {what}");
            await Task.Delay(100);
        }
    }
}

public sealed class DemoServer : FirebreakServer
{
    protected override bool Demo => true;
}

public static class TestStore
{
    /// <summary>e.g. <c>Host=127.0.0.1;Port=55432;Username=postgres</c>; unset means SQLite.</summary>
    public static string? PostgresServer => Environment.GetEnvironmentVariable("FIREBREAK_TEST_DB") is { Length: > 0 } cs ? cs : null;

    public static string? NewDatabase() =>
        PostgresServer is { } server ? $"{server.TrimEnd(';')};Database=fbtest_{Guid.NewGuid():N}" : null;
}

public static class HttpAssertions
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(FirebreakServer.Json);

    /// <summary>Asserts an RFC 7807 problem document with this status; returns it.</summary>
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, int status, string? field = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(status, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", body);
        var problem = JsonDocument.Parse(body).RootElement;
        problem.GetProperty("status").GetInt32().ShouldBe(status);
        if (field is not null) problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(body);
        return problem;
    }
}
