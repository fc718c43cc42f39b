using System.Net.Http.Json;
using System.Text;
using Firebreak.Tests.Support;

namespace Firebreak.Tests.Incidents;

/// <summary>Bad input gets a 4xx problem document naming the field, never a 500, and the record is unchanged.</summary>
public class IncidentBadInputTests(FirebreakServer server) : IClassFixture<FirebreakServer>
{
    [Fact]
    public async Task A_missing_title_is_422_naming_the_field() =>
        await (await server.Admin().PostAsJsonAsync("/api/v1/incidents", new { severity = 2 })).ShouldBeProblemAsync(422, "title");

    [Theory]
    [InlineData("SEV7")]
    [InlineData("urgent")]
    [InlineData("")]
    public async Task A_severity_outside_SEV0_to_SEV5_is_422(string severity) =>
        await (await server.Admin().PostAsJsonAsync("/api/v1/incidents", new { title = "x", severity })).ShouldBeProblemAsync(422, "severity");

    [Fact]
    public async Task An_unknown_service_is_422_and_lists_the_known_ones()
    {
        var known = await server.ServiceAsync("known");
        var problem = await (await server.Admin().PostAsJsonAsync("/api/v1/incidents", new { title = "x", severity = 2, services = new[] { "nope" } }))
            .ShouldBeProblemAsync(422, "services");
        problem.GetProperty("detail").GetString()!.ShouldContain(known);
    }

    [Fact]
    public async Task An_unknown_handle_is_422_with_the_way_to_add_them()
    {
        using var admin = server.Admin();
        var id = (await server.DeclareAsync(admin)).GetProperty("id").GetString();
        var problem = await (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/roles", new { role = "commander", handle = "ghost" }))
            .ShouldBeProblemAsync(422, "handle");
        problem.GetProperty("detail").GetString()!.ShouldContain("firebreak person add ghost");
    }

    [Fact]
    public async Task Invalid_status_role_kind_and_durations_are_422()
    {
        using var admin = server.Admin();
        var id = (await server.DeclareAsync(admin)).GetProperty("id").GetString();
        await (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/status", new { status = "done" })).ShouldBeProblemAsync(422, "status");
        await (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/roles", new { role = "boss", handle = "admin" })).ShouldBeProblemAsync(422, "role");
        await (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/log", new { text = "x", kind = "rumour" })).ShouldBeProblemAsync(422, "kind");
        await (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/updates", new { condition = "x", nextUpdateIn = "soon" })).ShouldBeProblemAsync(422, "nextUpdateIn");
        await (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/updates", new { action = "x" })).ShouldBeProblemAsync(422, "condition");
        await (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/actions", new { title = "x", due = "next week" })).ShouldBeProblemAsync(422, "due");
        var view = await (await admin.GetAsync($"/api/v1/incidents/{id}")).JsonAsync();
        view.GetProperty("timeline").GetArrayLength().ShouldBe(1, "only the declaration");
    }

    [Fact]
    public async Task Impact_cannot_start_in_the_future() =>
        await (await server.Admin().PostAsJsonAsync("/api/v1/incidents", new { title = "x", severity = 2, startedAt = DateTime.UtcNow.AddHours(2) }))
            .ShouldBeProblemAsync(422, "startedAt");

    [Theory]
    [InlineData("/api/v1/incidents/INC-999999")]
    [InlineData("/api/v1/incidents/not-an-id")]
    [InlineData("/api/v1/incidents/INC-999999/postmortem")]
    public async Task An_unknown_incident_is_404(string path) =>
        await (await server.Admin().GetAsync(path)).ShouldBeProblemAsync(404);

    [Fact]
    public async Task Commands_on_an_unknown_incident_are_404() =>
        await (await server.Admin().PostAsJsonAsync("/api/v1/incidents/INC-999999/log", new { text = "x" })).ShouldBeProblemAsync(404);

    [Fact]
    public async Task Malformed_json_is_400()
    {
        var content = new StringContent("{\"title\": \"x\", \"severity\": ", Encoding.UTF8, "application/json");
        await (await server.Admin().PostAsync("/api/v1/incidents", content)).ShouldBeProblemAsync(400);
    }

    [Fact]
    public async Task A_field_of_the_wrong_type_is_400()
    {
        var content = new StringContent("{\"title\": {\"nested\": true}, \"severity\": 2}", Encoding.UTF8, "application/json");
        await (await server.Admin().PostAsync("/api/v1/incidents", content)).ShouldBeProblemAsync(400);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415()
    {
        var response = await server.Admin().PostAsync("/api/v1/incidents", new StringContent("title=x", Encoding.UTF8, "text/plain"));
        ((int)response.StatusCode).ShouldBe(415);
    }

    [Fact]
    public async Task An_oversized_body_is_413_and_nothing_is_stored()
    {
        using var admin = server.Admin();
        var before = (await (await admin.GetAsync("/api/v1/incidents?limit=1000")).JsonAsync()).GetArrayLength();
        var huge = new string('x', 2 * 1024 * 1024);

        var response = await admin.PostAsJsonAsync("/api/v1/incidents", new { title = "big", severity = 2, summary = huge });

        await response.ShouldBeProblemAsync(413);
        (await (await admin.GetAsync("/api/v1/incidents?limit=1000")).JsonAsync()).GetArrayLength().ShouldBe(before);
    }

    [Fact]
    public async Task A_title_over_300_characters_is_422() =>
        await (await server.Admin().PostAsJsonAsync("/api/v1/incidents", new { title = new string('t', 301), severity = 2 }))
            .ShouldBeProblemAsync(422, "title");
}
