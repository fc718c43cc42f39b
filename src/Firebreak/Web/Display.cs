using System.Globalization;

namespace Firebreak.Web;

/// <summary>How times, ages and severities read on the pages: short, UTC, and the same everywhere.</summary>
public static class Display
{
    public static string Utc(DateTime at) => at.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Clock(DateTime at) => at.ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Iso(DateTime at) => DateTime.SpecifyKind(at, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture);

    public static string Age(DateTime since, DateTime now) => Span(now - since);

    public static string Span(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = span.Negate();
        if (span.TotalMinutes < 1) return $"{(int)span.TotalSeconds}s";
        if (span.TotalHours < 1) return $"{(int)span.TotalMinutes}m";
        if (span.TotalDays < 1) return $"{(int)span.TotalHours}h {span.Minutes}m";
        return $"{(int)span.TotalDays}d {span.Hours}h";
    }

    /// <summary>"in 12m" or "overdue by 3m"; the page's script keeps it ticking.</summary>
    public static string DueText(DateTime due, DateTime now) =>
        due >= now ? "in " + Span(due - now) : "overdue by " + Span(now - due);

    public static string SeverityClass(string severity) => "sev sev" + severity[^1];

    /// <summary>A shape as well as a colour, so severity does not rest on colour alone.</summary>
    public static string SeverityIcon(string severity) => severity switch
    {
        "SEV0" or "SEV1" => "▲",
        "SEV2" => "◆",
        "SEV3" => "●",
        _ => "○",
    };

    public static bool IsActive(string status) => status is "triage" or "investigating" or "mitigated";

    /// <summary>Which filter a timeline entry belongs to.</summary>
    public static string Category(string kind) => kind switch
    {
        "canUpdate" or "updateOverdue" or "commsPosted" or "published" => "updates",
        "fact" or "hypothesis" or "decision" or "action" or "note" or "actionItemAdded" or "actionItemCompleted" => "log",
        "alertsLinked" or "alertActivity" => "alerts",
        "paged" => "paging",
        _ => "changes",
    };

    public static string KindLabel(string kind) => kind switch
    {
        "canUpdate" => "CAN update",
        "severityChanged" => "severity",
        "statusChanged" => "status",
        "roleAssigned" or "roleRelieved" => "role",
        "actionItemAdded" or "actionItemCompleted" => "action item",
        "alertsLinked" or "alertActivity" => "alerts",
        "memberAdded" => "member",
        "workstreamOpened" or "workstreamUpdated" => "workstream",
        "updateOverdue" => "update overdue",
        "commsPosted" => "comms",
        "published" => "status page",
        _ => kind,
    };

    /// <summary>Only web and mail links become clickable; anything else (javascript:, data:) stays text.</summary>
    public static string? SafeHref(string? url) =>
        url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "mailto"
            ? uri.AbsoluteUri
            : null;
}
