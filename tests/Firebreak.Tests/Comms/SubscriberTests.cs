using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Firebreak.Tests.Support;

namespace Firebreak.Tests.Comms;

public sealed partial class SubscriberTests(CommsServer server, HttpSink sink) : IClassFixture<CommsServer>, IClassFixture<HttpSink>
{
    [RequiresSmtpSinkFact]
    public async Task An_email_subscriber_confirms_by_link_gets_each_public_update_and_can_unsubscribe()
    {
        var key = "sub" + Guid.NewGuid().ToString("N")[..6];
        (await server.Admin().PostAsJsonAsync("/api/v1/status/components", new { key, name = "Checkout" })).EnsureSuccessStatusCode();
        var address = $"reader{Guid.NewGuid():N}"[..14] + "@example.test";
        using var browser = new BrowserSession(server.Url);
        var subscribed = await browser.PostFormAsync("/status/subscribe", new Dictionary<string, string> { ["email"] = address }, withToken: false);
        subscribed.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await subscribed.Content.ReadAsStringAsync()).ShouldContain("Check your inbox");

        // Before confirming, an update reaches nobody.
        var publicId = await PublishAsync(key, "Checkout is slow", "Checkout is slower than usual.");
        var confirmation = await FirebreakServer.EventuallyAsync(() => Task.FromResult(server.Smtp.Messages().Where(m => m.Contains($"To: {address}")).ToList()),
            m => m.Count == 1, "the confirmation email", seconds: 20);
        confirmation[0].ShouldContain("Confirm your status updates subscription");
        var link = ConfirmLink().Match(confirmation[0].Replace("=\r\n", "").Replace("=\n", "")).Value;
        link.ShouldNotBeNullOrEmpty();
        var confirmed = await browser.GetAsync(new Uri(link).PathAndQuery);
        (await confirmed.Content.ReadAsStringAsync()).ShouldContain("Subscribed");
        var audit = await (await server.Admin().GetAsync("/api/v1/audit")).JsonAsync();
        audit.EnumerateArray().ShouldContain(e => e.GetProperty("action").GetString() == "status.subscription.confirm" && e.GetProperty("target").GetString() == address);

        await UpdateAsync(publicId, "identified", "We know why checkout is slow and are fixing it.");
        var mine = await FirebreakServer.EventuallyAsync(() => Task.FromResult(server.Smtp.Messages().Where(m => m.Contains($"To: {address}")).ToList()),
            m => m.Count == 2, "the update email", seconds: 20);
        var update = mine.Single(m => m.Contains("Subject: [Status]"));
        update.ShouldContain("Subject: [Status] Checkout is slow: identified");
        update.ShouldContain("We know why checkout is slow and are fixing it.");
        update.ShouldNotContain("Checkout is slower than usual.", Case.Sensitive);
        var unsubscribe = UnsubscribeLink().Match(update.Replace("=\r\n", "").Replace("=\n", "")).Value;

        // A link scanner's visit changes nothing; the button does.
        await browser.GetAsync(new Uri(unsubscribe).PathAndQuery);
        var token = new Uri(unsubscribe).Query.Split("token=")[1];
        var gone = await browser.PostFormAsync("/status/subscriptions/unsubscribe", new Dictionary<string, string> { ["token"] = token }, withToken: false);
        (await gone.Content.ReadAsStringAsync()).ShouldContain("Unsubscribed");

        await UpdateAsync(publicId, "resolved", "Checkout is back to normal.");
        await Task.Delay(1500);
        server.Smtp.Messages().Count(m => m.Contains($"To: {address}")).ShouldBe(2);
    }

    [Fact]
    public async Task A_webhook_subscriber_added_by_an_admin_gets_each_update_as_json()
    {
        var key = "wh" + Guid.NewGuid().ToString("N")[..6];
        (await server.Admin().PostAsJsonAsync("/api/v1/status/components", new { key, name = "Search" })).EnsureSuccessStatusCode();
        var path = "/status-hook-" + Guid.NewGuid().ToString("N")[..6];
        var added = await (await server.Admin().PostAsJsonAsync("/api/v1/status/subscribers", new { webhook = sink.Url + path })).JsonAsync();
        added.GetProperty("confirmedAt").ValueKind.ShouldBe(JsonValueKind.String);
        var (_, outsider) = await server.PersonAsync("hook");
        await (await server.Client(outsider).PostAsJsonAsync("/api/v1/status/subscribers", new { webhook = "http://10.0.0.1/steal" })).ShouldBeProblemAsync(403);

        await PublishAsync(key, "Search is down", "Search does not return results.");
        var received = await FirebreakServer.EventuallyAsync(() => Task.FromResult(sink.To(path)), r => r.Count == 1, "the webhook", seconds: 20);
        var payload = JsonDocument.Parse(received[0].Body).RootElement;
        payload.GetProperty("incident").GetProperty("name").GetString().ShouldBe("Search is down");
        payload.GetProperty("incident_update").GetProperty("body").GetString().ShouldBe("Search does not return results.");
        payload.GetProperty("incident_update").GetProperty("status").GetString().ShouldBe("investigating");
        received[0].Headers.ShouldContainKey("Idempotency-Key");
    }

    [Fact]
    public async Task Bad_subscriptions_are_refused_with_problems_and_the_form_is_rate_limited()
    {
        var client = server.Client();
        await (await client.PostAsJsonAsync("/status/subscribe", new { email = "not an address" })).ShouldBeProblemAsync(422, "email");
        await (await client.PostAsync("/status/subscribe", new StringContent("email=x", System.Text.Encoding.UTF8, "text/plain"))).ShouldBeProblemAsync(415);
        (await client.GetAsync("/status/subscriptions/confirm?token=nope")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        HttpResponseMessage? last = null;
        for (var n = 0; n < 12; n++) last = await client.PostAsJsonAsync("/status/subscribe", new { email = $"flood{n}@example.test" });
        await last!.ShouldBeProblemAsync(429);
        last!.Headers.RetryAfter.ShouldNotBeNull();
    }

    private async Task<int> PublishAsync(string key, string title, string body)
    {
        var (handle, token) = await server.PersonAsync("pb");
        var api = server.Client(token);
        var id = (await server.DeclareAsync(api, "internal " + title, severity: 2)).GetProperty("id").GetString()!;
        (await api.PostAsJsonAsync($"/api/v1/incidents/{id}/roles", new { role = "commander", handle })).EnsureSuccessStatusCode();
        var published = await (await api.PostAsJsonAsync($"/api/v1/incidents/{id}/publish", new { title, body, components = new Dictionary<string, string> { [key] = "partial_outage" } })).JsonAsync();
        return published.GetProperty("id").GetInt32();
    }

    private async Task UpdateAsync(int publicId, string status, string body) =>
        (await server.Admin().PostAsJsonAsync($"/api/v1/status/incidents/{publicId}/updates", new { status, body })).EnsureSuccessStatusCode();

    [GeneratedRegex(@"http://[^\s]+/status/subscriptions/confirm\?token=[A-Za-z0-9_-]+")]
    private static partial Regex ConfirmLink();

    [GeneratedRegex(@"http://[^\s]+/status/subscriptions/unsubscribe\?token=[A-Za-z0-9_-]+")]
    private static partial Regex UnsubscribeLink();
}
