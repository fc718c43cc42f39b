using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Firebreak.Tests.Support;

namespace Firebreak.Tests.OnCall;

public sealed class SlackServer : FirebreakServer
{
    public const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Firebreak:Slack:SigningSecret"] = Secret };
}

public class SlackCommandTests(SlackServer server) : IClassFixture<SlackServer>
{
    private async Task<HttpResponseMessage> SendAsync(string command, string text, string secret = SlackServer.Secret, long? timestamp = null)
    {
        var body = $"token=x&team_id=T0001&user_id=U1&user_name=steve&command={Uri.EscapeDataString(command)}&text={Uri.EscapeDataString(text)}&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1";
        var ts = (timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds()).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"v0:{ts}:{body}")));
        var request = new HttpRequestMessage(HttpMethod.Post, "/slack/commands") { Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded") };
        request.Headers.Add("X-Slack-Request-Timestamp", ts);
        request.Headers.Add("X-Slack-Signature", signature);
        return await server.Client().SendAsync(request);
    }

    [Fact]
    public async Task A_signed_oncall_command_answers_who_is_on_call()
    {
        var (handle, _) = await server.PersonAsync("sl");
        var name = "slack-" + Guid.NewGuid().ToString("N")[..6];
        (await server.Admin().PostAsJsonAsync("/api/v1/schedules", new { name, timeZone = "UTC",
            layers = new[] { new { name = "all", rotation = "weekly", handoff = "2026-11-02T09:00", members = new[] { handle } } } })).EnsureSuccessStatusCode();

        var response = await SendAsync("/oncall", name);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.JsonAsync()).GetProperty("text").GetString().ShouldBe($"{name}: {handle}");
    }

    [Fact]
    public async Task An_incident_is_declared_and_listed_from_slack()
    {
        var service = await server.ServiceAsync("slk");
        var declared = (await (await SendAsync("/incident", $"declare SEV2 {service} Checkout is returning 502s")).JsonAsync()).GetProperty("text").GetString()!;
        declared.ShouldStartWith("Declared INC-");
        var id = declared.Split(' ')[1];
        (await (await SendAsync("/incident", "list")).JsonAsync()).GetProperty("text").GetString()!.ShouldContain($"{id} SEV2 triage: Checkout is returning 502s");
        var view = await (await server.Admin().GetAsync($"/api/v1/incidents/{id}")).JsonAsync();
        view.GetProperty("summary").GetString().ShouldBe("Declared from Slack by @steve.");
    }

    [Fact]
    public async Task Forged_or_replayed_requests_are_refused()
    {
        (await SendAsync("/oncall", "", secret: "not-the-secret")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await SendAsync("/oncall", "", timestamp: DateTimeOffset.UtcNow.AddMinutes(-6).ToUnixTimeSeconds())).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var unsigned = await server.Client().PostAsync("/slack/commands", new StringContent("command=%2Foncall", Encoding.UTF8, "application/x-www-form-urlencoded"));
        unsigned.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
