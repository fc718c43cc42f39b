namespace Firebreak.Incidents;

public enum TimelineEventKind
{
    Declared,
    SeverityChanged,
    StatusChanged,
    Reopened,
    RoleAssigned,
    RoleRelieved,
    CanUpdate,
    Fact,
    Hypothesis,
    Decision,
    Action,
    Note,
    ActionItemAdded,
    ActionItemCompleted,
    MemberAdded,
    Edited,
    /// <summary>An alert group was linked, e.g. by the auto-declare rule that declared the incident.</summary>
    AlertsLinked,
    /// <summary>Alerts of a linked group fired or resolved.</summary>
    AlertActivity,
    /// <summary>Someone was paged about the incident, or acknowledged the page.</summary>
    Paged,
    /// <summary>A parallel line of work (e.g. "roll back", "customer comms") was opened, with an optional lead.</summary>
    WorkstreamOpened,
    /// <summary>A workstream got a new lead, or was finished.</summary>
    WorkstreamUpdated,
    /// <summary>The update the audience was promised is late; the commander and comms lead were reminded.</summary>
    UpdateOverdue,
    /// <summary>A message drafted from the record was sent to an audience (executives, customers, support…).</summary>
    CommsPosted,
    /// <summary>Something was published to the public status page for this incident.</summary>
    Published,
}

/// <summary>
/// One entry of an incident's timeline. Insert-only: a row is never updated or deleted, and it is written
/// in the same transaction as the state change it records.
/// </summary>
public sealed class TimelineEvent
{
    public long Id { get; set; }
    public int IncidentNumber { get; set; }
    public DateTime At { get; set; }
    public TimelineEventKind Kind { get; set; }
    public int? ActorPersonId { get; set; }
    /// <summary>The actor's handle or integration name at the time, kept even if the person is renamed.</summary>
    public required string Actor { get; set; }
    /// <summary>The entry as a responder reads it.</summary>
    public required string Text { get; set; }
    /// <summary>The structured payload (JSON) for kinds that have one, e.g. a CAN update's three parts.</summary>
    public string? Data { get; set; }

    public static TimelineEventKind KindOf(LogKind kind) => kind switch
    {
        LogKind.Fact => TimelineEventKind.Fact,
        LogKind.Hypothesis => TimelineEventKind.Hypothesis,
        LogKind.Decision => TimelineEventKind.Decision,
        LogKind.Action => TimelineEventKind.Action,
        _ => TimelineEventKind.Note,
    };
}

/// <summary>The payload of a CAN update: Condition, Action, Need.</summary>
public sealed record CanUpdate(string Condition, string? Action, string? Need, DateTime? NextUpdateDueAt);
