using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Firebreak.Cli;

/// <summary>A refusal or error from the server, carrying the problem document's words for the user.</summary>
public sealed class CliProblem(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>The CLI's only way to Firebreak: its HTTP API.</summary>
public sealed class FirebreakClient(HttpClient http) : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public Uri BaseAddress => http.BaseAddress!;

    public static FirebreakClient Create(string server, string? token)
    {
        var http = new HttpClient { BaseAddress = new Uri(server.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
        if (!string.IsNullOrEmpty(token)) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new FirebreakClient(http);
    }

    public Task<JsonElement> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, ct);

    public Task<JsonElement> PostAsync(string path, object? body, CancellationToken ct) => SendAsync(HttpMethod.Post, path, body, ct);

    public Task<JsonElement> SendPatchAsync(string path, object? body, CancellationToken ct) => SendAsync(HttpMethod.Patch, path, body, ct);

    public Task<JsonElement> DeleteAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Delete, path, null, ct);

    public async Task<string> GetTextAsync(string path, CancellationToken ct)
    {
        using var response = await SendRawAsync(new HttpRequestMessage(HttpMethod.Get, path), ct);
        return await response.Content.ReadAsStringAsync(ct);
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body, options: Json);
        using var response = await SendRawAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new CliProblem($"Cannot reach Firebreak at {http.BaseAddress}: {e.Message}. Is `firebreak serve` running? (set --server or FIREBREAK_URL)", 2);
        }
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            throw new CliProblem(await DescribeAsync(response, ct), (int)response.StatusCode >= 500 ? 2 : 1);
        }
    }

    private static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.StatusCode == HttpStatusCode.Unauthorized)
            return "Not signed in: the token is missing, unknown or revoked (use --token, FIREBREAK_TOKEN or ./firebreak-data/admin.token).";
        var text = await response.Content.ReadAsStringAsync(ct);
        var message = new StringBuilder();
        try
        {
            using var problem = JsonDocument.Parse(text);
            var root = problem.RootElement;
            message.Append(root.TryGetProperty("detail", out var detail) && detail.GetString() is { Length: > 0 } d
                ? d
                : root.TryGetProperty("title", out var title) ? title.GetString() : response.ReasonPhrase);
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in errors.EnumerateObject())
                {
                    foreach (var error in field.Value.EnumerateArray())
                    {
                        if (error.GetString() != message.ToString()) message.Append($"\n  {field.Name}: {error.GetString()}");
                    }
                }
            }
        }
        catch (JsonException)
        {
            message.Append(string.IsNullOrWhiteSpace(text) ? response.ReasonPhrase : text);
        }
        return $"{message} ({(int)response.StatusCode})";
    }

    public void Dispose() => http.Dispose();
}
