using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Firebreak.Tests.Support;

/// <summary>A real HTTP peer on loopback that records what is posted to it (webhooks, Slack, Teams), and can fail on purpose.</summary>
public sealed class HttpSink : IAsyncLifetime
{
    public sealed record Received(string Path, string Body, IReadOnlyDictionary<string, string> Headers, DateTime At);

    private WebApplication? _app;
    private readonly ConcurrentDictionary<string, int> _failures = new();
    public ConcurrentQueue<Received> Requests { get; } = new();
    public string Url { get; private set; } = "";

    /// <summary>The next <paramref name="times"/> requests to <paramref name="path"/> get a 500.</summary>
    public void Fail(string path, int times) => _failures[path] = times;

    public IReadOnlyList<Received> To(string path) => [.. Requests.Where(r => r.Path == path)];

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapPost("/{**path}", async (HttpContext http) =>
        {
            var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
            var path = http.Request.Path.Value!;
            if (_failures.TryGetValue(path, out var left) && left > 0)
            {
                _failures[path] = left - 1;
                return Results.StatusCode(500);
            }
            Requests.Enqueue(new Received(path, body, http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), DateTime.UtcNow));
            return Results.Ok();
        });
        await _app.StartAsync();
        Url = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
