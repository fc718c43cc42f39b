using System.Security.Claims;
using Firebreak.Hosting;
using Firebreak.Identity;
using Firebreak.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.OnCall;

public sealed record LayerView(string Name, int Level, string TimeZone, string Rotation, string HandoffAt, IReadOnlyList<string> Members, bool WeekdaysOnly, string? Window);

public sealed record OverrideView(int Id, string Handle, DateTime Start, DateTime End, string CreatedBy);

public sealed record ScheduleView(string Name, string TimeZone, string? Description, string ManagedBy, IReadOnlyList<LayerView> Layers,
    IReadOnlyList<OverrideView> Overrides, string? OnCallNow, string CalendarUrl);

public sealed record OnCallView(string Schedule, DateTime At, string? Handle, string? Name, string Source, DateTime? Until);

public static class ScheduleEndpoints
{
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(92);

    public static IEndpointRouteBuilder MapSchedules(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("On call");
        api.MapGet("/schedules", List).WithSummary("Schedules with who is on call now").Produces<IReadOnlyList<ScheduleView>>();
        api.MapPost("/schedules", Create).WithSummary("Create a schedule: layers of rotations, time zones, restrictions").Produces<ScheduleView>(StatusCodes.Status201Created);
        api.MapGet("/schedules/{name}", Get).Produces<ScheduleView>();
        api.MapGet("/schedules/{name}/oncall", OnCall).WithSummary("Who is on call now, or ?at= an instant").Produces<OnCallView>();
        api.MapGet("/schedules/{name}/timeline", TimelineOf).WithSummary("The final timeline (layers, restrictions, overrides resolved) for ?from=&to=").Produces<IReadOnlyList<Shift>>();
        api.MapGet("/schedules/{name}/gaps", Gaps).WithSummary("Spans in the next ?days= (default 14) when nobody is on call").Produces<IReadOnlyList<Shift>>();
        api.MapPost("/schedules/{name}/overrides", AddOverride).WithSummary("Someone covers a span").Produces<OverrideView>(StatusCodes.Status201Created);
        api.MapGet("/schedules/{name}/ical", (string name, FirebreakDb db, TimeProvider clock, CancellationToken ct) => CalendarAsync(db, clock, s => s.Name == name, null, ct))
            .WithSummary("The schedule as an iCalendar feed (RFC 5545)");
        api.MapGet("/people/{handle}/ical", (string handle, FirebreakDb db, TimeProvider clock, CancellationToken ct) => CalendarAsync(db, clock, _ => true, handle.ToLowerInvariant(), ct))
            .WithSummary("A person's shifts across all schedules as an iCalendar feed");
        api.MapGet("/people/{handle}/ical-url", PersonCalendarUrl).WithSummary("A secret URL for a person's on-call calendar, for calendar apps (yours, or anyone's for admins)");
        app.MapGet("/ical/people/{secret}.ics", async (string secret, FirebreakDb db, TimeProvider clock, CancellationToken ct) =>
            await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.CalendarSecret == secret, ct) is { } person
                ? await CalendarAsync(db, clock, _ => true, person.Handle, ct)
                : Refusal.NotFound("No such calendar.").ToResult()).AllowAnonymous().ExcludeFromDescription();
        api.MapGet("/oncall", AllOnCall).WithSummary("Who is on call now (or ?at=) on every schedule").Produces<IReadOnlyList<OnCallView>>();
        // Calendar apps poll a secret URL without a token.
        app.MapGet("/ical/schedules/{secret}.ics", (string secret, FirebreakDb db, TimeProvider clock, CancellationToken ct) =>
            CalendarAsync(db, clock, s => s.CalendarSecret == secret, null, ct)).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> List(FirebreakDb db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var schedules = await db.WithShifts().OrderBy(s => s.Name).ToListAsync(ct);
        return TypedResults.Ok(schedules.Select(s => ToView(s, now, http)).ToList());
    }

    private static async Task<IResult> Get(string name, FirebreakDb db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        await db.WithShifts().FirstOrDefaultAsync(s => s.Name == name, ct) is { } s
            ? TypedResults.Ok(ToView(s, clock.GetUtcNow().UtcDateTime, http))
            : Refusal.NotFound($"No schedule '{name}'.").ToResult();

    private static async Task<IResult> Create(ScheduleSpec body, ClaimsPrincipal user, FirebreakDb db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var actor = Actor.From(user);
        if (!actor.IsPerson) return Refusal.Forbidden("Schedules are created by people.").ToResult();
        var handles = (await db.People.Select(p => p.Handle).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var errors = ScheduleRules.Validate(body, handles, out var schedule);
        if (errors.Count > 0) return Invalid(errors);
        if (await db.Set<Schedule>().AnyAsync(s => s.Name == schedule!.Name, ct)) return Refusal.Conflict($"A schedule named '{schedule!.Name}' exists already.").ToResult();
        var now = clock.GetUtcNow().UtcDateTime;
        schedule!.CreatedAt = now;
        db.Set<Schedule>().Add(schedule);
        db.Audit(actor, "schedule.create", schedule.Name, now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/schedules/{schedule.Name}", ToView(await db.WithShifts().FirstAsync(s => s.Id == schedule.Id, ct), now, http));
    }

    private static async Task<IResult> OnCall(string name, DateTime? at, FirebreakDb db, TimeProvider clock, CancellationToken ct)
    {
        if (await db.WithShifts().FirstOrDefaultAsync(s => s.Name == name, ct) is not { } s) return Refusal.NotFound($"No schedule '{name}'.").ToResult();
        var instant = at?.ToUniversalTime() ?? clock.GetUtcNow().UtcDateTime;
        return TypedResults.Ok(await OnCallViewAsync(db, s, instant, ct));
    }

    internal static async Task<OnCallView> OnCallViewAsync(FirebreakDb db, Schedule s, DateTime instant, CancellationToken ct)
    {
        var who = Rotation.OnCallAt(s, instant);
        var horizon = instant + TimeSpan.FromDays(31);
        // A shift that lasts past the look-ahead (a one-person rotation) has no known end.
        var until = Rotation.Timeline(s, instant, horizon).FirstOrDefault()?.End is { } end && end < horizon ? end : (DateTime?)null;
        var person = who?.Handle is { } handle ? await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Handle == handle, ct) : null;
        return new OnCallView(s.Name, instant, who?.Handle, person?.Name, who?.Source ?? "gap", until);
    }

    private static async Task<IResult> AllOnCall(DateTime? at, FirebreakDb db, TimeProvider clock, CancellationToken ct)
    {
        var instant = at?.ToUniversalTime() ?? clock.GetUtcNow().UtcDateTime;
        var views = new List<OnCallView>();
        foreach (var s in await db.WithShifts().OrderBy(s => s.Name).ToListAsync(ct)) views.Add(await OnCallViewAsync(db, s, instant, ct));
        return TypedResults.Ok(views);
    }

    private static async Task<IResult> TimelineOf(string name, DateTime? from, DateTime? to, FirebreakDb db, TimeProvider clock, CancellationToken ct)
    {
        if (await db.WithShifts().FirstOrDefaultAsync(s => s.Name == name, ct) is not { } s) return Refusal.NotFound($"No schedule '{name}'.").ToResult();
        var start = from?.ToUniversalTime() ?? clock.GetUtcNow().UtcDateTime;
        var end = to?.ToUniversalTime() ?? start.AddDays(14);
        if (end <= start) return Refusal.Invalid("to", "The end of the range must come after its start.").ToResult();
        if (end - start > MaxRange) return Refusal.Invalid("to", "A timeline covers at most 92 days.").ToResult();
        return TypedResults.Ok(Rotation.Timeline(s, start, end));
    }

    private static async Task<IResult> Gaps(string name, int? days, FirebreakDb db, TimeProvider clock, CancellationToken ct)
    {
        if (days is < 1 or > 92) return Refusal.Invalid("days", "Look 1 to 92 days ahead.").ToResult();
        if (await db.WithShifts().FirstOrDefaultAsync(s => s.Name == name, ct) is not { } s) return Refusal.NotFound($"No schedule '{name}'.").ToResult();
        var now = clock.GetUtcNow().UtcDateTime;
        return TypedResults.Ok(Rotation.Timeline(s, now, now.AddDays(days ?? 14)).Where(x => x.Handle is null).ToList());
    }

    private static async Task<IResult> AddOverride(string name, OverrideRequest body, ClaimsPrincipal user, FirebreakDb db, TimeProvider clock, CancellationToken ct)
    {
        var schedule = await db.Set<Schedule>().Include(s => s.Overrides).FirstOrDefaultAsync(s => s.Name == name, ct);
        if (schedule is null) return Refusal.NotFound($"No schedule '{name}'.").ToResult();
        var handle = body.Handle?.Trim().ToLowerInvariant();
        var person = handle is null ? null : await db.People.FirstOrDefaultAsync(p => p.Handle == handle, ct);
        if (person is null) return Refusal.Invalid("handle", $"No person has the handle '{body.Handle}'.").ToResult();
        if (body.Start is not { } start || body.End is not { } end) return Refusal.Invalid("start", "An override needs a start and an end.").ToResult();
        (start, end) = (start.ToUniversalTime(), end.ToUniversalTime());
        if (end <= start) return Refusal.Invalid("end", "The override ends before it starts (inverted shift).").ToResult();
        if (end - start > MaxRange) return Refusal.Invalid("end", "An override covers at most 92 days.").ToResult();
        var now = clock.GetUtcNow().UtcDateTime;
        if (end <= now) return Refusal.Invalid("end", "The override is entirely in the past.").ToResult();
        if (schedule.Overrides.FirstOrDefault(o => o.StartsAt < end && start < o.EndsAt) is { } clash)
            return Refusal.Conflict($"It overlaps override {clash.Id} ({clash.StartsAt:u} – {clash.EndsAt:u}); shorten or remove that one first.").ToResult();
        var actor = Actor.From(user);
        var over = new ScheduleOverride { ScheduleId = schedule.Id, PersonId = person.Id, StartsAt = start, EndsAt = end, CreatedBy = actor.Name, CreatedAt = now };
        db.Set<ScheduleOverride>().Add(over);
        db.Audit(actor, "schedule.override", schedule.Name, now, $"{person.Handle} {start:u} – {end:u}");
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/schedules/{name}", new OverrideView(over.Id, person.Handle, start, end, actor.Name));
    }

    private static async Task<IResult> CalendarAsync(FirebreakDb db, TimeProvider clock, System.Linq.Expressions.Expression<Func<Schedule, bool>> which,
        string? person, CancellationToken ct)
    {
        var schedules = await db.WithShifts().Where(which).ToListAsync(ct);
        if (schedules.Count == 0) return Refusal.NotFound("No such calendar.").ToResult();
        var now = clock.GetUtcNow().UtcDateTime;
        var shifts = schedules.SelectMany(s => Rotation.Timeline(s, now.AddDays(-7), now.AddDays(60)).Select(x => (s.Name, x)))
            .Where(x => person is null || x.x.Handle == person);
        var name = person is null ? $"On call: {string.Join(", ", schedules.Select(s => s.Name))}" : $"On call: {person}";
        return TypedResults.Text(ScheduleCalendar.Render(name, shifts), "text/calendar; charset=utf-8");
    }

    private static async Task<IResult> PersonCalendarUrl(string handle, ClaimsPrincipal user, FirebreakDb db, HttpContext http, CancellationToken ct)
    {
        var actor = Actor.From(user);
        var person = await db.People.FirstOrDefaultAsync(p => p.Handle == handle.ToLowerInvariant(), ct);
        if (person is null) return Refusal.NotFound($"No person '{handle}'.").ToResult();
        if (!actor.IsAdmin && actor.PersonId != person.Id) return Refusal.Forbidden("Only the person (or an admin) can see their calendar URL.").ToResult();
        if (person.CalendarSecret is null)
        {
            person.CalendarSecret = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.Ok(new { url = $"{http.Request.Scheme}://{http.Request.Host}/ical/people/{person.CalendarSecret}.ics" });
    }

    private static ProblemHttpResult Invalid(List<(string Field, string Message)> errors)
    {
        var problem = new HttpValidationProblemDetails(errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()))
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Invalid schedule",
            Detail = string.Join(" ", errors.Select(e => e.Message)),
        };
        return TypedResults.Problem(problem);
    }

    private static ScheduleView ToView(Schedule s, DateTime now, HttpContext http) => new(
        s.Name, s.TimeZone, s.Description, s.ManagedBy,
        [.. s.Layers.OrderBy(l => l.Level).Select(l => new LayerView(l.Name, l.Level, l.TimeZone, Durations.Humanize(l.RotationLength),
            l.HandoffAt.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture), l.MemberHandles, l.WeekdaysOnly,
            l.WindowStart is { } a && l.WindowEnd is { } b ? $"{a:hh\\:mm}-{b:hh\\:mm}" : null))],
        [.. s.Overrides.Where(o => o.EndsAt > now).OrderBy(o => o.StartsAt).Select(o => new OverrideView(o.Id, o.Person?.Handle ?? "?", o.StartsAt, o.EndsAt, o.CreatedBy))],
        Rotation.OnCallAt(s, now)?.Handle,
        $"{http.Request.Scheme}://{http.Request.Host}/ical/schedules/{s.CalendarSecret}.ics");
}
