using System.Net;
using System.Text.RegularExpressions;

namespace Firebreak.Tests.Support;

/// <summary>
/// What a browser does, over plain HTTP: keeps cookies, reads the anti-forgery token off a page, posts forms
/// and does not follow redirects (so tests see them).
/// </summary>
public sealed partial class BrowserSession : IDisposable
{
    private readonly HttpClient _http;

    public BrowserSession(string baseUrl)
    {
        Cookies = new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
    }

    public CookieContainer Cookies { get; }
    public HttpClient Http => _http;

    /// <summary>The token from the last page read, as its forms carry it.</summary>
    public string? FormToken { get; private set; }

    public async Task<HttpResponseMessage> GetAsync(string path)
    {
        var response = await _http.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        if (FormTokenField().Match(html) is { Success: true } m) FormToken = WebUtility.HtmlDecode(m.Groups[1].Value);
        return response;
    }

    public Task<HttpResponseMessage> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>> fields, bool withToken = true)
    {
        var all = fields.ToList();
        if (withToken && FormToken is not null) all.Add(new("__RequestVerificationToken", FormToken));
        return _http.PostAsync(path, new FormUrlEncodedContent(all));
    }

    public async Task<HttpResponseMessage> SignInAsync(string token, string? returnUrl = null)
    {
        await GetAsync("/signin");
        var fields = new Dictionary<string, string> { ["token"] = token };
        if (returnUrl is not null) fields["returnUrl"] = returnUrl;
        return await PostFormAsync("/signin", fields);
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex FormTokenField();
}
