using System.Net.Http.Json;
using Deque.AxeCore.Playwright;
using Firebreak.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Firebreak.Tests.Comms;

/// <summary>The public page in Debian's headless Chromium, with script disabled as some readers browse.</summary>
[Collection(nameof(ChromiumCollection))]
public sealed class StatusPageBrowserTests(ChromiumFixture chromium, CommsServer server) : IClassFixture<CommsServer>
{
    [RequiresChromiumFact]
    public async Task The_status_page_reads_without_script_without_sign_in_and_passes_an_accessibility_audit()
    {
        (await server.Admin().PostAsJsonAsync("/api/v1/status/components", new { key = "web", name = "Website", description = "www and the app" })).EnsureSuccessStatusCode();
        (await server.Admin().PostAsJsonAsync("/api/v1/status/components", new { key = "api", name = "Public API" })).EnsureSuccessStatusCode();
        var (handle, token) = await server.PersonAsync("sp");
        var api = server.Client(token);
        var id = (await server.DeclareAsync(api, "LB pool drained", severity: 1)).GetProperty("id").GetString()!;
        (await api.PostAsJsonAsync($"/api/v1/incidents/{id}/roles", new { role = "commander", handle })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync($"/api/v1/incidents/{id}/publish", new { title = "Website unavailable", status = "identified", body = "The website does not load for most visitors. We know why and are fixing it.", components = new Dictionary<string, string> { ["web"] = "major_outage", ["api"] = "degraded_performance" } })).EnsureSuccessStatusCode();

        var context = await chromium.Browser.NewContextAsync(new() { BaseURL = server.Url, JavaScriptEnabled = false });
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync("/status");
        response!.Status.ShouldBe(200);
        await Expect(page.Locator("#indicator")).ToHaveTextAsync("Major System Outage");
        await Expect(page.Locator("article.public-incident")).ToContainTextAsync("Website unavailable");
        await Expect(page.Locator("article.public-incident")).ToContainTextAsync("We know why and are fixing it.");
        await Expect(page.Locator("article.public-incident")).ToContainTextAsync("Affects: Public API, Website");
        await Expect(page.Locator("[data-component=web] .component-status")).ToHaveTextAsync("Major outage");
        await Expect(page.Locator("[data-component=api] .component-status")).ToHaveTextAsync("Degraded performance");
        (await page.Locator("[data-component=web] .uptime .day").CountAsync()).ShouldBe(90);
        (await page.Locator("script").CountAsync()).ShouldBe(0);
        (await page.ContentAsync()).ShouldNotContain("LB pool drained");

        await page.GetByLabel("Email address").FillAsync("reader@example.test");
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Subscribe" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Check your inbox");

        var scripted = await chromium.NewPageAsync(server.Url);
        await scripted.GotoAsync("/status");

        var audit = await scripted.RunAxe();
        audit.Violations.Where(v => v.Impact is "serious" or "critical").ShouldBeEmpty(string.Join("\n", audit.Violations.Select(v => $"{v.Id}: {v.Help}")));
    }
}

[Collection(nameof(ChromiumCollection))]
public sealed class CommsPageBrowserTests(ChromiumFixture chromium, CommsServer server) : IClassFixture<CommsServer>
{
    [RequiresChromiumFact]
    public async Task The_comms_lead_drafts_for_executives_publishes_to_the_status_page_and_updates_it_from_the_browser()
    {
        (await server.Admin().PostAsJsonAsync("/api/v1/status/components", new { key = "checkout", name = "Checkout" })).EnsureSuccessStatusCode();
        const string handle = "casey";
        (await server.Admin().PostAsJsonAsync("/api/v1/people", new { handle, name = "Casey Comms" })).EnsureSuccessStatusCode();
        var token = (await (await server.Admin().PostAsJsonAsync("/api/v1/tokens", new { name = "b", person = handle })).JsonAsync()).GetProperty("token").GetString()!;
        var api = server.Client(token);
        var id = (await server.DeclareAsync(api, "Checkout 502s from pay-gw-2", severity: 1)).GetProperty("id").GetString()!;
        (await api.PostAsJsonAsync($"/api/v1/incidents/{id}/roles", new { role = "comms", handle })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync($"/api/v1/incidents/{id}/updates", new { condition = "Checkout fails for 40% of customers", need = "Go/no-go on the refund plan" })).EnsureSuccessStatusCode();

        var page = await chromium.NewPageAsync(server.Url);
        await Firebreak.Tests.Web.CockpitBrowserTests.SignInAsync(page, token);
        await page.GotoAsync($"/incidents/{id}");
        await page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Drafts and status page" }).ClickAsync();
        await page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "executives" }).ClickAsync();
        await Expect(page.Locator("#draft-text")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("Decisions needed from you: Go/no-go on the refund plan"));
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Post to executives" }).ClickAsync();
        await Expect(page.Locator("#timeline")).ToContainTextAsync("Posted to exec:");

        await page.GotoAsync($"/incidents/{id}/comms?audience=customer");
        await page.Locator("#publish-title").FillAsync("Checkout problems");
        await page.Locator("#component-checkout").SelectOptionAsync("partial_outage");
        await page.Locator("#publish-body").FillAsync("Some customers cannot check out. We are working on it.");
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Publish" }).ClickAsync();
        await Expect(page.Locator("#public-heading + p")).ToContainTextAsync("Checkout problems");

        await page.Locator("#public-status").SelectOptionAsync("monitoring");
        await page.Locator("#public-body").FillAsync("A fix is in place and we are watching it.");
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Post public update" }).ClickAsync();

        await page.GotoAsync($"/incidents/{id}");
        await Expect(page.Locator("#published")).ToContainTextAsync("\"Checkout problems\" — monitoring");

        await page.GotoAsync("/status");
        await Expect(page.Locator("article.public-incident")).ToContainTextAsync("A fix is in place and we are watching it.");
        await Expect(page.Locator("[data-component=checkout] .component-status")).ToHaveTextAsync("Partial outage");
        (await page.ContentAsync()).ShouldNotContain("pay-gw-2");
    }
}
