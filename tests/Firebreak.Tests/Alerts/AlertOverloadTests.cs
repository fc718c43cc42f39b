using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Firebreak.Tests.Support;

namespace Firebreak.Tests.Alerts;

/// <summary>A server with a tiny intake queue, to see overload answered with 429 rather than dropped alerts.</summary>
public sealed class TinyQueueServer : FirebreakServer
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Firebreak:Intake:QueueCapacity"] = "1",
        ["Firebreak:Intake:MaxSignalsPerCommit"] = "1",
    };
}

public class AlertOverloadTests(TinyQueueServer server) : IClassFixture<TinyQueueServer>
{
    [Fact]
    public async Task Overload_is_answered_429_with_retry_after_and_every_acknowledged_alert_is_stored()
    {
        var key = await server.IntegrationKeyAsync("generic");
        using var client = server.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var prefix = Guid.NewGuid().ToString("N")[..6];

        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            var response = await client.PostAsync("/api/v1/alerts", new StringContent($$"""{"summary":"storm {{i}}","dedupKey":"{{prefix}}-{{i}}"}""", Encoding.UTF8, "application/json"));
            return (Index: i, response.StatusCode, RetryAfter: response.Headers.RetryAfter?.Delta);
        }));

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Accepted || r.StatusCode == HttpStatusCode.TooManyRequests);
        var throttled = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        throttled.ShouldNotBeEmpty("a queue of one cannot hold 200 concurrent requests");
        throttled.ShouldAllBe(r => r.RetryAfter == TimeSpan.FromSeconds(1));
        var stored = (await (await server.Admin().GetAsync("/api/v1/alerts?limit=1000")).JsonAsync()).EnumerateArray()
            .Select(a => a.GetProperty("dedupKey").GetString()).ToHashSet();
        foreach (var accepted in responses.Where(r => r.StatusCode == HttpStatusCode.Accepted))
            stored.ShouldContain($"{prefix}-{accepted.Index}");
    }
}
