using Firebreak.Hosting;

namespace Firebreak.Incidents;

/// <summary>
/// The lifecycle rules in one place, free of storage and HTTP: each method takes the current state and a
/// requested change and returns the reason it is refused, or null when it is allowed.
/// triage → investigating → mitigated → resolved → closed; mitigated may fall back to investigating;
/// resolved and closed incidents come back only through an explicit re-open.
/// </summary>
public static class IncidentLifecycle
{
    public static Refusal? StatusChange(string id, IncidentStatus from, IncidentStatus to)
    {
        if (from == to) return Refusal.Conflict($"{id} is already {to.Format()}.");
        if (to == IncidentStatus.Triage)
            return Refusal.Conflict($"{id} cannot go back to triage once it has left it.");
        if (from is IncidentStatus.Resolved or IncidentStatus.Closed && to is not IncidentStatus.Closed)
            return Refusal.Conflict(
                $"{id} is {from.Format()}; re-open it explicitly (firebreak reopen {id}) before moving it to {to.Format()}.");
        if (to == IncidentStatus.Closed && from != IncidentStatus.Resolved)
            return Refusal.Conflict($"{id} cannot be closed while it is {from.Format()}: resolve it first.");
        return null;
    }

    public static Refusal? Reopen(string id, IncidentStatus from) =>
        from is IncidentStatus.Resolved or IncidentStatus.Closed
            ? null
            : Refusal.Conflict($"{id} is {from.Format()}, not resolved or closed: there is nothing to re-open.");

    public static Refusal? SeverityChange(string id, IncidentStatus status, Severity from, Severity to)
    {
        if (status == IncidentStatus.Closed) return Refusal.Conflict($"{id} is closed; re-open it to change its severity.");
        if (from == to) return Refusal.Conflict($"{id} is already {to.Format()}.");
        return null;
    }

    /// <summary>Role changes and CAN updates are for incidents still being worked or just resolved.</summary>
    public static Refusal? Respond(string id, IncidentStatus status) =>
        status == IncidentStatus.Closed ? Refusal.Conflict($"{id} is closed; re-open it first.") : null;

    public static Refusal? AssignRole(string id, IncidentStatus status, IncidentRole role, int personId,
        IEnumerable<(IncidentRole Role, int PersonId)> holders, string handle)
    {
        if (Respond(id, status) is { } refused) return refused;
        if (holders.Any(h => h.Role == role && h.PersonId == personId))
            return Refusal.Conflict($"{handle} is already {role.Format()} of {id}.");
        return null;
    }

    public static Refusal? RelieveRole(string id, IncidentStatus status, IncidentRole role, int personId,
        IEnumerable<(IncidentRole Role, int PersonId)> holders, string handle)
    {
        if (Respond(id, status) is { } refused) return refused;
        if (!holders.Any(h => h.Role == role && h.PersonId == personId))
            return Refusal.Conflict($"{handle} is not {role.Format()} of {id}.");
        return null;
    }

    /// <summary>Moves the incident and stamps the times that metrics (MTTA, MTTM, MTTR) are computed from.</summary>
    public static void ApplyStatus(Incident incident, IncidentStatus to, DateTime now)
    {
        incident.Status = to;
        switch (to)
        {
            case IncidentStatus.Investigating:
                incident.AcknowledgedAt ??= now;
                break;
            case IncidentStatus.Mitigated:
                incident.AcknowledgedAt ??= now;
                incident.MitigatedAt ??= now;
                break;
            case IncidentStatus.Resolved:
                incident.AcknowledgedAt ??= now;
                incident.MitigatedAt ??= now;
                incident.ResolvedAt = now;
                incident.NextUpdateDueAt = null;
                break;
            case IncidentStatus.Closed:
                incident.ClosedAt = now;
                incident.NextUpdateDueAt = null;
                break;
        }
    }

    /// <summary>Impact is back: the incident is investigated again and its mitigation and resolution no longer hold.</summary>
    public static void ApplyReopen(Incident incident)
    {
        incident.Status = IncidentStatus.Investigating;
        incident.MitigatedAt = null;
        incident.ResolvedAt = null;
        incident.ClosedAt = null;
    }

    public static bool IsActive(IncidentStatus status) =>
        status is IncidentStatus.Triage or IncidentStatus.Investigating or IncidentStatus.Mitigated;

    /// <summary>Someone taking a role is the first human acknowledgement of a freshly declared incident.</summary>
    public static void ApplyRoleTaken(Incident incident, DateTime now) => incident.AcknowledgedAt ??= now;
}
