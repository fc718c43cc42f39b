namespace Firebreak.Comms;

/// <summary>Statuspage's component statuses, in order of how bad they are.</summary>
public enum ComponentStatus { Operational, DegradedPerformance, PartialOutage, MajorOutage, UnderMaintenance }

/// <summary>How bad a public incident is for customers; it sets the page's overall indicator.</summary>
public enum PublicImpact { None, Minor, Major, Critical }

/// <summary>What customers see as one part of the product, usually mapped to a catalog service.</summary>
public sealed class StatusComponent
{
    public int Id { get; set; }
    /// <summary>The stable identifier used in the API and the JSON feeds, e.g. <c>checkout</c>.</summary>
    public required string Key { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public int? ServiceId { get; set; }
    public Catalog.Service? Service { get; set; }
    public ComponentStatus Status { get; set; }
    public int Position { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>Every status a component has had, from which its 90-day uptime is computed.</summary>
public sealed class ComponentStatusChange
{
    public long Id { get; set; }
    public int ComponentId { get; set; }
    public ComponentStatus Status { get; set; }
    public DateTime At { get; set; }
}

/// <summary>
/// An incident or a scheduled maintenance as the public sees it: its own title, impact and updates, kept
/// apart from the internal record it may be linked to. Private incidents are never published.
/// </summary>
public sealed class PublicIncident
{
    public int Id { get; set; }
    public int? IncidentNumber { get; set; }
    public required string Title { get; set; }
    public PublicImpact Impact { get; set; }
    /// <summary>investigating, identified, monitoring, resolved; for maintenance scheduled, in_progress, verifying, completed.</summary>
    public required string Status { get; set; }
    public bool IsMaintenance { get; set; }
    public DateTime? ScheduledFor { get; set; }
    public DateTime? ScheduledUntil { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? ResolvedAt { get; set; }
    public List<PublicIncidentComponent> Components { get; set; } = [];
    public List<PublicUpdate> Updates { get; set; } = [];
}

public sealed class PublicIncidentComponent
{
    public int PublicIncidentId { get; set; }
    public int ComponentId { get; set; }
    public StatusComponent? Component { get; set; }
}

/// <summary>One public update: what customers were told, when, and how the affected components stood.</summary>
public sealed class PublicUpdate
{
    public long Id { get; set; }
    public int PublicIncidentId { get; set; }
    public required string Status { get; set; }
    public required string Body { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>JSON: [{ "key": "checkout", "status": "major_outage" }] at the time of the update.</summary>
    public string? AffectedComponents { get; set; }
}

/// <summary>Someone who gets every public update: an email address (confirmed by double opt-in) or a webhook.</summary>
public sealed class Subscriber
{
    public int Id { get; set; }
    /// <summary>email or webhook.</summary>
    public required string Kind { get; set; }
    public required string Address { get; set; }
    /// <summary>SHA-256 of the secret in the confirmation link; null once confirmed.</summary>
    public string? ConfirmTokenHash { get; set; }
    /// <summary>The secret in every message's unsubscribe link.</summary>
    public required string UnsubscribeToken { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ConfirmedAt { get; set; }
    public DateTime? UnsubscribedAt { get; set; }
}
