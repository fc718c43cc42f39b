using Firebreak.Catalog;
using Firebreak.Identity;

namespace Firebreak.Incidents;

/// <summary>
/// The read model of an incident: the current state that its append-only timeline led to. It is changed
/// only by <see cref="IncidentCommands"/>, in the same transaction as the timeline event that records why.
/// </summary>
public sealed class Incident
{
    /// <summary>The <c>n</c> in <c>INC-n</c>, sequential per installation.</summary>
    public int Number { get; set; }
    public required string Title { get; set; }
    public string? Summary { get; set; }
    public Severity Severity { get; set; }
    public IncidentStatus Status { get; set; }
    public bool IsPrivate { get; set; }

    /// <summary>When impact began; may be back-dated after the fact.</summary>
    public DateTime StartedAt { get; set; }
    public DateTime DetectedAt { get; set; }
    public DateTime DeclaredAt { get; set; }
    public DateTime? AcknowledgedAt { get; set; }
    public DateTime? MitigatedAt { get; set; }
    public DateTime? ResolvedAt { get; set; }
    public DateTime? ClosedAt { get; set; }
    public DateTime? NextUpdateDueAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public int DeclaredById { get; set; }
    public Person? DeclaredBy { get; set; }

    /// <summary>Optimistic concurrency: two commands racing on one incident cannot both win.</summary>
    public int Version { get; set; }

    public List<IncidentServiceLink> Services { get; set; } = [];
    public List<RoleAssignment> Roles { get; set; } = [];
    public List<IncidentMember> Members { get; set; } = [];

    public string Id => FormatId(Number);

    public const string IdPrefix = "INC-";

    public static string FormatId(int number) => IdPrefix + number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Accepts <c>INC-12</c>, <c>inc-12</c> or <c>12</c>.</summary>
    public static bool TryParseId(string? text, out int number)
    {
        number = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var digits = text.Trim();
        if (digits.StartsWith(IdPrefix, StringComparison.OrdinalIgnoreCase)) digits = digits[IdPrefix.Length..];
        return int.TryParse(digits, System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out number) && number > 0;
    }

    public bool IsActive => Status is IncidentStatus.Triage or IncidentStatus.Investigating or IncidentStatus.Mitigated;
}

public sealed class IncidentServiceLink
{
    public int IncidentNumber { get; set; }
    public int ServiceId { get; set; }
    public Service? Service { get; set; }
}

/// <summary>Who holds a response role now. The history of holders is on the timeline.</summary>
public sealed class RoleAssignment
{
    public int IncidentNumber { get; set; }
    public IncidentRole Role { get; set; }
    public int PersonId { get; set; }
    public Person? Person { get; set; }
    public DateTime AssignedAt { get; set; }
}

/// <summary>People who may see a private incident: the declarer, role holders and those added explicitly.</summary>
public sealed class IncidentMember
{
    public int IncidentNumber { get; set; }
    public int PersonId { get; set; }
    public Person? Person { get; set; }
}

/// <summary>A follow-up to make the incident less likely or less bad next time.</summary>
public sealed class ActionItem
{
    public int Id { get; set; }
    public int IncidentNumber { get; set; }
    public required string Title { get; set; }
    public int? OwnerId { get; set; }
    public Person? Owner { get; set; }
    public DateOnly? DueOn { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
}
