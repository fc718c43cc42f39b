using Firebreak.Alerts;
using Firebreak.Changes;
using Firebreak.Incidents;
using Firebreak.OnCall;

namespace Firebreak.Web;

/// <summary>The signed-in person a page is rendered for, with the anti-forgery token its forms carry.</summary>
public sealed record Viewer(string Handle, string Name, bool IsAdmin, string Csrf);

public sealed record LinkedAlert(long Id, string Summary, string Status, string Severity, string? Service, DateTime Since,
    IReadOnlyList<KeyValuePair<string, string>> Annotations, string? Link);

public sealed record AffectedService(string ShortName, string Name, int Tier, string? OwnerTeam, string? RunbookHtml);

/// <summary>Everything the incident landing page shows; rendered once per change for all its live viewers.</summary>
public sealed record IncidentPageModel(
    IncidentView Incident, IReadOnlyList<LinkedAlert> Alerts, IReadOnlyList<RankedChange> Changes,
    IReadOnlyList<AffectedService> Services, IReadOnlyList<Choice> People, DateTime Now)
{
    /// <summary>What the public status page says about this incident, if it was published.</summary>
    public Comms.PublicIncidentView? Published { get; init; }

    public long LastEventId => Incident.Timeline.Count == 0 ? 0 : Incident.Timeline[^1].Id;
}

/// <summary>One option of a select or datalist: what is sent, and what people read.</summary>
public sealed record Choice(string Value, string Label);

public sealed record DashboardModel(
    IReadOnlyList<IncidentListItem> Active, IReadOnlyList<AlertGroupView> UnlinkedAlertGroups,
    IReadOnlyList<OnCallView> OnCall, IReadOnlyList<IncidentListItem> RecentlyResolved, DateTime Now);

public sealed record DeclareForm(string? Title, string? Severity, string? Service, string? Summary, bool Private);
