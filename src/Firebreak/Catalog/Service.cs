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
