using System.Security.Cryptography;
using Firebreak.Hosting;
using Firebreak.Identity;
using Firebreak.Storage;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.Comms;

public sealed record SubscriberView(int Id, string Kind, string Address, DateTime CreatedAt, DateTime? ConfirmedAt, DateTime? UnsubscribedAt);

public sealed record AddSubscriberRequest(string? Email = null, string? Webhook = null);

/// <summary>
/// Who gets the public updates. Anyone may subscribe an email address from the page; it receives nothing but the
/// confirmation link until it is confirmed (double opt-in). Webhook subscribers are added by admins: a public
/// form that makes Firebreak post to any URL would let strangers aim it at the internal network.
/// </summary>
public sealed class StatusSubscriptions(FirebreakDb db, TimeProvider clock, DeliverySignal deliveries, OnCall.PublicUrl publicUrl)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Who the audit trail names for what strangers do on the public page (the address is the target).</summary>
    private static readonly Actor Public = new(null, "public", false, 0);

    /// <summary>Starts a double opt-in. The answer is the same whether or not the address was already subscribed.</summary>
    public async Task<Outcome<bool>> SubscribeEmailAsync(string? email, CancellationToken ct)
    {
        var address = email?.Trim();
        if (string.IsNullOrEmpty(address) || address.Length > 254 || !address.Contains('@', StringComparison.Ordinal)
            || !MimeKit.MailboxAddress.TryParse(address, out var parsed) || parsed.Address != address)
            return Refusal.Invalid("email", "That is not an email address.");
        var now = Now;
        var existing = await db.Set<Subscriber>().FirstOrDefaultAsync(s => s.Kind == "email" && s.Address == address, ct);
        if (existing is { ConfirmedAt: not null, UnsubscribedAt: null }) return true;
        var secret = NewSecret();
        if (existing is null)
        {
            existing = new Subscriber { Kind = "email", Address = address, UnsubscribeToken = NewSecret(), CreatedAt = now };
            db.Add(existing);
        }
        existing.ConfirmTokenHash = ApiToken.HashOf(secret);
        existing.ConfirmedAt = null;
        existing.UnsubscribedAt = null;
        var link = $"{publicUrl.Value}/status/subscriptions/confirm?token={secret}";
        db.Add(new Delivery
        {
            Purpose = "subscription-confirm", Kind = "email", Address = address,
            Subject = "Confirm your status updates subscription",
            Body = $"Someone (hopefully you) asked for status updates at this address.\n\nConfirm: {link}\n\nIf it was not you, ignore this message: nothing more will be sent.\n",
            IdempotencyKey = $"confirm-{ApiToken.HashOf(secret)[..32]}", DueAt = now, CreatedAt = now,
        });
        db.Audit(Public, "status.subscribe", address, now);
        await db.SaveChangesAsync(ct);
        deliveries.Wake();
        return true;
    }

    public async Task<bool> ConfirmAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100) return false;
        var hash = ApiToken.HashOf(token.Trim());
        var subscriber = await db.Set<Subscriber>().FirstOrDefaultAsync(s => s.ConfirmTokenHash == hash, ct);
        if (subscriber is null) return false;
        subscriber.ConfirmedAt = Now;
        subscriber.ConfirmTokenHash = null;
        db.Audit(Public, "status.subscription.confirm", subscriber.Address, Now);
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task<bool> UnsubscribeAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100) return false;
        var subscriber = await db.Set<Subscriber>().FirstOrDefaultAsync(s => s.UnsubscribeToken == token.Trim(), ct);
        if (subscriber is null) return false;
        subscriber.UnsubscribedAt ??= Now;
        db.Audit(Public, "status.unsubscribe", subscriber.Address, Now);
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task<Outcome<SubscriberView>> AddAsync(Actor actor, AddSubscriberRequest request, CancellationToken ct)
    {
        if (!actor.IsAdmin) return Refusal.Forbidden("Only admins add subscribers; anyone can subscribe an email address on /status.");
        if (request.Webhook is null)
        {
            var started = await SubscribeEmailAsync(request.Email, ct);
            if (started.Refusal is { } refused) return refused;
            return View(await db.Set<Subscriber>().AsNoTracking().FirstAsync(s => s.Kind == "email" && s.Address == request.Email!.Trim(), ct));
        }
        if (!Uri.TryCreate(request.Webhook.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            return Refusal.Invalid("webhook", "A webhook subscriber needs an http(s) URL.");
        var now = Now;
        var subscriber = await db.Set<Subscriber>().FirstOrDefaultAsync(s => s.Kind == "webhook" && s.Address == url.AbsoluteUri, ct);
        if (subscriber is null)
        {
            subscriber = new Subscriber { Kind = "webhook", Address = url.AbsoluteUri, UnsubscribeToken = NewSecret(), CreatedAt = now };
            db.Add(subscriber);
        }
        subscriber.ConfirmedAt = now;
        subscriber.UnsubscribedAt = null;
        db.Audit(actor, "status.subscriber.add", url.AbsoluteUri, now);
        await db.SaveChangesAsync(ct);
        return View(subscriber);
    }

    public async Task<IReadOnlyList<SubscriberView>> ListAsync(CancellationToken ct) =>
        [.. (await db.Set<Subscriber>().AsNoTracking().OrderBy(s => s.Id).ToListAsync(ct)).Select(View)];

    private static SubscriberView View(Subscriber s) => new(s.Id, s.Kind, s.Address, s.CreatedAt, s.ConfirmedAt, s.UnsubscribedAt);

    private static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
}
