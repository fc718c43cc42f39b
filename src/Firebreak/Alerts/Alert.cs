namespace Firebreak.Alerts;

/// <summary>Which kind of sender an integration key belongs to; it decides the wire format it accepts.</summary>
public enum IntegrationKind { Alertmanager, Grafana, PagerDuty, Opsgenie, Generic }

/// <summary>How loud an alert is: pages wake someone, tickets wait for working hours, FYI never notifies.</summary>
public enum AlertTier { Page, Ticket, Fyi }

/// <summary>
/// A sender's credential. The key (<c>fbk_…</c>) is shown once and stored hashed; a Grafana integration may
/// also keep the shared secret it signs its webhooks with.
/// </summary>
public sealed class Integration
{
    public int Id { get; set; }
    public IntegrationKind Kind { get; set; }
    public required string Name { get; set; }
    public required string KeyHash { get; set; }
    public required string KeyPrefix { get; set; }
    public string? SigningSecret { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}

/// <summary>
/// One alert, deduplicated: every delivery with the same (integration, dedup key) lands on this row.
/// Written by <see cref="AlertWriter"/> with hand-written SQL on the hot path; read through EF.
/// </summary>
public sealed class Alert
{
    public long Id { get; set; }
    public int IntegrationId { get; set; }
    /// <summary>Alertmanager/Grafana fingerprint, PagerDuty dedup_key, Opsgenie alias, generic dedup key.</summary>
    public required string DedupKey { get; set; }
    /// <summary>firing, acknowledged or resolved.</summary>
    public required string Status { get; set; }
    public AlertTier Tier { get; set; }
    public required string Severity { get; set; }
    public required string Summary { get; set; }
    public string? Service { get; set; }
    public string? AlertName { get; set; }
    public required string GroupKey { get; set; }
    public required string Labels { get; set; }
    public string? Annotations { get; set; }
    public string? Link { get; set; }
    public required string Source { get; set; }
    public DateTime FirstSeenAt { get; set; }
    public DateTime LastSeenAt { get; set; }
    /// <summary>When the current firing episode began (Alertmanager's startsAt; a trigger's event time).</summary>
    public DateTime OccurrenceAt { get; set; }
    public int Occurrences { get; set; }
    public DateTime? EndsAt { get; set; }
    public DateTime? AcknowledgedAt { get; set; }
    public DateTime? ResolvedAt { get; set; }
    public long? SilenceId { get; set; }
    public DateTime ChangedAt { get; set; }
}

/// <summary>Alerts that belong together (the sender's group key, or service + alertname), triaged as one.</summary>
public sealed class AlertGroup
{
    public long Id { get; set; }
    public required string GroupKey { get; set; }
    public required string Title { get; set; }
    public string? Service { get; set; }
    public DateTime FirstSeenAt { get; set; }
    public DateTime LastChangeAt { get; set; }
    /// <summary>Bumped on every change; triage clears <see cref="NeedsTriage"/> only for the version it saw.</summary>
    public long ChangeSeq { get; set; }
    public bool NeedsTriage { get; set; }
    public DateTime? NotifiedAt { get; set; }
    public int? IncidentNumber { get; set; }
    /// <summary>The page started for this group's current firing episode, if any.</summary>
    public long? PageId { get; set; }
}

/// <summary>Suppresses alerts whose labels match all matchers between two times; suppressed alerts are kept.</summary>
public sealed class Silence
{
    public long Id { get; set; }
    /// <summary>Alertmanager-style matchers, one per line: <c>name=value</c>, <c>!=</c>, <c>=~</c>, <c>!~</c>.</summary>
    public required string Matchers { get; set; }
    public DateTime StartsAt { get; set; }
    public DateTime EndsAt { get; set; }
    public required string CreatedBy { get; set; }
    public string? Comment { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A change event (deploy, config) received from CI/CD, kept for "what changed".</summary>
public sealed class ChangeEvent
{
    public long Id { get; set; }
    /// <summary>The PagerDuty integration it came through, if any; API and git imports have none.</summary>
    public int? IntegrationId { get; set; }
    /// <summary>deploy, config, flag, migration, infra or commit.</summary>
    public string Kind { get; set; } = "deploy";
    public string? Version { get; set; }
    public string? Commit { get; set; }
    public string? Author { get; set; }
    public string? Link { get; set; }
    public string? RecordedBy { get; set; }
    public required string Summary { get; set; }
    public string? Source { get; set; }
    public string? Service { get; set; }
    public DateTime OccurredAt { get; set; }
    public DateTime ReceivedAt { get; set; }
    public string? Details { get; set; }
    public string? Links { get; set; }
}
