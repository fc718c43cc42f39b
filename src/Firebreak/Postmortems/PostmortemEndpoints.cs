using System.Security.Claims;
using Firebreak.Hosting;
using Firebreak.Identity;
using Firebreak.Incidents;
using Firebreak.Storage;

namespace Firebreak.Postmortems;

public static class PostmortemEndpoints
{
    public static IEndpointRouteBuilder MapPostmortems(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/incidents/{id}/postmortem", Draft)
            .WithTags("Postmortems")
            .WithSummary("A blameless postmortem draft in Markdown, filled from the incident record")
            .Produces<string>(StatusCodes.Status200OK, "text/markdown");
        return app;
    }

    private static async Task<IResult> Draft(string id, FirebreakDb db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var number = await IncidentEndpoints.VisibleNumberAsync(db, Actor.From(user), id, ct);
        if (number is null) return Refusal.NotFound($"No incident {id}.").ToResult();
        var view = await IncidentQueries.ViewAsync(db, number.Value, ct);
        return TypedResults.Text(PostmortemDraft.Render(view, clock.GetUtcNow().UtcDateTime), "text/markdown; charset=utf-8");
    }
}
