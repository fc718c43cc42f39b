using System.Security.Claims;
using Firebreak.Hosting;
using Firebreak.Storage;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.Identity;

public sealed record PersonView(string Handle, string Name, string? Email, bool Admin, IReadOnlyList<string> Teams);

public sealed record AddPersonRequest(string? Handle, string? Name, string? Email = null, string? Team = null, bool Admin = false);

public sealed record TeamView(string ShortName, string Name, IReadOnlyList<string> Members);

public sealed record AddTeamRequest(string? ShortName, string? Name, string? Escalation = null, string? Channel = null);

public sealed record TokenView(int Id, string Name, string Prefix, string? Person, string? Integration, DateTime CreatedAt, DateTime? RevokedAt);

/// <summary>The secret is shown once, when the token is created; only its hash is kept.</summary>
public sealed record CreatedTokenView(int Id, string Name, string Token, string? Person, string? Integration);

public sealed record CreateTokenRequest(string? Name, string? Person = null, string? Integration = null);

public sealed record AuditEntryView(long Id, DateTime At, string Actor, string Action, string Target, string? Detail);

public static class IdentityEndpoints
{
    public static IEndpointRouteBuilder MapIdentity(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("People, teams and tokens");
        api.MapGet("/me", Me).WithSummary("Who this token belongs to");
        api.MapGet("/people", ListPeople).Produces<IReadOnlyList<PersonView>>();
        api.MapPost("/people", AddPerson).WithSummary("Add a person (admins only)").Produces<PersonView>(StatusCodes.Status201Created);
        api.MapGet("/teams", ListTeams).Produces<IReadOnlyList<TeamView>>();
        api.MapPost("/teams", AddTeam).WithSummary("Add a team (admins only)").Produces<TeamView>(StatusCodes.Status201Created);
        api.MapGet("/tokens", ListTokens).WithSummary("Your tokens (admins: all tokens)").Produces<IReadOnlyList<TokenView>>();
        api.MapPost("/tokens", CreateToken).WithSummary("Create a token for yourself; admins may create one for anyone or an integration")
            .Produces<CreatedTokenView>(StatusCodes.Status201Created);
        api.MapDelete("/tokens/{id:int}", RevokeToken).WithSummary("Revoke a token").Produces<TokenView>();
        api.MapGet("/audit", ListAudit).WithSummary("The audit trail, newest first (admins only)").Produces<IReadOnlyList<AuditEntryView>>();
        return app;
    }

    private static async Task<IResult> Me(ClaimsPrincipal user, FirebreakDb db, CancellationToken ct)
    {
        var actor = Actor.From(user);
        if (actor.PersonId is null) return TypedResults.Ok(new PersonView(actor.Name, actor.Name, null, false, []));
        var person = await db.People.AsNoTracking().Include(p => p.Teams).ThenInclude(t => t.Team)
            .FirstAsync(p => p.Id == actor.PersonId, ct);
        return TypedResults.Ok(ToView(person));
    }

    private static async Task<IResult> ListPeople(FirebreakDb db, CancellationToken ct)
    {
        var people = await db.People.AsNoTracking().Include(p => p.Teams).ThenInclude(t => t.Team)
            .OrderBy(p => p.Handle).ToListAsync(ct);
        return TypedResults.Ok(people.Select(ToView).ToList());
    }

    private static async Task<IResult> AddPerson(AddPersonRequest body, ClaimsPrincipal user, FirebreakDb db, TimeProvider clock, CancellationToken ct)
    {
        var actor = Actor.From(user);
        if (!actor.IsAdmin) return Refusal.Forbidden("Only an admin can add people.").ToResult();
        var handle = body.Handle?.Trim().ToLowerInvariant() ?? "";
        if (!Handles.IsValidPersonHandle(handle))
            return Refusal.Invalid("handle", "A handle is 2–32 characters: a lower-case letter, then letters, digits, '.', '_' or '-'.").ToResult();
        var name = body.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200) return Refusal.Invalid("name", "A name of 1–200 characters is required.").ToResult();
        if (body.Email is { Length: > 320 } || (body.Email is { Length: > 0 } && !body.Email.Contains('@')))
            return Refusal.Invalid("email", "That is not an email address.").ToResult();
        if (await db.People.AnyAsync(p => p.Handle == handle, ct))
            return Refusal.Conflict($"The handle '{handle}' is taken.").ToResult();
        Team? team = null;
        if (!string.IsNullOrWhiteSpace(body.Team))
        {
            var shortName = body.Team.Trim().ToUpperInvariant();
            team = await db.Teams.FirstOrDefaultAsync(t => t.ShortName == shortName, ct);
            if (team is null) return Refusal.Invalid("team", $"No team '{shortName}'. Add it first: firebreak team add {shortName} --name \"...\"").ToResult();
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var person = new Person { Handle = handle, Name = name, Email = Blank(body.Email), IsAdmin = body.Admin, CreatedAt = now };
        if (team is not null) person.Teams.Add(new TeamMembership { Team = team });
        db.People.Add(person);
        db.Audit(actor, "person.add", handle, now, team is null ? null : $"team {team.ShortName}");
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/people/{handle}", ToView(person));
    }

    private static async Task<IResult> ListTeams(FirebreakDb db, CancellationToken ct)
    {
        var teams = await db.Teams.AsNoTracking().Include(t => t.Members).ThenInclude(m => m.Person)
            .OrderBy(t => t.ShortName).ToListAsync(ct);
        return TypedResults.Ok(teams.Select(ToView).ToList());
    }

    private static async Task<IResult> AddTeam(AddTeamRequest body, ClaimsPrincipal user, FirebreakDb db, TimeProvider clock, CancellationToken ct)
    {
        var actor = Actor.From(user);
        if (!actor.IsAdmin) return Refusal.Forbidden("Only an admin can add teams.").ToResult();
        var shortName = body.ShortName?.Trim().ToUpperInvariant() ?? "";
        if (!Handles.IsValidTeamShortName(shortName))
            return Refusal.Invalid("shortName", "A team's short name is 2–16 characters: a letter, then letters, digits, '_' or '-' (e.g. API, DBA).").ToResult();
        var name = body.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200) return Refusal.Invalid("name", "A name of 1–200 characters is required.").ToResult();
        if (await db.Teams.AnyAsync(t => t.ShortName == shortName, ct))
            return Refusal.Conflict($"The team '{shortName}' exists already.").ToResult();
        var now = clock.GetUtcNow().UtcDateTime;
        if (body.Escalation is { Length: > 200 } || body.Channel is { Length: > 200 }) return Refusal.Invalid("escalation", "Escalation and channel are at most 200 characters.").ToResult();
        var team = new Team { ShortName = shortName, Name = name, CreatedAt = now, EscalationRef = body.Escalation, ChatChannel = body.Channel };
        db.Teams.Add(team);
        db.Audit(actor, "team.add", shortName, now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/teams/{shortName}", ToView(team));
    }

    private static async Task<IResult> ListTokens(ClaimsPrincipal user, FirebreakDb db, CancellationToken ct)
    {
        var actor = Actor.From(user);
        var query = db.ApiTokens.AsNoTracking().Include(t => t.Person).AsQueryable();
        if (!actor.IsAdmin) query = query.Where(t => t.PersonId == actor.PersonId && t.PersonId != null);
        var tokens = await query.OrderBy(t => t.Id).ToListAsync(ct);
        return TypedResults.Ok(tokens.Select(ToView).ToList());
    }

    private static async Task<IResult> CreateToken(CreateTokenRequest body, ClaimsPrincipal user, FirebreakDb db, TimeProvider clock, CancellationToken ct)
    {
        var actor = Actor.From(user);
        if (!actor.IsPerson) return Refusal.Forbidden("An integration token cannot create tokens.").ToResult();
        var name = body.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100) return Refusal.Invalid("name", "A token needs a name of 1–100 characters.").ToResult();
        if (body.Person is not null && body.Integration is not null)
            return Refusal.Invalid("integration", "A token belongs to a person or to an integration, not both.").ToResult();

        int? personId = actor.PersonId;
        string? owner = actor.Name;
        string? integration = null;
        if (body.Integration is { } integrationName)
        {
            if (!actor.IsAdmin) return Refusal.Forbidden("Only an admin can create integration tokens.").ToResult();
            integration = integrationName.Trim().ToLowerInvariant();
            if (!Handles.IsValidPersonHandle(integration))
                return Refusal.Invalid("integration", "An integration name is 2–32 characters: a letter, then letters, digits, '.', '_' or '-'.").ToResult();
            personId = null;
            owner = null;
        }
        else if (body.Person is { } handle && !string.Equals(handle.Trim(), actor.Name, StringComparison.OrdinalIgnoreCase))
        {
            if (!actor.IsAdmin) return Refusal.Forbidden("Only an admin can create tokens for someone else.").ToResult();
            var wanted = handle.Trim().ToLowerInvariant();
            var person = await db.People.FirstOrDefaultAsync(p => p.Handle == wanted, ct);
            if (person is null) return Refusal.Invalid("person", $"No person has the handle '{wanted}'.").ToResult();
            personId = person.Id;
            owner = person.Handle;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var secret = ApiToken.NewSecret();
        var token = new ApiToken { Name = name, Hash = ApiToken.HashOf(secret), Prefix = secret[..10], PersonId = personId, Integration = integration, CreatedAt = now };
        db.ApiTokens.Add(token);
        db.Audit(actor, "token.create", owner ?? "integration:" + integration, now, name);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/tokens/{token.Id}", new CreatedTokenView(token.Id, name, secret, owner, integration));
    }

    private static async Task<IResult> RevokeToken(int id, ClaimsPrincipal user, FirebreakDb db, TimeProvider clock, CancellationToken ct)
    {
        var actor = Actor.From(user);
        var token = await db.ApiTokens.Include(t => t.Person).FirstOrDefaultAsync(t => t.Id == id, ct);
        // Someone else's token is reported as missing, not forbidden, so token ids reveal nothing.
        if (token is null || (!actor.IsAdmin && token.PersonId != actor.PersonId))
            return Refusal.NotFound($"No token {id}.").ToResult();
        if (token.RevokedAt is not null) return Refusal.Conflict($"Token {id} is already revoked.").ToResult();
        var now = clock.GetUtcNow().UtcDateTime;
        token.RevokedAt = now;
        db.Audit(actor, "token.revoke", token.Person?.Handle ?? "integration:" + token.Integration, now, $"#{id} {token.Name}");
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToView(token));
    }

    private static async Task<IResult> ListAudit(ClaimsPrincipal user, FirebreakDb db, int? limit, CancellationToken ct)
    {
        if (!Actor.From(user).IsAdmin) return Refusal.Forbidden("Only an admin can read the audit trail.").ToResult();
        if (limit is < 1 or > 10_000) return Refusal.Invalid("limit", "The limit must be between 1 and 10000.").ToResult();
        var entries = await db.AuditEntries.AsNoTracking().OrderByDescending(a => a.Id).Take(limit ?? 200)
            .Select(a => new AuditEntryView(a.Id, a.At, a.Actor, a.Action, a.Target, a.Detail)).ToListAsync(ct);
        return TypedResults.Ok(entries);
    }

    private static PersonView ToView(Person p) =>
        new(p.Handle, p.Name, p.Email, p.IsAdmin, [.. p.Teams.Where(t => t.Team is not null).Select(t => t.Team!.ShortName).Order(StringComparer.Ordinal)]);

    private static TeamView ToView(Team t) =>
        new(t.ShortName, t.Name, [.. t.Members.Where(m => m.Person is not null).Select(m => m.Person!.Handle).Order(StringComparer.Ordinal)]);

    private static TokenView ToView(ApiToken t) =>
        new(t.Id, t.Name, t.Prefix + "…", t.Person?.Handle, t.Integration, t.CreatedAt, t.RevokedAt);

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
