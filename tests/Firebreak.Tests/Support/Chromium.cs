using Microsoft.Playwright;

namespace Firebreak.Tests.Support;

/// <summary>
/// Debian's headless Chromium driven by Playwright, started once for the browser tests. Nothing is downloaded:
/// Playwright is pointed at /usr/bin/chromium.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string Executable = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium did not start.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Executable)) return;
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A fresh browser profile (no cookies) at a laptop or phone size.</summary>
    public async Task<IPage> NewPageAsync(string baseUrl, bool phone = false, bool dark = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 900 },
            ColorScheme = dark ? ColorScheme.Dark : ColorScheme.Light,
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(10_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

[CollectionDefinition(nameof(ChromiumCollection))]
public sealed class ChromiumCollection : ICollectionFixture<ChromiumFixture>;

/// <summary>A browser test: skipped on a machine without Debian's chromium, always run in CI.</summary>
public sealed class RequiresChromiumFactAttribute : FactAttribute
{
    public RequiresChromiumFactAttribute()
    {
        if (!File.Exists(ChromiumFixture.Executable) && Environment.GetEnvironmentVariable("CI") != "true")
            Skip = "Debian's chromium is not installed here (apt-get install chromium; .ci/run installs it). CI runs this test.";
    }
}
