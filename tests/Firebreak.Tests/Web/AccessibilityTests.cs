using Deque.AxeCore.Playwright;
using Firebreak.Tests.Support;
using Microsoft.Playwright;

namespace Firebreak.Tests.Web;

/// <summary>
/// axe-core (the engine behind most accessibility audits) run in Chromium over each page, in both colour
/// schemes: labels, contrast, landmarks, names of buttons and links.
/// </summary>
[Collection(nameof(ChromiumCollection))]
public sealed class AccessibilityTests(ChromiumFixture chromium, DemoServer server) : IClassFixture<DemoServer>
{
    [RequiresChromiumFact]
    public async Task The_cockpit_pages_have_no_serious_accessibility_violations_in_light_or_dark_mode()
    {
        foreach (var dark in new[] { false, true })
        {
            var page = await chromium.NewPageAsync(server.Url, dark: dark);
            await page.GotoAsync("/signin");
            await ShouldBeAccessibleAsync(page, "sign-in", dark);
            await CockpitBrowserTests.SignInAsync(page, server.AdminToken);
            foreach (var path in new[] { "/", "/declare", "/incidents/INC-5", "/incidents/INC-1", "/incidents/INC-1/postmortem", "/incidents/INC-5/comms?audience=customer", "/status" })
            {
                await page.GotoAsync(path);
                await ShouldBeAccessibleAsync(page, path, dark);
                // The demo's status page, with its 90 days of history, is the README's picture of it.
                if (path == "/status" && !dark && Environment.GetEnvironmentVariable("FIREBREAK_SCREENSHOTS") is { Length: > 0 } folder)
                {
                    Directory.CreateDirectory(folder);
                    await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "status-page.png"), FullPage = true });
                }
            }
        }
    }

    [RequiresChromiumFact]
    public async Task A_responder_can_declare_with_the_keyboard_alone()
    {
        var page = await chromium.NewPageAsync(server.Url);
        await CockpitBrowserTests.SignInAsync(page, server.AdminToken);
        await page.GotoAsync("/declare");
        // The title has focus on arrival; Tab enters the severities at SEV0 and each arrow picks the next one.
        await Microsoft.Playwright.Assertions.Expect(page.GetByLabel("What is broken?")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("Keyboard-only declaration");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("Typed in the summary; Ctrl+Enter declares.");
        await page.Keyboard.PressAsync("Control+Enter");
        await Microsoft.Playwright.Assertions.Expect(page.Locator("#incident-title")).ToHaveTextAsync("Keyboard-only declaration");
        await Microsoft.Playwright.Assertions.Expect(page.Locator(".incident-head .sev")).ToContainTextAsync("SEV2");
    }

    private static async Task ShouldBeAccessibleAsync(IPage page, string what, bool dark)
    {
        var results = await page.RunAxe();
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        serious.ShouldBeEmpty(string.Join("\n", serious.Select(v =>
            $"{what} ({(dark ? "dark" : "light")}): {v.Id} {v.Help}: {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")));
    }
}
