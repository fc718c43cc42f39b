namespace Firebreak.Incidents;

/// <summary>
/// Raised in-process right after a command on an incident commits, so live pages push the change at once
/// instead of waiting for their next look at the database (which still catches writes made by other nodes).
/// </summary>
public sealed class IncidentChangeSignal
{
    public event Action<int>? Changed;

    public void Raise(int incidentNumber) => Changed?.Invoke(incidentNumber);
}
