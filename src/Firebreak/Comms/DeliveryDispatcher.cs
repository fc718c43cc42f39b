using System.Text;
using System.Text.Json;
using Firebreak.OnCall;
using Firebreak.Storage;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.Comms;

/// <summary>
/// Sends due <see cref="Delivery"/> rows: concurrently, each within the send timeout, retried with exponential
/// backoff and jitter up to the configured attempts, with an idempotency key so a receiver can drop repeats.
/// </summary>
public sealed partial class DeliveryDispatcher(IServiceScopeFactory scopes, IHttpClientFactory http, PagingOptions options,
    WebhookSigner signer, DeliverySignal signal, TimeProvider clock, ILogger<DeliveryDispatcher> log) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await signal.WaitAsync(Poll, stoppingToken);
                await SendDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { LogFailed(log, e); }
        }
    }

    public async Task SendDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirebreakDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.Set<Delivery>().Where(d => d.Status == NotificationStatus.Pending && d.DueAt <= now)
            .OrderBy(d => d.DueAt).Take(100).ToListAsync(ct);
        if (due.Count == 0) return;
        var results = await Task.WhenAll(due.Select(d => SendAsync(d, ct)));
        now = clock.GetUtcNow().UtcDateTime;
        foreach (var (d, error) in due.Zip(results))
        {
            d.Attempts++;
            if (error is null)
            {
                d.Status = NotificationStatus.Sent;
                d.SentAt = now;
            }
            else if (d.Attempts >= options.MaxAttempts)
            {
                d.Status = NotificationStatus.Failed;
                d.LastError = error;
                LogGaveUp(log, d.Purpose, d.Kind, d.Address, d.Attempts, error);
            }
            else
            {
                d.DueAt = now.AddSeconds(Backoff.Seconds(d.Attempts));
                d.LastError = error;
            }
        }
        await db.SaveChangesAsync(ct);
    }

    private async Task<string?> SendAsync(Delivery d, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.SendTimeout);
        try
        {
            if (d.Kind == "email")
            {
                if (options.Smtp is null) return "no SMTP server configured (Firebreak:Paging:Smtp:Host)";
                await Mail.SendAsync(options.Smtp, d.Address, d.Subject ?? "Firebreak", d.Body,
                    new Dictionary<string, string> { ["X-Firebreak-Idempotency-Key"] = d.IdempotencyKey }, timeout.Token);
                return null;
            }
            var body = d.Kind == "webhook" && d.Json is not null ? d.Json : JsonSerializer.Serialize(new { text = d.Body });
            using var request = new HttpRequestMessage(HttpMethod.Post, d.Address) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", d.IdempotencyKey);
            if (d.Kind == "webhook") request.Headers.Add("X-Firebreak-Signature", "sha256=" + signer.Sign(body));
            using var response = await http.CreateClient("notifications").SendAsync(request, timeout.Token);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException or InvalidOperationException
            or System.Net.Sockets.SocketException or IOException or MailKit.ProtocolException or MailKit.Net.Smtp.SmtpCommandException
            or MailKit.Security.AuthenticationException or MimeKit.ParseException)
        {
            return e is TaskCanceledException or OperationCanceledException ? "timed out" : e.Message;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Comms delivery failed; retrying")]
    private static partial void LogFailed(ILogger logger, Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave up on {Purpose} {Kind} to {Address} after {Attempts} attempts: {Error}")]
    private static partial void LogGaveUp(ILogger logger, string purpose, string kind, string address, int attempts, string error);
}
