using Firebreak.Identity;
using Firebreak.Storage;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.OnCall;

/// <summary>
/// Who is on call, as layers of rotations with precedence, plus overrides. Read with
/// <see cref="Rotation.OnCallAt"/> and <see cref="Rotation.Timeline"/>.
/// </summary>
public sealed class Schedule
{
    public int Id { get; set; }
    /// <summary>Short, canonical name, e.g. api-primary; services' and teams' escalation references point here.</summary>
    public required string Name { get; set; }
    public string? Description { get; set; }
    /// <summary>IANA time zone for display and for layers that do not name their own.</summary>
    public required string TimeZone { get; set; }
    /// <summary>Secret for the calendar subscription URL (/ical/{secret}.ics), which calendar apps poll without a token.</summary>
    public required string CalendarSecret { get; set; }
    public string ManagedBy { get; set; } = "api";
    public DateTime CreatedAt { get; set; }
    public List<ScheduleLayer> Layers { get; set; } = [];
    public List<ScheduleOverride> Overrides { get; set; } = [];
}

/// <summary>
/// One rotation: members take turns of <see cref="RotationLength"/>, handing off at <see cref="HandoffAt"/> wall-clock
/// time in <see cref="TimeZone"/> (so a 09:00 handoff stays at 09:00 across daylight-saving changes). A layer may be
/// restricted to weekdays or to a daily window (follow-the-sun). Higher <see cref="Level"/> wins where layers overlap.
/// </summary>
public sealed class ScheduleLayer
{
    public int Id { get; set; }
    public int ScheduleId { get; set; }
    public int Level { get; set; }
    public required string Name { get; set; }
    public required string TimeZone { get; set; }
    /// <summary>The first handoff, as local wall-clock time in <see cref="TimeZone"/>.</summary>
    public DateTime HandoffAt { get; set; }
    public TimeSpan RotationLength { get; set; }
    /// <summary>Handles in turn order, comma-separated.</summary>
    public required string Members { get; set; }
    public bool WeekdaysOnly { get; set; }
    /// <summary>Daily window in local time (start inclusive, end exclusive); both null means all day.</summary>
    public TimeSpan? WindowStart { get; set; }
    public TimeSpan? WindowEnd { get; set; }

    public IReadOnlyList<string> MemberHandles => Members.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Someone covers a span of a schedule; wins over every layer.</summary>
public sealed class ScheduleOverride
{
    public int Id { get; set; }
    public int ScheduleId { get; set; }
    public int PersonId { get; set; }
    public Person? Person { get; set; }
    public DateTime StartsAt { get; set; }
    public DateTime EndsAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
}

public static class ScheduleQueries
{
    /// <summary>Schedules with their layers and overrides (and who covers), everything <see cref="Rotation"/> reads.</summary>
    public static IQueryable<Schedule> WithShifts(this FirebreakDb db) =>
        db.Set<Schedule>().AsNoTracking().Include(s => s.Layers).Include(s => s.Overrides).ThenInclude(o => o.Person).AsSplitQuery();
}

/// <summary>A span of a schedule's final timeline: who is on call from Start to End (null: nobody, a gap).</summary>
public sealed record Shift(DateTime Start, DateTime End, string? Handle, string Source);

/// <summary>The rotation math, pure: no clock, no storage.</summary>
public static class Rotation
{
    public static Shift? OnCallAt(Schedule schedule, DateTime at)
    {
        var over = schedule.Overrides.Where(o => o.StartsAt <= at && at < o.EndsAt).OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id).FirstOrDefault();
        if (over is not null) return new Shift(over.StartsAt, over.EndsAt, over.Person?.Handle, "override");
        foreach (var layer in schedule.Layers.OrderByDescending(l => l.Level))
        {
            if (LayerAt(layer, at) is { } handle) return new Shift(at, at, handle, layer.Name);
        }
        return null;
    }

    /// <summary>Whose turn it is in one layer at an instant, or null if the layer is restricted then.</summary>
    public static string? LayerAt(ScheduleLayer layer, DateTime at)
    {
        var members = layer.MemberHandles;
        if (members.Count == 0 || layer.RotationLength <= TimeSpan.Zero) return null;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(layer.TimeZone);
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(at, DateTimeKind.Utc), zone);
        if (layer.WeekdaysOnly && local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) return null;
        if (layer.WindowStart is { } from && layer.WindowEnd is { } to && !new DailyWindow(from, to).Contains(local.TimeOfDay)) return null;
        // Wall-clock arithmetic in the layer's zone keeps handoffs at the same local time across DST changes.
        var elapsed = DateTime.SpecifyKind(local, DateTimeKind.Unspecified) - DateTime.SpecifyKind(layer.HandoffAt, DateTimeKind.Unspecified);
        var turn = (long)Math.Floor(elapsed.Ticks / (double)layer.RotationLength.Ticks);
        var index = (int)(((turn % members.Count) + members.Count) % members.Count);
        return members[index];
    }

    /// <summary>The final timeline between two instants: layers, restrictions and overrides resolved, equal neighbours merged.</summary>
    public static List<Shift> Timeline(Schedule schedule, DateTime from, DateTime to)
    {
        var edges = new SortedSet<DateTime> { from, to };
        foreach (var o in schedule.Overrides)
        {
            if (o.StartsAt > from && o.StartsAt < to) edges.Add(o.StartsAt);
            if (o.EndsAt > from && o.EndsAt < to) edges.Add(o.EndsAt);
        }
        foreach (var layer in schedule.Layers) foreach (var edge in LayerEdges(layer, from, to)) edges.Add(edge);

        var shifts = new List<Shift>();
        var points = edges.ToList();
        for (var i = 0; i < points.Count - 1; i++)
        {
            var who = OnCallAt(schedule, points[i]);
            var (handle, source) = (who?.Handle, who?.Source ?? "gap");
            if (shifts.Count > 0 && shifts[^1].Handle == handle && shifts[^1].Source == source)
                shifts[^1] = shifts[^1] with { End = points[i + 1] };
            else shifts.Add(new Shift(points[i], points[i + 1], handle, source));
        }
        return shifts;
    }

    /// <summary>Instants where a layer can change hands: its handoffs and its daily window's edges.</summary>
    private static IEnumerable<DateTime> LayerEdges(ScheduleLayer layer, DateTime from, DateTime to)
    {
        if (layer.RotationLength <= TimeSpan.Zero) yield break;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(layer.TimeZone);
        var localFrom = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(from, DateTimeKind.Utc), zone);
        var localTo = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(to, DateTimeKind.Utc), zone);
        var anchor = DateTime.SpecifyKind(layer.HandoffAt, DateTimeKind.Unspecified);
        var turns = Math.Floor((localFrom - anchor).Ticks / (double)layer.RotationLength.Ticks);
        for (var handoff = anchor.AddTicks((long)(turns * layer.RotationLength.Ticks)); handoff <= localTo; handoff += layer.RotationLength)
        {
            if (ToUtc(handoff, zone) is { } utc && utc > from && utc < to) yield return utc;
        }
        for (var day = localFrom.Date.AddDays(-1); day <= localTo.Date.AddDays(1); day = day.AddDays(1))
        {
            foreach (var time in new[] { layer.WindowStart, layer.WindowEnd, layer.WeekdaysOnly ? TimeSpan.Zero : (TimeSpan?)null })
            {
                if (time is { } t && ToUtc(day + t, zone) is { } utc && utc > from && utc < to) yield return utc;
            }
        }
    }

    /// <summary>Local wall-clock time to UTC; a time skipped by a DST jump maps to the moment after the jump.</summary>
    private static DateTime? ToUtc(DateTime local, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(unspecified)) unspecified = unspecified.AddMinutes(15);
        return TimeZoneInfo.ConvertTimeToUtc(unspecified, zone);
    }
}
