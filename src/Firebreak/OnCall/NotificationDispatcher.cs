using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Firebreak.Storage;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.OnCall;

public sealed record PagingOptions
{
    /// <summary>Attempts before a notification is given up as failed.</summary>
    public int MaxAttempts { get; init; } = 8;
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>The HMAC-SHA256 key generic webhooks are signed with (X-Firebreak-Signature); generated into the data dir when unset.</summary>
    public string? WebhookSecret { get; init; }
    /// <summary>Where email goes out; email contact methods need it.</summary>
    public SmtpOptions? Smtp { get; init; }
}

public sealed record SmtpOptions
{
    public string? Host { get; init; }
    public int Port { get; init; } = 25;
    public string From { get; init; } = "firebreak@localhost";
    public string? Username { get; init; }
    public string? Password { get; init; }
    /// <summary>Upgrade with STARTTLS when the server offers it (the default); "none" for a local relay or test sink.</summary>
    public string Security { get; init; } = "auto";
}

/// <summary>
/// Sends the outbox: due notifications are sent concurrently, each with its own timeout, so a dead endpoint
/// delays nothing else. Failures are retried with exponential backoff and jitter and recorded on the page.
/// Delivery is at least once; every message carries its idempotency key.
/// </summary>
public sealed partial class NotificationDispatcher(IServiceScopeFactory scopes, IHttpClientFactory http, PagingOptions options, WebhookSigner signer,
    OutboxSignal outbox, TimeProvider clock, ILogger<NotificationDispatcher> log) : BackgroundService
{
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // New notifications wake the dispatcher at once; the poll catches retries and delayed contact methods.
                await outbox.WaitAsync(Poll, stoppingToken);
                await SendDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { LogDispatchFailed(log, e); }
        }
    }

    public async Task SendDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirebreakDb>();
        var engine = scope.ServiceProvider.GetRequiredService<PageEngine>();
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.Set<Notification>().Where(n => n.Status == NotificationStatus.Pending && n.DueAt <= now).OrderBy(n => n.DueAt).Take(50).ToListAsync(ct);
        if (due.Count == 0) return;
        var pages = await db.Set<Page>().AsNoTracking().Where(p => due.Select(d => d.PageId).Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        // The first five seconds travel with the page: what broke, how bad, what to try first, who else to call.
        var contexts = new Dictionary<long, Catalog.ContextView>();
        var system = Identity.Actor.Firebreak(null);
        foreach (var page in pages.Values.Where(p => p.IncidentNumber is not null))
            contexts[page.Id] = await Catalog.ContextEndpoints.ForIncidentAsync(db, clock, system, page.IncidentNumber!.Value, ct);
        var results = await Task.WhenAll(due.Select(n => SendAsync(n, pages[n.PageId], contexts.GetValueOrDefault(n.PageId), engine, ct)));
        now = clock.GetUtcNow().UtcDateTime;
        var onIncidents = new List<(int Incident, long Page, string Text)>();
        foreach (var (n, error) in due.Zip(results))
        {
            var page = pages[n.PageId];
            if (page.IncidentNumber is { } incident)
                onIncidents.Add((incident, page.Id, error is null ? $"Page {page.Id}: {n.Kind} delivered to {n.Handle}" : $"Page {page.Id}: {n.Kind} to {n.Handle} failed (attempt {n.Attempts + 1}): {error}"));
            n.Attempts++;
            if (error is null)
            {
                n.Status = NotificationStatus.Sent;
                n.SentAt = now;
                db.Set<PageEvent>().Add(new PageEvent { PageId = n.PageId, At = now, Kind = "notified", Text = $"Sent {n.Kind} to {n.Handle} (attempt {n.Attempts})" });
            }
            else if (n.Attempts >= options.MaxAttempts)
            {
                n.Status = NotificationStatus.Failed;
                n.LastError = error;
                db.Set<PageEvent>().Add(new PageEvent { PageId = n.PageId, At = now, Kind = "notification-failed", Text = $"Gave up on {n.Kind} to {n.Handle} after {n.Attempts} attempts: {error}" });
            }
            else
            {
                var backoff = Backoff.Seconds(n.Attempts);
                n.DueAt = now.AddSeconds(backoff);
                n.LastError = error;
                db.Set<PageEvent>().Add(new PageEvent { PageId = n.PageId, At = now, Kind = "notification-retry", Text = $"{n.Kind} to {n.Handle} failed ({error}); retrying in {backoff:0.#}s" });
            }
        }
        await db.SaveChangesAsync(ct);

        // Every attempt is on the incident's timeline too, so responders see who was reached and who was not.
        if (onIncidents.Count > 0)
        {
            var commands = scope.ServiceProvider.GetRequiredService<Incidents.IncidentCommands>();
            var actor = await Identity.AdminBootstrap.AutomationAsync(db, ct);
            foreach (var (incident, pageId, text) in onIncidents)
                await commands.RecordAlertsAsync(actor, Incidents.Incident.FormatId(incident), Incidents.TimelineEventKind.Paged, text, new { page = pageId }, ct);
        }
    }

    private async Task<string?> SendAsync(Notification n, Page page, Catalog.ContextView? context, PageEngine engine, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.SendTimeout);
        try
        {
            var ack = engine.Link(page.Id, "ack");
            var escalate = engine.Link(page.Id, "escalate");
            if (n.Kind == "email") return await SendEmailAsync(n, page, context, ack, escalate, timeout.Token);
            var body = n.Template is { } template ? WebhookTemplates.Render(template, page, n, context, ack, escalate) : n.Kind switch
            {
                "slack" => JsonSerializer.Serialize(Messages.Slack(page, n, context, ack, escalate), PagingJson.Options),
                "teams" => JsonSerializer.Serialize(Messages.Teams(page, n, context, ack, escalate), PagingJson.Options),
                _ => JsonSerializer.Serialize(Messages.Webhook(page, n, context, ack, escalate), PagingJson.Options),
            };
            using var request = new HttpRequestMessage(HttpMethod.Post, n.Address) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", n.IdempotencyKey);
            if (n.Kind == "webhook") request.Headers.Add("X-Firebreak-Signature", "sha256=" + signer.Sign(body));
            using var response = await http.CreateClient("notifications").SendAsync(request, timeout.Token);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException or InvalidOperationException
            or System.Net.Sockets.SocketException or IOException or MailKit.ProtocolException or MailKit.Net.Smtp.SmtpCommandException or MailKit.Security.AuthenticationException)
        {
            return e is TaskCanceledException or OperationCanceledException ? "timed out" : e.Message;
        }
    }

    private async Task<string?> SendEmailAsync(Notification n, Page page, Catalog.ContextView? context, string ack, string escalate, CancellationToken ct)
    {
        if (options.Smtp?.Host is null) return "no SMTP server configured (Firebreak:Paging:Smtp:Host)";
        var body = $"{page.Summary}\n\nPolicy {page.Policy}, step {page.Step + 1}" + (page.IncidentNumber is { } i ? $", incident {Incidents.Incident.FormatId(i)}" : "")
            + string.Concat(Messages.ContextLines(context).Select(l => "\n" + l))
            + $"\n\nAcknowledge: {ack}\nEscalate:    {escalate}\n\nIdempotency key: {n.IdempotencyKey}\n";
        await Comms.Mail.SendAsync(options.Smtp, n.Address, $"[Firebreak] Page {page.Id}: {page.Summary}", body,
            new Dictionary<string, string> { ["X-Firebreak-Idempotency-Key"] = n.IdempotencyKey }, ct);
        return null;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification dispatch failed; retrying")]
    private static partial void LogDispatchFailed(ILogger logger, Exception e);
}

/// <summary>Tells the dispatcher that notifications were committed.</summary>
public sealed class OutboxSignal : Alerts.Wakeup;

/// <summary>How long an outbox waits before trying a failed send again.</summary>
public static class Backoff
{
    /// <summary>1 s, 2 s, 4 s … capped at 5 minutes, ±20% so a recovering endpoint is not hit by everything at once.</summary>
    public static double Seconds(int attempts) => Math.Min(300, Math.Pow(2, attempts - 1)) * (0.8 + Random.Shared.NextDouble() * 0.4);
}

/// <summary>Signs generic webhook bodies (HMAC-SHA256) so receivers can check they come from this Firebreak.</summary>
public sealed class WebhookSigner(byte[] key)
{
    public string Sign(string body) => Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(body)));

    public static WebhookSigner Load(PagingOptions options, string dataDir)
    {
        if (options.WebhookSecret is { Length: > 0 } configured) return new WebhookSigner(Encoding.UTF8.GetBytes(configured));
        var file = Path.Combine(dataDir, "webhook.secret");
        if (!File.Exists(file))
        {
            Directory.CreateDirectory(dataDir);
            File.WriteAllText(file, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return new WebhookSigner(Encoding.UTF8.GetBytes(File.ReadAllText(file).Trim()));
    }
}

/// <summary>The page as each channel shows it: the summary first, then what to click.</summary>
public static class Messages
{
    /// <summary>The context block as short lines: what broke, how bad, try first, who to call.</summary>
    public static IEnumerable<string> ContextLines(Catalog.ContextView? c)
    {
        if (c is null) yield break;
        if (c.ServiceName is not null) yield return $"What broke: {c.ServiceName} ({c.Service}), {c.Severity}";
        if (c.BlastRadius is { } b) yield return $"How bad: tier {c.Tier}; {b.Downstream.Count} service(s) downstream" + (b.Tier1.Count > 0 ? $", tier 1: {string.Join(", ", b.Tier1)}" : "");
        if (c.TryFirst is not null) yield return $"Try first: {c.TryFirst}";
        if (c.Who.Team is not null) yield return $"Who: {c.Who.Team} {c.Who.Channel} (on call: {c.Who.OnCall ?? "unknown"})";
    }

    public static object Webhook(Page page, Notification n, Catalog.ContextView? context, string ack, string escalate) => new
    {
        idempotencyKey = n.IdempotencyKey,
        page = new { id = page.Id, page.Summary, policy = page.Policy, step = page.Step + 1, round = page.Round + 1, status = page.Status.ToString().ToLowerInvariant() },
        incident = page.IncidentNumber is { } i ? Incidents.Incident.FormatId(i) : null,
        to = n.Handle,
        context,
        acknowledgeUrl = ack,
        escalateUrl = escalate,
    };

    public static object Slack(Page page, Notification n, Catalog.ContextView? context, string ack, string escalate) => new
    {
        text = $":rotating_light: Page {page.Id} for {n.Handle}: {page.Summary}",
        blocks = new object[]
        {
            new { type = "section", text = new { type = "mrkdwn", text = $"*Page {page.Id}*: {page.Summary}\nPolicy `{page.Policy}`, step {page.Step + 1}" + (page.IncidentNumber is { } i ? $", incident {Incidents.Incident.FormatId(i)}" : "")
                + string.Concat(ContextLines(context).Select(l => "\n" + l)) } },
            new { type = "actions", elements = new object[]
            {
                new { type = "button", text = new { type = "plain_text", text = "Acknowledge" }, url = ack, style = "primary" },
                new { type = "button", text = new { type = "plain_text", text = "Escalate" }, url = escalate },
            } },
            new { type = "context", elements = new object[] { new { type = "mrkdwn", text = $"Idempotency key {n.IdempotencyKey}" } } },
        },
    };

    public static object Teams(Page page, Notification n, Catalog.ContextView? context, string ack, string escalate) => new
    {
        type = "message",
        attachments = new object[]
        {
            new
            {
                contentType = "application/vnd.microsoft.card.adaptive",
                content = new
                {
                    type = "AdaptiveCard", version = "1.4", schema = "http://adaptivecards.io/schemas/adaptive-card.json",
                    body = new object[]
                    {
                        new { type = "TextBlock", weight = "Bolder", size = "Medium", text = $"Page {page.Id} for {n.Handle}", wrap = true },
                        new { type = "TextBlock", text = page.Summary, wrap = true },
                        new { type = "TextBlock", text = string.Join("\n\n", ContextLines(context)), wrap = true },
                        new { type = "TextBlock", isSubtle = true, text = $"Policy {page.Policy}, step {page.Step + 1}. Idempotency key {n.IdempotencyKey}", wrap = true },
                    },
                    actions = new object[]
                    {
                        new { type = "Action.OpenUrl", title = "Acknowledge", url = ack },
                        new { type = "Action.OpenUrl", title = "Escalate", url = escalate },
                    },
                },
            },
        },
    };
}
