using System.Globalization;
using System.Security.Claims;
using Firebreak.Storage;

namespace Firebreak.Identity;

/// <summary>Who is making a request: a person (by handle) or an integration.</summary>
public sealed record Actor(int? PersonId, string Name, bool IsAdmin, int TokenId)
{
    public const string PersonIdClaim = "firebreak:person";
    public const string TokenIdClaim = "firebreak:token";
    public const string AdminRole = "admin";

    public bool IsPerson => PersonId is not null;

    public static Actor From(ClaimsPrincipal user)
    {
        var personId = user.FindFirstValue(PersonIdClaim);
        return new Actor(
            personId is null ? null : int.Parse(personId, CultureInfo.InvariantCulture),
            user.Identity?.Name ?? "unknown",
            user.IsInRole(AdminRole),
            int.Parse(user.FindFirstValue(TokenIdClaim) ?? "0", CultureInfo.InvariantCulture));
    }

    /// <summary>The actor used for work Firebreak does by itself (first start, demo seed).</summary>
    public static Actor Firebreak(int? adminId) => new(adminId, "firebreak", true, 0);
}

public static class AuditTrail
{
    /// <summary>Adds the audit row to the same unit of work as the change it records.</summary>
    public static void Audit(this FirebreakDb db, Actor actor, string action, string target, DateTime at,
        string? detail = null) =>
        db.AuditEntries.Add(new AuditEntry
        {
            At = at,
            ActorPersonId = actor.PersonId,
            Actor = actor.Name,
            Action = action,
            Target = target,
            Detail = detail,
        });
}
