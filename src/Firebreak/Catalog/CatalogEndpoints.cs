using System.Security.Claims;
using Firebreak.Hosting;
using Firebreak.Identity;
using Firebreak.Storage;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.Catalog;

public sealed record ServiceView(string Id, string ShortName, string Name, string? Description, string? Team, int Tier);

public sealed record AddServiceRequest(string? ShortName, string? Name = null, string? Description = null, string? Team = null, int Tier = 2);

public static class CatalogEndpoints
{
    public static IEndpointRouteBuilder MapCatalog(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/services").WithTags("Catalog");
        api.MapGet("/", List).Produces<IReadOnlyList<ServiceView>>();
        api.MapGet("/{reference}", Get).WithSummary("A service by short name (checkout) or id (SVC-CHECKOUT)").Produces<ServiceView>();
        api.MapPost("/", Add).WithSummary("Add a service to the catalog").Produces<ServiceView>(StatusCodes.Status201Created);
        return app;
    }

    private static async Task<IResult> List(FirebreakDb db, CancellationToken ct)
    {
        var services = await db.Services.AsNoTracking().Include(s => s.OwnerTeam).OrderBy(s => s.ShortName).ToListAsync(ct);
        return TypedResults.Ok(services.Select(ToView).ToList());
    }

    private static async Task<IResult> Get(string reference, FirebreakDb db, CancellationToken ct)
    {
        var shortName = Service.ShortNameOf(reference);
        var service = await db.Services.AsNoTracking().Include(s => s.OwnerTeam).FirstOrDefaultAsync(s => s.ShortName == shortName, ct);
        return service is null ? Refusal.NotFound($"No service '{reference}'.").ToResult() : TypedResults.Ok(ToView(service));
    }

    private static async Task<IResult> Add(AddServiceRequest body, ClaimsPrincipal user, FirebreakDb db, TimeProvider clock, ServiceDirectory directory, CancellationToken ct)
    {
        var actor = Actor.From(user);
        if (!actor.IsPerson) return Refusal.Forbidden("Services are added by people.").ToResult();
        var shortName = Service.ShortNameOf(body.ShortName ?? "");
        if (!Service.IsValidShortName(shortName))
            return Refusal.Invalid("shortName", "A service's short name is 2–48 characters: a lower-case letter, then letters, digits or '-'.").ToResult();
        if (body.Tier is < 1 or > 3) return Refusal.Invalid("tier", "The tier is 1 (most critical), 2 or 3.").ToResult();
        if (body.Name is { Length: > 200 }) return Refusal.Invalid("name", "The name is longer than 200 characters.").ToResult();
        if (await db.Services.AnyAsync(s => s.ShortName == shortName, ct))
            return Refusal.Conflict($"The service '{shortName}' exists already.").ToResult();
        Team? team = null;
        if (!string.IsNullOrWhiteSpace(body.Team))
        {
            var teamName = body.Team.Trim().ToUpperInvariant();
            team = await db.Teams.FirstOrDefaultAsync(t => t.ShortName == teamName, ct);
            if (team is null) return Refusal.Invalid("team", $"No team '{teamName}'.").ToResult();
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var service = new Service
        {
            ShortName = shortName,
            Name = string.IsNullOrWhiteSpace(body.Name) ? shortName : body.Name.Trim(),
            Description = body.Description,
            OwnerTeam = team,
            Tier = body.Tier,
            CreatedAt = now,
        };
        db.Services.Add(service);
        db.Audit(actor, "service.add", service.CanonicalId, now);
        await db.SaveChangesAsync(ct);
        await directory.ReloadAsync(ct);
        return TypedResults.Created($"/api/v1/services/{shortName}", ToView(service));
    }

    private static ServiceView ToView(Service s) => new(s.CanonicalId, s.ShortName, s.Name, s.Description, s.OwnerTeam?.ShortName, s.Tier);
}
