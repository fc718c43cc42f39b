using System.Text.RegularExpressions;
using Firebreak.Identity;

namespace Firebreak.Catalog;

/// <summary>
/// A service in the catalog, named by its short name (<c>checkout</c>) or its canonical id
/// (<c>SVC-CHECKOUT</c>), both accepted wherever a service is named.
/// </summary>
public sealed partial class Service
{
    public int Id { get; set; }
    public required string ShortName { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public int? OwnerTeamId { get; set; }
    public Team? OwnerTeam { get; set; }
    /// <summary>1 is the most critical.</summary>
    public int Tier { get; set; } = 2;
    public DateTime CreatedAt { get; set; }
    public string? EscalationRef { get; set; }
    /// <summary>Dashboards, logs, repositories: name → URL, as JSON.</summary>
    public string? Links { get; set; }
    /// <summary>SLOs as JSON (name, objective).</summary>
    public string? Slos { get; set; }
    public string? Runbook { get; set; }
    public DateOnly? LastReviewed { get; set; }
    /// <summary>"git" when the catalog repository owns this service (sync overwrites it), "api" when added by hand.</summary>
    public string ManagedBy { get; set; } = "api";
    public List<ServiceDependency> DependsOn { get; set; } = [];

    public string CanonicalId => CanonicalIdOf(ShortName);

    public static string CanonicalIdOf(string shortName) => "SVC-" + shortName.ToUpperInvariant();

    /// <summary>Turns <c>SVC-CHECKOUT</c> or <c>Checkout</c> into the short name <c>checkout</c>.</summary>
    public static string ShortNameOf(string reference)
    {
        var trimmed = reference.Trim();
        if (trimmed.StartsWith("SVC-", StringComparison.OrdinalIgnoreCase)) trimmed = trimmed[4..];
        return trimmed.ToLowerInvariant();
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{1,47}$")]
    private static partial Regex ShortNamePattern();

    public static bool IsValidShortName(string shortName) => ShortNamePattern().IsMatch(shortName);
}

public sealed class ServiceDependency
{
    public int ServiceId { get; set; }
    public int DependsOnId { get; set; }
    public Service? DependsOnService { get; set; }
}

/// <summary>An alert response plan: what to check first for one alert, known false positives, examples.</summary>
public sealed class AlertPlan
{
    public required string AlertName { get; set; }
    public required string Markdown { get; set; }
}

/// <summary>One row of the scenario → team table (databases → DBA, certificates → SEC).</summary>
public sealed class RoutingRule
{
    public int Id { get; set; }
    public required string Scenario { get; set; }
    public required string TeamShortName { get; set; }
    /// <summary>Lower-case keywords, comma-separated.</summary>
    public required string Keywords { get; set; }
}

/// <summary>One sync attempt of the catalog repository: the commit it read and whether it was applied.</summary>
public sealed class CatalogVersion
{
    public int Id { get; set; }
    public required string Version { get; set; }
    public required string Source { get; set; }
    public DateTime SyncedAt { get; set; }
    public bool Applied { get; set; }
    /// <summary>Lint findings as text, one per line.</summary>
    public string? Findings { get; set; }
}
