using System.Text.Json;

namespace Firebreak.OnCall;

/// <summary>
/// Ordered steps: notify the targets of a step, wait its delay, go to the next; after the last step start again,
/// up to <see cref="Repeat"/> more times. A page walks these steps until someone acknowledges.
/// </summary>
public sealed class EscalationPolicy
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    /// <summary>The steps as JSON (<see cref="EscalationStep"/>).</summary>
    public required string Steps { get; set; }
    public int Repeat { get; set; }
    public string ManagedBy { get; set; } = "api";
    public DateTime CreatedAt { get; set; }

    public IReadOnlyList<EscalationStep> StepList => JsonSerializer.Deserialize<List<EscalationStep>>(Steps, PagingJson.Options) ?? [];
}

/// <summary>
/// Targets are "schedule:api-primary", "person:jtsimmons" or "team:API"; the delay is how long to wait before the next
/// step. A step with a window (e.g. 09:00-18:00 in a time zone) is skipped outside it: the page goes straight on.
/// </summary>
public sealed record EscalationStep(IReadOnlyList<string> Targets, TimeSpan Delay, string? Window = null, string? TimeZone = null)
{
    public bool Applies(DateTime utc)
    {
        if (!DailyWindow.TryParse(Window, out var window)) return true;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZone ?? "UTC");
        return window.Contains(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone).TimeOfDay);
    }
}

/// <summary>How to reach a person: a channel and its address, and how long after the page starts to use it.</summary>
public sealed class ContactMethod
{
    public int Id { get; set; }
    public int PersonId { get; set; }
    /// <summary>webhook, slack or teams (an incoming-webhook URL), or email (an address).</summary>
    public required string Kind { get; set; }
    public required string Address { get; set; }
    /// <summary>Wait this long after the person is paged before using this method ("webhook now, email after 5 minutes").</summary>
    public TimeSpan Delay { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>Generic webhooks only: a Liquid template for the body (default: Firebreak's JSON).</summary>
    public string? Template { get; set; }
}

public enum PageStatus { Triggered, Acknowledged, Resolved }

/// <summary>One escalation in progress (or done): who was paged, for what, and who acknowledged.</summary>
public sealed class Page
{
    public long Id { get; set; }
    public required string Policy { get; set; }
    public required string Summary { get; set; }
    public PageStatus Status { get; set; }
    /// <summary>The step whose notifications went out last, and which round of the policy it is in.</summary>
    public int Step { get; set; }
    public int Round { get; set; }
    public int? IncidentNumber { get; set; }
    public string? AlertGroupKey { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? AcknowledgedAt { get; set; }
    public string? AcknowledgedBy { get; set; }
    public DateTime? ResolvedAt { get; set; }
    public DateTime? NextStepAt { get; set; }
}

/// <summary>The page's own timeline: steps reached, notifications sent or failed, acknowledgement. Insert-only.</summary>
public sealed class PageEvent
{
    public long Id { get; set; }
    public long PageId { get; set; }
    public DateTime At { get; set; }
    public required string Kind { get; set; }
    public required string Text { get; set; }
}

public enum NotificationStatus { Pending, Sent, Failed }

/// <summary>
/// The outbox: a notification is committed before it is attempted, then sent (at least once) by the dispatcher with
/// retries, backoff and jitter. <see cref="IdempotencyKey"/> travels in every message so receivers can drop repeats.
/// </summary>
public sealed class Notification
{
    public long Id { get; set; }
    public long PageId { get; set; }
    public int PersonId { get; set; }
    public required string Handle { get; set; }
    public required string Kind { get; set; }
    public required string Address { get; set; }
    public required string IdempotencyKey { get; set; }
    public string? Template { get; set; }
    public NotificationStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime DueAt { get; set; }
    public DateTime? SentAt { get; set; }
    public string? LastError { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal static class PagingJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
