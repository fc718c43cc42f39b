using System.Net.Http.Json;
using Firebreak.Tests.Support;

namespace Firebreak.Tests.Identity;

/// <summary>A private (security) incident is invisible to anyone who is not a member or an admin.</summary>
public class PrivateIncidentTests(FirebreakServer server) : IClassFixture<FirebreakServer>
{
    [Fact]
    public async Task Outsiders_get_404_for_a_private_incident_everywhere_and_cannot_change_it()
    {
        var (_, declarer) = await server.PersonAsync("sec");
        var (_, outsider) = await server.PersonAsync("out");
        var id = (await server.DeclareAsync(server.Client(declarer), "Credential leak", 1, isPrivate: true)).GetProperty("id").GetString();
        using var other = server.Client(outsider);

        await (await other.GetAsync($"/api/v1/incidents/{id}")).ShouldBeProblemAsync(404);
        await (await other.GetAsync($"/api/v1/incidents/{id}/timeline")).ShouldBeProblemAsync(404);
        await (await other.GetAsync($"/api/v1/incidents/{id}/postmortem")).ShouldBeProblemAsync(404);
        await (await other.PostAsJsonAsync($"/api/v1/incidents/{id}/log", new { text = "peek" })).ShouldBeProblemAsync(404);
        (await (await other.GetAsync("/api/v1/incidents?limit=1000")).JsonAsync()).EnumerateArray()
            .ShouldNotContain(i => i.GetProperty("id").GetString() == id);

        var asDeclarer = await (await server.Client(declarer).GetAsync($"/api/v1/incidents/{id}")).JsonAsync();
        asDeclarer.GetProperty("timeline").GetArrayLength().ShouldBe(1, "the outsider's write did not land");
    }

    [Fact]
    public async Task Admins_members_and_role_holders_can_see_it()
    {
        var (_, declarer) = await server.PersonAsync("sec");
        var (memberHandle, member) = await server.PersonAsync("mem");
        var (smeHandle, sme) = await server.PersonAsync("sme");
        using var owner = server.Client(declarer);
        var id = (await server.DeclareAsync(owner, "Suspicious admin logins", 2, isPrivate: true)).GetProperty("id").GetString();

        await (await server.Client(member).GetAsync($"/api/v1/incidents/{id}")).ShouldBeProblemAsync(404);
        (await owner.PostAsJsonAsync($"/api/v1/incidents/{id}/members", new { handle = memberHandle })).EnsureSuccessStatusCode();
        (await owner.PostAsJsonAsync($"/api/v1/incidents/{id}/roles", new { role = "sme", handle = smeHandle })).EnsureSuccessStatusCode();

        (await server.Client(member).GetAsync($"/api/v1/incidents/{id}")).EnsureSuccessStatusCode();
        (await server.Client(sme).GetAsync($"/api/v1/incidents/{id}")).EnsureSuccessStatusCode();
        (await server.Admin().GetAsync($"/api/v1/incidents/{id}")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Integrations_never_see_private_incidents()
    {
        var (_, declarer) = await server.PersonAsync("sec");
        var id = (await server.DeclareAsync(server.Client(declarer), "Key rotation", 3, isPrivate: true)).GetProperty("id").GetString();
        var token = (await (await server.Admin().PostAsJsonAsync("/api/v1/tokens", new { name = "ci", integration = "ci-bot" })).JsonAsync())
            .GetProperty("token").GetString();

        await (await server.Client(token).GetAsync($"/api/v1/incidents/{id}")).ShouldBeProblemAsync(404);
    }
}
