using Firebreak.OnCall;

namespace Firebreak.Comms;

/// <summary>
/// One message Comms owes someone (a reminder to a commander, a public update to a subscriber, an opt-in
/// confirmation), committed with the change that caused it and sent by <see cref="DeliveryDispatcher"/>.
/// Unlike a page's notifications, its content is fixed when it is written.
/// </summary>
public sealed class Delivery
{
    public long Id { get; set; }
    /// <summary>reminder, status-update or subscription-confirm.</summary>
    public required string Purpose { get; set; }
    /// <summary>email, webhook, slack or teams.</summary>
    public required string Kind { get; set; }
    public required string Address { get; set; }
    public string? Subject { get; set; }
    public required string Body { get; set; }
    /// <summary>For webhooks: the JSON document to post (else the body is sent as text).</summary>
    public string? Json { get; set; }
    public required string IdempotencyKey { get; set; }
    public NotificationStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime DueAt { get; set; }
    public DateTime? SentAt { get; set; }
    public string? LastError { get; set; }
    public DateTime CreatedAt { get; set; }
    public int? IncidentNumber { get; set; }
}

public sealed class DeliverySignal : Alerts.Wakeup;
