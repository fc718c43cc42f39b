using System.Text.RegularExpressions;

namespace Firebreak.Identity;

/// <summary>Someone who can respond, identified everywhere by a short canonical handle (<c>jtsimmons</c>).</summary>
public sealed class Person
{
    public int Id { get; set; }
    public required string Handle { get; set; }
    public required string Name { get; set; }
    public string? Email { get; set; }
    public bool IsAdmin { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>Secret for the person's on-call calendar subscription URL; made the first time it is asked for.</summary>
    public string? CalendarSecret { get; set; }
    public List<TeamMembership> Teams { get; set; } = [];
}

/// <summary>A team with a canonical short name (<c>API</c>, <c>DBA</c>).</summary>
public sealed class Team
{
    public int Id { get; set; }
    public required string ShortName { get; set; }
    public required string Name { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? ChatChannel { get; set; }
    public string? EscalationRef { get; set; }
    public List<TeamMembership> Members { get; set; } = [];
}

public sealed class TeamMembership
{
    public int TeamId { get; set; }
    public Team? Team { get; set; }
    public int PersonId { get; set; }
    public Person? Person { get; set; }
}

public static partial class Handles
{
    [GeneratedRegex("^[a-z][a-z0-9._-]{1,31}$")]
    private static partial Regex PersonHandle();

    [GeneratedRegex("^[A-Z][A-Z0-9_-]{1,15}$")]
    private static partial Regex TeamShortName();

    public static bool IsValidPersonHandle(string handle) => PersonHandle().IsMatch(handle);

    public static bool IsValidTeamShortName(string shortName) => TeamShortName().IsMatch(shortName);
}
