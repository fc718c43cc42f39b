using System.Net;
using System.Net.Http.Json;
using Firebreak.Tests.Support;

namespace Firebreak.Tests.Web;

public sealed class WebSessionTests(FirebreakServer server) : IClassFixture<FirebreakServer>
{
    [Fact]
    public async Task Pages_send_strangers_to_sign_in_and_streams_answer_401()
    {
        using var browser = new BrowserSession(server.Url);
        var page = await browser.GetAsync("/incidents/INC-1");
        page.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        page.Headers.Location!.ToString().ShouldContain("/signin?ReturnUrl=%2Fincidents%2FINC-1");
        (await browser.Http.GetAsync("/incidents/INC-1/live")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await browser.GetAsync("/assets/site.css")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Signing_in_sets_an_http_only_same_site_cookie_and_returns_to_the_page_asked_for()
    {
        var (handle, token) = await server.PersonAsync("web");
        using var browser = new BrowserSession(server.Url);
        var signedIn = await browser.SignInAsync(token, "/declare");
        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        signedIn.Headers.Location!.ToString().ShouldBe("/declare");
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("firebreak.session=", StringComparison.Ordinal));
        cookie.ShouldContain("httponly", Case.Insensitive);
        cookie.ShouldContain("samesite=lax", Case.Insensitive);

        var declare = await browser.GetAsync("/declare");
        declare.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await declare.Content.ReadAsStringAsync()).ShouldContain(handle);
        declare.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("script-src 'self'");

        var audit = await (await server.Admin().GetAsync("/api/v1/audit")).JsonAsync();
        audit.EnumerateArray().ShouldContain(e => e.GetProperty("action").GetString() == "session.signin" && e.GetProperty("target").GetString() == handle);
    }

    [Fact]
    public async Task Unknown_tokens_integration_tokens_and_foreign_return_urls_are_refused()
    {
        using var browser = new BrowserSession(server.Url);
        (await browser.SignInAsync("fb_not-a-real-token-at-all")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var integration = await server.Admin().PostAsJsonAsync("/api/v1/tokens", new { name = "ci", integration = "ci-bot" });
        var integrationToken = (await integration.EnsureSuccessStatusCode().JsonAsync()).GetProperty("token").GetString()!;
        (await browser.SignInAsync(integrationToken)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var (_, token) = await server.PersonAsync("redir");
        var signedIn = await browser.SignInAsync(token, "//evil.example/phish");
        signedIn.Headers.Location!.ToString().ShouldBe("/");
    }

    [Fact]
    public async Task A_form_without_its_anti_forgery_token_is_refused_and_changes_nothing()
    {
        var (_, token) = await server.PersonAsync("csrf");
        var incident = await server.DeclareAsync(server.Client(token), "Forged form target");
        var id = incident.GetProperty("id").GetString()!;
        using var browser = new BrowserSession(server.Url);
        await browser.SignInAsync(token);

        var forged = await browser.PostFormAsync($"/incidents/{id}/log", new Dictionary<string, string> { ["kind"] = "fact", ["text"] = "forged" }, withToken: false);
        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var forgedRole = await browser.PostFormAsync($"/incidents/{id}/actions/1/complete", [], withToken: false);
        forgedRole.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        await browser.GetAsync($"/incidents/{id}");
        var genuine = await browser.PostFormAsync($"/incidents/{id}/log", new Dictionary<string, string> { ["kind"] = "fact", ["text"] = "genuine" });
        genuine.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var timeline = await (await server.Client(token).GetAsync($"/api/v1/incidents/{id}/timeline")).JsonAsync();
        var texts = timeline.EnumerateArray().Select(e => e.GetProperty("text").GetString()).ToList();
        texts.ShouldContain("genuine");
        texts.ShouldNotContain("forged");
    }

    [Fact]
    public async Task Revoking_the_token_ends_the_session_and_the_cookie_never_opens_the_json_api()
    {
        var (_, token) = await server.PersonAsync("revoke");
        using var browser = new BrowserSession(server.Url);
        await browser.SignInAsync(token);
        (await browser.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await browser.Http.GetAsync("/api/v1/incidents")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var mine = await (await server.Client(token).GetAsync("/api/v1/tokens")).JsonAsync();
        var tokenId = mine.EnumerateArray().Single().GetProperty("id").GetInt32();
        (await server.Client(token).DeleteAsync($"/api/v1/tokens/{tokenId}")).EnsureSuccessStatusCode();

        var after = await browser.GetAsync("/");
        after.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        after.Headers.Location!.ToString().ShouldContain("/signin");
    }

    [Fact]
    public async Task Declaring_from_the_form_needs_a_service_and_shows_the_refusal_with_what_was_typed()
    {
        var (_, token) = await server.PersonAsync("decl");
        var service = await server.ServiceAsync("web");
        using var browser = new BrowserSession(server.Url);
        await browser.SignInAsync(token);
        await browser.GetAsync("/declare");

        var missing = await browser.PostFormAsync("/declare", new Dictionary<string, string> { ["title"] = "Half a form", ["severity"] = "SEV2" });
        missing.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var page = await missing.Content.ReadAsStringAsync();
        page.ShouldContain("Choose the affected service.");
        page.ShouldContain("value=\"Half a form\"");

        var declared = await browser.PostFormAsync("/declare", new Dictionary<string, string> { ["title"] = "Whole form", ["severity"] = "SEV3", ["service"] = service, ["private"] = "true" });
        declared.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var id = declared.Headers.Location!.ToString().Split('/')[^1];
        var incident = await (await server.Client(token).GetAsync($"/api/v1/incidents/{id}")).JsonAsync();
        incident.GetProperty("severity").GetString().ShouldBe("SEV3");
        incident.GetProperty("private").GetBoolean().ShouldBeTrue();
        incident.GetProperty("services")[0].GetProperty("shortName").GetString().ShouldBe(service);
    }
}
