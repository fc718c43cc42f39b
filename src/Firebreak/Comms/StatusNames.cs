namespace Firebreak.Comms;

/// <summary>The words the Statuspage API uses, and the rules about which apply where.</summary>
public static class StatusNames
{
    public static readonly string[] IncidentStatuses = ["investigating", "identified", "monitoring", "resolved"];
    public static readonly string[] MaintenanceStatuses = ["scheduled", "in_progress", "verifying", "completed"];

    public static string Name(this ComponentStatus status) => status switch
    {
        ComponentStatus.Operational => "operational",
        ComponentStatus.DegradedPerformance => "degraded_performance",
        ComponentStatus.PartialOutage => "partial_outage",
        ComponentStatus.MajorOutage => "major_outage",
        _ => "under_maintenance",
    };

    public static string Label(this ComponentStatus status) => status switch
    {
        ComponentStatus.Operational => "Operational",
        ComponentStatus.DegradedPerformance => "Degraded performance",
        ComponentStatus.PartialOutage => "Partial outage",
        ComponentStatus.MajorOutage => "Major outage",
        _ => "Under maintenance",
    };

    public static bool TryParseComponent(string? text, out ComponentStatus status)
    {
        foreach (var candidate in Enum.GetValues<ComponentStatus>())
        {
            if (string.Equals(candidate.Name(), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                return true;
            }
        }
        status = default;
        return false;
    }

    public static string Name(this PublicImpact impact) => impact.ToString().ToLowerInvariant();

    public static bool TryParseImpact(string? text, out PublicImpact impact) =>
        Enum.TryParse(text?.Trim(), ignoreCase: true, out impact) && Enum.IsDefined(impact) && !char.IsDigit(text!.Trim()[0]);

    /// <summary>Where the record leaves it open: SEV0 is critical for customers, SEV1 major, anything else minor.</summary>
    public static PublicImpact ImpactOf(Incidents.Severity severity) => severity switch
    {
        Incidents.Severity.Sev0 => PublicImpact.Critical,
        Incidents.Severity.Sev1 => PublicImpact.Major,
        _ => PublicImpact.Minor,
    };

    public static bool IsFinal(string status) => status is "resolved" or "completed";

    public static string Describe(string indicator) => indicator switch
    {
        "critical" => "Major System Outage",
        "major" => "Partial System Outage",
        "minor" => "Minor Service Outage",
        _ => "All Systems Operational",
    };
}
