using System.Security.Cryptography;
using System.Text;
using Firebreak.Identity;
using Firebreak.Incidents;
using Firebreak.Storage;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.OnCall;

public sealed record SlackOptions
{
    /// <summary>The Slack app's signing secret; the slash-command endpoint answers 404 until it is set.</summary>
    public string? SigningSecret { get; init; }
}

/// <summary>
/// Slack slash commands at <c>POST /slack/commands</c>: <c>/oncall [schedule]</c>, <c>/ack &lt;page&gt;</c> and
/// <c>/incident list|show INC-n|declare SEV2 &lt;service&gt; &lt;title&gt;</c>. Requests are verified with Slack's v0 signature
/// (HMAC-SHA256 over <c>v0:{timestamp}:{body}</c>, compared in constant time; older than five minutes is refused) and
/// answered at once, well inside Slack's three seconds.
/// </summary>
public static class SlackCommands
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    public static IEndpointRouteBuilder MapSlack(this IEndpointRouteBuilder app)
    {
        app.MapPost("/slack/commands", Handle).AllowAnonymous().WithTags("Slack").WithSummary("Slack slash commands (signed requests only)");
        return app;
    }

    public static bool SignatureValid(string secret, string? timestamp, string? signature, byte[] body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature) || !long.TryParse(timestamp, out var seconds)) return false;
        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > MaxAge.TotalSeconds) return false;
        var signed = Encoding.UTF8.GetBytes($"v0:{timestamp}:").Concat(body).ToArray();
        var expected = "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature));
    }

    private static async Task<IResult> Handle(HttpContext http, SlackOptions options, FirebreakDb db, PageEngine pages, IncidentCommands incidents, TimeProvider clock)
    {
        if (options.SigningSecret is not { Length: > 0 } secret) return TypedResults.NotFound();
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var body = buffer.ToArray();
        if (!SignatureValid(secret, http.Request.Headers["X-Slack-Request-Timestamp"], http.Request.Headers["X-Slack-Signature"], body, clock.GetUtcNow()))
            return TypedResults.Problem(statusCode: 401, title: "Bad Slack signature", detail: "X-Slack-Signature does not match, or the request is older than five minutes.");
        var form = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
        var command = form.GetValueOrDefault("command").ToString();
        var text = form.GetValueOrDefault("text").ToString().Trim();
        var user = form.GetValueOrDefault("user_name").ToString();
        var ct = http.RequestAborted;
        var answer = command switch
        {
            "/oncall" => await OnCallAsync(db, text, clock, ct),
            "/ack" => await AckAsync(pages, text, user, ct),
            "/incident" => await IncidentAsync(db, incidents, text, user, ct),
            _ => $"Firebreak does not know {command}. Try /oncall, /ack <page> or /incident list|show|declare.",
        };
        return TypedResults.Json(new { response_type = "ephemeral", text = answer });
    }

    private static async Task<string> OnCallAsync(FirebreakDb db, string schedule, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var query = db.WithShifts();
        var schedules = await (schedule.Length == 0 ? query : query.Where(s => s.Name == schedule)).OrderBy(s => s.Name).ToListAsync(ct);
        if (schedules.Count == 0) return schedule.Length == 0 ? "No schedules yet." : $"No schedule '{schedule}'.";
        return string.Join('\n', schedules.Select(s => $"{s.Name}: {Rotation.OnCallAt(s, now)?.Handle ?? "nobody (gap)"}"));
    }

    private static async Task<string> AckAsync(PageEngine pages, string text, string user, CancellationToken ct)
    {
        if (!long.TryParse(text.TrimStart('#'), out var id)) return "Usage: /ack <page id>";
        var page = await pages.AcknowledgeAsync(id, "slack:" + user, ct);
        return page is null ? $"No page {id}." : $"Page {id} acknowledged by {user}: {page.Summary}";
    }

    private static async Task<string> IncidentAsync(FirebreakDb db, IncidentCommands incidents, string text, string user, CancellationToken ct)
    {
        var words = text.Split(' ', 4, StringSplitOptions.RemoveEmptyEntries);
        // Slack users are not Firebreak people: commands run as the automation user, which sees only public incidents here.
        var actor = await AdminBootstrap.AutomationAsync(db, ct, seesPrivate: false);
        switch (words.FirstOrDefault())
        {
            case "list":
                var rows = await IncidentQueries.ListAsync(db, actor, new IncidentFilter(null, null, null, true, 10), ct);
                return rows.Count == 0 ? "No active incidents." : string.Join('\n', rows.Select(r => $"{r.Id} {r.Severity} {r.Status}: {r.Title}"));
            case "show" when words.Length > 1:
                var number = await IncidentEndpoints.VisibleNumberAsync(db, actor, words[1], ct);
                if (number is null) return $"No incident {words[1]}.";
                var view = await IncidentQueries.ViewAsync(db, number.Value, ct);
                return $"{view.Id} {view.Severity} {view.Status}: {view.Title}\n" + (view.LatestUpdate is { } u ? $"Latest: {u.Condition}" : "No update yet.");
            case "declare" when words.Length == 4:
                var declared = await incidents.DeclareAsync(actor, new DeclareIncidentRequest(words[3], words[1], [words[2]], $"Declared from Slack by @{user}."), ct);
                return declared.Refusal is { } refusal ? $"Not declared: {refusal.Detail}" : $"Declared {declared.Value!.Id} ({declared.Value.Severity}) on {words[2]}: {declared.Value.Title}";
            default:
                return "Usage: /incident list | /incident show INC-12 | /incident declare SEV2 <service> <title>";
        }
    }
}
