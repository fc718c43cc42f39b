using System.Net;
using System.Net.Http.Json;
using Firebreak.Tests.Support;

namespace Firebreak.Tests.Identity;

public class AuthenticationTests(FirebreakServer server) : IClassFixture<FirebreakServer>
{
    [Theory]
    [InlineData("/api/v1/incidents")]
    [InlineData("/api/v1/people")]
    [InlineData("/api/v1/me")]
    public async Task Api_calls_without_a_token_are_401_with_a_bearer_challenge(string path)
    {
        var response = await server.Client().GetAsync(path);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().ShouldStartWith("Bearer");
    }

    [Fact]
    public async Task A_made_up_token_is_401() =>
        (await server.Client("fb_notarealtokenatall").GetAsync("/api/v1/incidents")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

    [Fact]
    public async Task Writes_without_a_token_are_401_and_store_nothing()
    {
        var response = await server.Client().PostAsJsonAsync("/api/v1/incidents", new { title = "x", severity = 2 });
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await (await server.Admin().GetAsync("/api/v1/incidents")).JsonAsync()).EnumerateArray()
            .ShouldNotContain(i => i.GetProperty("title").GetString() == "x" && i.GetProperty("declaredAt").GetDateTime() > DateTime.UtcNow.AddSeconds(-5));
    }

    [Fact]
    public async Task Health_and_the_OpenAPI_document_need_no_token()
    {
        using var anonymous = server.Client();
        (await anonymous.GetStringAsync("/healthz")).ShouldBe("ok");
        (await anonymous.GetStringAsync("/readyz")).ShouldBe("ready");
        var openApi = await (await anonymous.GetAsync("/openapi/v1.json")).JsonAsync();
        openApi.GetProperty("paths").TryGetProperty("/api/v1/incidents/{id}/updates", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Tokens_are_stored_hashed_and_a_revoked_token_stops_working_at_once()
    {
        var (handle, token) = await server.PersonAsync("tok");
        using var person = server.Client(token);
        var me = await (await person.GetAsync("/api/v1/me")).JsonAsync();
        me.GetProperty("handle").GetString().ShouldBe(handle);

        var mine = await (await person.GetAsync("/api/v1/tokens")).JsonAsync();
        var listed = mine.EnumerateArray().Single();
        listed.GetProperty("prefix").GetString()!.Length.ShouldBeLessThan(token.Length, "the secret is never listed");
        listed.TryGetProperty("token", out _).ShouldBeFalse();

        (await person.DeleteAsync($"/api/v1/tokens/{listed.GetProperty("id").GetInt32()}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await person.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Only_admins_add_people_or_create_tokens_for_others()
    {
        var (_, token) = await server.PersonAsync("plain");
        using var person = server.Client(token);
        await (await person.PostAsJsonAsync("/api/v1/people", new { handle = "newbie", name = "New" })).ShouldBeProblemAsync(403);
        await (await person.PostAsJsonAsync("/api/v1/tokens", new { name = "x", person = "admin" })).ShouldBeProblemAsync(403);
        await (await person.PostAsJsonAsync("/api/v1/tokens", new { name = "x", integration = "alertmanager" })).ShouldBeProblemAsync(403);
        await (await person.GetAsync("/api/v1/audit")).ShouldBeProblemAsync(403);
    }

    [Fact]
    public async Task Someone_elses_token_cannot_be_revoked_and_looks_missing()
    {
        var (_, mallory) = await server.PersonAsync("mal");
        var (_, victim) = await server.PersonAsync("vic");
        var victimTokenId = (await (await server.Client(victim).GetAsync("/api/v1/tokens")).JsonAsync())[0].GetProperty("id").GetInt32();

        await (await server.Client(mallory).DeleteAsync($"/api/v1/tokens/{victimTokenId}")).ShouldBeProblemAsync(404);
        (await server.Client(victim).GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Every_write_is_attributed_in_the_audit_trail()
    {
        var (handle, token) = await server.PersonAsync("aud");
        var id = (await server.DeclareAsync(server.Client(token), "audited")).GetProperty("id").GetString();

        var audit = await (await server.Admin().GetAsync("/api/v1/audit?limit=1000")).JsonAsync();

        audit.EnumerateArray().ShouldContain(a => a.GetProperty("actor").GetString() == handle
            && a.GetProperty("action").GetString() == "incident.declare" && a.GetProperty("target").GetString() == id);
        audit.EnumerateArray().ShouldContain(a => a.GetProperty("actor").GetString() == "admin"
            && a.GetProperty("action").GetString() == "person.add" && a.GetProperty("target").GetString() == handle);
    }

    [Fact]
    public async Task An_integration_token_can_read_but_not_declare()
    {
        var created = await (await server.Admin().PostAsJsonAsync("/api/v1/tokens", new { name = "am", integration = "alertmanager" })).JsonAsync();
        using var integration = server.Client(created.GetProperty("token").GetString());
        (await integration.GetAsync("/api/v1/incidents")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await integration.PostAsJsonAsync("/api/v1/incidents", new { title = "x", severity = 2 })).ShouldBeProblemAsync(403);
    }

    [Theory]
    [InlineData("Bad Handle")]
    [InlineData("x")]
    [InlineData("1abc")]
    public async Task Malformed_handles_are_422(string handle) =>
        await (await server.Admin().PostAsJsonAsync("/api/v1/people", new { handle, name = "n" })).ShouldBeProblemAsync(422, "handle");

    [Fact]
    public async Task A_taken_handle_is_409() =>
        await (await server.Admin().PostAsJsonAsync("/api/v1/people", new { handle = "admin", name = "again" })).ShouldBeProblemAsync(409);
}
