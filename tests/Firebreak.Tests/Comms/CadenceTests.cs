using System.Net.Http.Json;
using System.Text.Json;
using Firebreak.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Firebreak.Tests.Comms;

public sealed class CadenceTests(CommsServer server, HttpSink sink) : IClassFixture<CommsServer>, IClassFixture<HttpSink>
{
    private static DateTime Due(JsonElement incident) => incident.GetProperty("nextUpdateDueAt").GetDateTime().ToUniversalTime();

    [Fact]
    public async Task Each_severity_sets_when_the_next_update_is_due_and_raising_it_brings_the_update_forward()
    {
        var (_, token) = await server.PersonAsync("cad");
        var api = server.Client(token);
        var incident = await server.DeclareAsync(api, "Cadence", severity: 2);
        var id = incident.GetProperty("id").GetString()!;
        var declared = incident.GetProperty("times").GetProperty("declaredAt").GetDateTime().ToUniversalTime();
        (Due(incident) - declared).ShouldBe(TimeSpan.FromMinutes(30));

        var updated = await (await api.PostAsJsonAsync($"/api/v1/incidents/{id}/updates", new { condition = "Still broken" })).JsonAsync();
        var at = updated.GetProperty("latestUpdate").GetProperty("at").GetDateTime().ToUniversalTime();
        (Due(updated) - at).ShouldBe(TimeSpan.FromMinutes(30));

        var raised = await (await api.PostAsJsonAsync($"/api/v1/incidents/{id}/severity", new { severity = "SEV1" })).JsonAsync();
        Due(raised).ShouldBeLessThan(Due(updated));
        (Due(raised) - DateTime.UtcNow).ShouldBeLessThanOrEqualTo(TimeSpan.FromMinutes(15));

        var explicitNext = await (await api.PostAsJsonAsync($"/api/v1/incidents/{id}/updates", new { condition = "Better", nextUpdateIn = "1h" })).JsonAsync();
        (Due(explicitNext) - explicitNext.GetProperty("latestUpdate").GetProperty("at").GetDateTime().ToUniversalTime()).ShouldBe(TimeSpan.FromHours(1));

        var cadence = await (await server.Admin().GetAsync("/api/v1/comms/cadence")).JsonAsync();
        cadence.GetProperty("SEV1").GetString().ShouldBe("15m");
        cadence.GetProperty("SEV3").GetString().ShouldBe("2s");
        cadence.GetProperty("SEV5").GetString().ShouldBe("none");
        var quiet = await server.DeclareAsync(api, "No cadence", severity: 5);
        quiet.GetProperty("nextUpdateDueAt").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task An_overdue_update_reminds_the_commander_through_their_contact_method_and_on_the_timeline()
    {
        var (commander, token) = await server.PersonAsync("ic");
        (await server.Admin().PostAsJsonAsync($"/api/v1/people/{commander}/contact-methods", new { kind = "webhook", address = sink.Url + "/remind" })).EnsureSuccessStatusCode();
        var api = server.Client(token);
        var id = (await server.DeclareAsync(api, "Slow to talk", severity: 3)).GetProperty("id").GetString()!;
        (await api.PostAsJsonAsync($"/api/v1/incidents/{id}/roles", new { role = "commander", handle = commander })).EnsureSuccessStatusCode();

        // SEV3's cadence here is 2 s; the reminder job (a persisted Quartz job) looks every 10 s.
        var reminder = await FirebreakServer.EventuallyAsync(() => Task.FromResult(sink.To("/remind")), r => r.Count > 0, "the reminder webhook", seconds: 30);
        var payload = JsonDocument.Parse(reminder[0].Body).RootElement;
        payload.GetProperty("type").GetString().ShouldBe("update-overdue");
        payload.GetProperty("incident").GetString().ShouldBe(id);
        payload.GetProperty("text").GetString()!.ShouldContain("overdue");
        reminder[0].Headers.ShouldContainKey("X-Firebreak-Signature");

        var timeline = await (await api.GetAsync($"/api/v1/incidents/{id}/timeline")).JsonAsync();
        var overdue = timeline.EnumerateArray().Where(e => e.GetProperty("kind").GetString() == "updateOverdue").ToList();
        overdue.Count.ShouldBe(1);
        overdue[0].GetProperty("text").GetString()!.ShouldContain($"reminded {commander}");

        // Posting the update ends it: a later look finds nothing overdue for this incident.
        (await api.PostAsJsonAsync($"/api/v1/incidents/{id}/updates", new { condition = "Here it is", nextUpdateIn = "1h" })).EnsureSuccessStatusCode();
        await using var scope = server.Services.CreateAsyncScope();
        await Firebreak.Comms.UpdateReminderJob.RemindAsync(scope.ServiceProvider, CancellationToken.None);
        var after = await (await api.GetAsync($"/api/v1/incidents/{id}/timeline")).JsonAsync();
        after.EnumerateArray().Count(e => e.GetProperty("kind").GetString() == "updateOverdue").ShouldBe(1);
    }
}
