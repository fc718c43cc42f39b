using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Firebreak.Tests.Alerts;
using Firebreak.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Firebreak.Tests.Web;

/// <summary>The cockpit as a responder uses it, in Debian's headless Chromium against a real server.</summary>
[Collection(nameof(ChromiumCollection))]
public sealed partial class CockpitBrowserTests(ChromiumFixture chromium, TriageServer server) : IClassFixture<TriageServer>
{
    internal static async Task SignInAsync(IPage page, string token)
    {
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(SignInUrl());
        await page.GetByLabel("Personal token").FillAsync(token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Active incidents" })).ToBeVisibleAsync();
    }

    [RequiresChromiumFact]
    public async Task A_responder_signs_in_declares_takes_command_updates_sees_live_changes_resolves_and_reads_the_postmortem()
    {
        const string service = "checkout";
        (await server.Admin().PostAsJsonAsync("/api/v1/services", new { shortName = service, name = "Checkout API", tier = 1 })).EnsureSuccessStatusCode();
        // A readable person, since this test's page is the README's screenshot.
        const string handle = "dana";
        (await server.Admin().PostAsJsonAsync("/api/v1/people", new { handle, name = "Dana Scott" })).EnsureSuccessStatusCode();
        var minted = await server.Admin().PostAsJsonAsync("/api/v1/tokens", new { name = "browser", person = handle });
        var token = (await minted.EnsureSuccessStatusCode().JsonAsync()).GetProperty("token").GetString()!;
        var page = await chromium.NewPageAsync(server.Url);
        await SignInAsync(page, token);

        // Declare: three fields, submitted from the keyboard.
        await page.GetByRole(AriaRole.Link, new() { Name = "Declare incident" }).ClickAsync();
        await page.GetByLabel("What is broken?").FillAsync("Card payments fail at checkout");
        await page.GetByRole(AriaRole.Radio, new() { Name = "SEV1" }).CheckAsync();
        await page.GetByLabel("Affected service").SelectOptionAsync(service);
        await page.GetByLabel("What is broken?").PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(IncidentUrl());
        var id = page.Url.Split('/')[^1];
        await Expect(page.Locator("#incident-title")).ToHaveTextAsync("Card payments fail at checkout");
        await Expect(page.Locator("#live-indicator")).ToHaveTextAsync("live");

        // Take command in one click.
        await page.GetByRole(AriaRole.Button, new() { Name = "Take command" }).ClickAsync();
        await Expect(page.Locator("[data-role=commander]")).ToContainTextAsync(handle);

        // A workstream with a lead, opened from the page.
        await page.GetByLabel("Workstream", new() { Exact = true }).FillAsync("Roll back payments-client");
        await page.Locator("#workstream-lead").FillAsync(handle);
        await page.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
        await Expect(page.Locator("#workstreams")).ToContainTextAsync("1. Roll back payments-client");
        await Expect(page.Locator("#workstreams")).ToContainTextAsync($"lead {handle}");

        // A CAN update, with its countdown to the next one.
        await page.GetByLabel("Condition: what is happening, and the impact").FillAsync("Card payments fail for about 30% of checkouts.");
        await page.GetByLabel("Action: what we are doing").FillAsync("Rolling back payments-client 2.4.1.");
        await page.GetByLabel("Need: what we need, from whom").FillAsync("Nothing yet.");
        await page.GetByLabel("Next update in").SelectOptionAsync("15m");
        await page.GetByRole(AriaRole.Button, new() { Name = "Post update" }).ClickAsync();
        await Expect(page.Locator("#latest-update")).ToContainTextAsync("Card payments fail for about 30% of checkouts.");
        await Expect(page.Locator(".next-update .due")).ToContainTextAsync(new Regex("^in 1[45]:"));

        // A change made elsewhere (the API) arrives without a reload.
        await page.EvaluateAsync("() => window.__sameDocument = true");
        var api = server.Client(token);
        (await api.PostAsJsonAsync($"/api/v1/incidents/{id}/log", new { kind = "fact", text = "Errors began at the 14:02 deploy" })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync($"/api/v1/incidents/{id}/severity", new { severity = "SEV2", reason = "only cards" })).EnsureSuccessStatusCode();
        await Expect(page.Locator("#timeline li").First).ToContainTextAsync("SEV1 → SEV2", new() { Timeout = 5_000 });
        await Expect(page.Locator("#timeline")).ToContainTextAsync("Errors began at the 14:02 deploy");
        await Expect(page.Locator(".record")).ToContainTextAsync("Errors began at the 14:02 deploy");
        await Expect(page.Locator(".incident-head .sev")).ToContainTextAsync("SEV2");
        await Expect(page.Locator("#severity-to")).ToHaveValueAsync("SEV2");
        (await page.EvaluateAsync<bool>("() => window.__sameDocument === true")).ShouldBeTrue("the page must not have reloaded");

        // The timeline filters hide and show categories.
        await page.GetByLabel("Log", new() { Exact = true }).UncheckAsync();
        await Expect(page.Locator("#timeline li.cat-log").First).ToBeHiddenAsync();
        await page.GetByLabel("Log", new() { Exact = true }).CheckAsync();
        await Expect(page.Locator("#timeline li.cat-log").First).ToBeVisibleAsync();

        if (Environment.GetEnvironmentVariable("FIREBREAK_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "landing-page.png"), FullPage = true });
        }
        (await page.ScreenshotAsync()).Length.ShouldBeGreaterThan(10_000);

        // Finish the workstream, then resolve.
        await page.GetByRole(AriaRole.Button, new() { Name = "mark done: workstream 1" }).ClickAsync();
        await Expect(page.Locator("#workstreams li").First).ToHaveClassAsync("done");
        await page.Locator("#status-to").SelectOptionAsync("resolved");
        await page.Locator("#status-reason").FillAsync("Rollback verified: checkout errors back to baseline");
        await page.Locator("#status-form").GetByRole(AriaRole.Button, new() { Name = "Change status" }).ClickAsync();
        await Expect(page.Locator("#incident-status")).ToHaveTextAsync("resolved");

        // The postmortem draft, rendered and downloadable.
        await page.GetByRole(AriaRole.Link, new() { Name = "Postmortem draft" }).ClickAsync();
        await Expect(page.Locator("article.postmortem h1").First).ToContainTextAsync("Card payments fail at checkout");
        await Expect(page.Locator("article.postmortem")).ToContainTextAsync("Errors began at the 14:02 deploy");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download Markdown" }).ClickAsync());
        download.SuggestedFilename.ShouldBe($"{id}-postmortem.md");
        var markdown = await File.ReadAllTextAsync((await download.PathAsync())!);
        markdown.ShouldContain("Card payments fail at checkout");
        markdown.ShouldContain("## Timeline");
    }

    [RequiresChromiumFact]
    public async Task Closing_asks_for_confirmation_and_the_server_refuses_it_without()
    {
        var (_, token) = await server.PersonAsync("closer");
        var incident = await server.DeclareAsync(server.Client(token), "Queue backlog");
        var id = incident.GetProperty("id").GetString()!;
        (await server.Client(token).PostAsJsonAsync($"/api/v1/incidents/{id}/status", new { status = "resolved" })).EnsureSuccessStatusCode();
        var page = await chromium.NewPageAsync(server.Url);
        await SignInAsync(page, token);
        await page.GotoAsync($"/incidents/{id}");

        var asked = new List<string>();
        page.Dialog += async (_, dialog) => { asked.Add(dialog.Message); await dialog.DismissAsync(); };
        await page.Locator("#close-form input[name=confirm]").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Close incident" }).ClickAsync();
        asked.ShouldHaveSingleItem().ShouldContain("Close this incident?");
        await Expect(page.Locator("#incident-status")).ToHaveTextAsync("resolved");

        // Past the browser (a forged or script-free post), the server still wants the confirmation.
        var response = await page.APIRequest.PostAsync($"/incidents/{id}/status", new()
        {
            Form = FormWith(page.APIRequest, await page.Locator("meta[name=csrf-token]").GetAttributeAsync("content"), ("status", "closed")),
        });
        response.Status.ShouldBe(422);
        (await response.TextAsync()).ShouldContain("Closing needs confirmation");
    }

    [RequiresChromiumFact]
    public async Task Alert_annotations_and_record_text_with_markup_render_as_text_and_never_run()
    {
        var key = await server.IntegrationKeyAsync("alertmanager");
        var service = "inj" + Guid.NewGuid().ToString("N")[..8];
        (await server.Admin().PostAsJsonAsync("/api/v1/services", new { shortName = service, tier = 1 })).EnsureSuccessStatusCode();
        const string script = "<script>window.__pwned = 'script'</script>";
        const string image = "<img src=x onerror=\"window.__pwned = 'img'\">";
        var alertname = "Injected" + Guid.NewGuid().ToString("N")[..6];
        var alert = new
        {
            version = "4", groupKey = $"{{}}:{{alertname=\"{alertname}\"}}", status = "firing",
            alerts = new[]
            {
                new
                {
                    status = "firing",
                    labels = new Dictionary<string, string> { ["alertname"] = alertname, ["service"] = service, ["severity"] = "critical" },
                    annotations = new Dictionary<string, string> { ["summary"] = $"{alertname} {image}", ["description"] = script, ["runbook_url"] = "javascript:window.__pwned='link'" },
                    startsAt = DateTime.UtcNow.AddMinutes(-5), endsAt = "0001-01-01T00:00:00Z", fingerprint = alertname,
                    generatorURL = "javascript:window.__pwned='generator'",
                },
            },
        };
        var intake = server.Client(key);
        (await intake.PostAsJsonAsync("/integrations/alertmanager", alert)).EnsureSuccessStatusCode();
        var id = await FirebreakServer.EventuallyAsync(async () =>
        {
            var alerts = await (await server.Admin().GetAsync("/api/v1/alerts?limit=1000")).JsonAsync();
            return alerts.EnumerateArray().Where(a => a.GetProperty("alertName").GetString() == alertname)
                .Select(a => a.GetProperty("incident").GetString()).FirstOrDefault();
        }, i => i is not null, "the alert's incident");
        (await server.Admin().PostAsJsonAsync($"/api/v1/incidents/{id}/log", new { kind = "fact", text = $"fact {script} {image}" })).EnsureSuccessStatusCode();
        (await server.Admin().PostAsJsonAsync($"/api/v1/incidents/{id}/updates", new { condition = $"[click](javascript:window.__pwned='md') {image}" })).EnsureSuccessStatusCode();

        var page = await chromium.NewPageAsync(server.Url);
        await SignInAsync(page, server.AdminToken);
        await page.GotoAsync($"/incidents/{id}");
        await Expect(page.Locator("#linked-alerts")).ToContainTextAsync(image);
        await Expect(page.Locator("#linked-alerts")).ToContainTextAsync(script);
        await Expect(page.Locator("#timeline")).ToContainTextAsync($"fact {script} {image}");
        (await page.Locator("#live-state img, #timeline img, #live-state script").CountAsync()).ShouldBe(0);
        (await page.Locator("a[href^='javascript']").CountAsync()).ShouldBe(0);

        // The same text arriving live is just as inert.
        (await server.Admin().PostAsJsonAsync($"/api/v1/incidents/{id}/log", new { kind = "note", text = $"live {image}" })).EnsureSuccessStatusCode();
        await Expect(page.Locator("#timeline")).ToContainTextAsync($"live {image}");

        // And in the postmortem, where the record becomes Markdown.
        await page.GotoAsync($"/incidents/{id}/postmortem");
        await Expect(page.Locator("article.postmortem")).ToContainTextAsync(image);
        (await page.Locator("article.postmortem img, article.postmortem script").CountAsync()).ShouldBe(0);
        (await page.Locator("a[href^='javascript']").CountAsync()).ShouldBe(0);

        (await page.EvaluateAsync<string?>("() => window.__pwned ?? null")).ShouldBeNull();
    }

    [RequiresChromiumFact]
    public async Task A_private_incident_page_is_not_found_for_a_non_member()
    {
        var (_, owner) = await server.PersonAsync("sec");
        var (_, outsider) = await server.PersonAsync("out");
        var incident = await server.DeclareAsync(server.Client(owner), "Leaked credentials", isPrivate: true);
        var id = incident.GetProperty("id").GetString()!;

        var page = await chromium.NewPageAsync(server.Url);
        await SignInAsync(page, outsider);
        var response = await page.GotoAsync($"/incidents/{id}");
        response!.Status.ShouldBe(404);
        await Expect(page.Locator("main")).Not.ToContainTextAsync("Leaked credentials");
        (await page.APIRequest.GetAsync($"/incidents/{id}/live")).Status.ShouldBe(404);
        (await page.APIRequest.GetAsync($"/incidents/{id}/postmortem")).Status.ShouldBe(404);
        await page.GotoAsync("/");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("Leaked credentials");
    }

    [RequiresChromiumFact]
    public async Task On_a_phone_in_dark_mode_the_landing_page_fits_the_screen()
    {
        var (_, token) = await server.PersonAsync("phone");
        var incident = await server.DeclareAsync(server.Client(token), "Mobile app cannot log in", severity: 1);
        var page = await chromium.NewPageAsync(server.Url, phone: true, dark: true);
        await SignInAsync(page, token);
        await page.GotoAsync($"/incidents/{incident.GetProperty("id").GetString()}");
        await Expect(page.Locator("#incident-title")).ToBeVisibleAsync();
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        overflow.ShouldBeLessThanOrEqualTo(0);
        var background = await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
        background.ShouldBe("rgb(16, 19, 23)");
    }

    private static IFormData FormWith(IAPIRequestContext request, string? token, params (string Name, string Value)[] fields)
    {
        var form = request.CreateFormData();
        form.Set("__RequestVerificationToken", token ?? "");
        foreach (var (name, value) in fields) form.Set(name, value);
        return form;
    }

    [GeneratedRegex("/signin")]
    private static partial Regex SignInUrl();

    [GeneratedRegex(@"/incidents/INC-\d+$")]
    private static partial Regex IncidentUrl();
}
