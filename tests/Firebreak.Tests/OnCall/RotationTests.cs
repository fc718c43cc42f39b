using Firebreak.OnCall;

namespace Firebreak.Tests.OnCall;

public class RotationTests
{
    private static DateTime Utc(int y, int mo, int d, int h, int mi = 0) => new(y, mo, d, h, mi, 0, DateTimeKind.Utc);

    private static Schedule Weekly(string zone, params string[] members) => new()
    {
        Name = "s", TimeZone = zone, CalendarSecret = "x",
        Layers = [new ScheduleLayer { Name = "weekly", Level = 0, TimeZone = zone, HandoffAt = new DateTime(2026, 3, 2, 9, 0, 0), RotationLength = TimeSpan.FromDays(7), Members = string.Join(',', members) }],
    };

    [Fact]
    public void A_weekly_handoff_stays_at_nine_local_across_the_spring_DST_change_in_Berlin()
    {
        // Berlin moves from UTC+1 to UTC+2 on 2026-03-29.
        var schedule = Weekly("Europe/Berlin", "ana", "bo");
        Rotation.OnCallAt(schedule, Utc(2026, 3, 30, 6, 59))!.Handle.ShouldBe("bo", "08:59 local on Monday: still last week's shift");
        Rotation.OnCallAt(schedule, Utc(2026, 3, 30, 7, 0))!.Handle.ShouldBe("ana", "09:00 local (07:00 UTC) is the handoff after the change");
        var shifts = Rotation.Timeline(schedule, Utc(2026, 3, 20, 0), Utc(2026, 4, 10, 0));
        shifts.Select(s => s.Start).Skip(1).ShouldBe([Utc(2026, 3, 23, 8), Utc(2026, 3, 30, 7), Utc(2026, 4, 6, 7)]);
    }

    [Fact]
    public void New_York_changes_on_a_different_day_and_its_handoff_follows_local_time()
    {
        // New York moves from UTC-5 to UTC-4 on 2026-03-08.
        var schedule = Weekly("America/New_York", "cy", "di");
        var shifts = Rotation.Timeline(schedule, Utc(2026, 3, 1, 0), Utc(2026, 3, 20, 0));
        shifts.Select(s => (s.Start, s.Handle)).ShouldBe([(Utc(2026, 3, 1, 0), "di"), (Utc(2026, 3, 2, 14), "cy"), (Utc(2026, 3, 9, 13), "di"), (Utc(2026, 3, 16, 13), "cy")]);
    }

    [Fact]
    public void Follow_the_sun_layers_cover_their_daylight_and_the_higher_layer_wins_where_they_overlap()
    {
        var schedule = new Schedule
        {
            Name = "global", TimeZone = "UTC", CalendarSecret = "x",
            Layers =
            [
                new ScheduleLayer { Name = "europe", Level = 0, TimeZone = "Europe/Berlin", HandoffAt = new DateTime(2026, 11, 2, 8, 0, 0), RotationLength = TimeSpan.FromDays(7), Members = "ana", WindowStart = TimeSpan.FromHours(8), WindowEnd = TimeSpan.FromHours(20) },
                new ScheduleLayer { Name = "americas", Level = 1, TimeZone = "America/New_York", HandoffAt = new DateTime(2026, 11, 2, 8, 0, 0), RotationLength = TimeSpan.FromDays(7), Members = "cy", WindowStart = TimeSpan.FromHours(8), WindowEnd = TimeSpan.FromHours(20) },
            ],
        };
        Rotation.OnCallAt(schedule, Utc(2026, 11, 24, 9))!.Handle.ShouldBe("ana", "10:00 Berlin, 04:00 New York");
        Rotation.OnCallAt(schedule, Utc(2026, 11, 24, 15))!.Handle.ShouldBe("cy", "both are in daylight; the Americas layer is higher");
        Rotation.OnCallAt(schedule, Utc(2026, 11, 24, 23))!.Handle.ShouldBe("cy", "18:00 New York");
        Rotation.OnCallAt(schedule, Utc(2026, 11, 25, 3)).ShouldBeNull("nobody covers 04:00 Berlin / 22:00 New York: a gap");
        Rotation.Timeline(schedule, Utc(2026, 11, 24, 0), Utc(2026, 11, 25, 0)).Where(s => s.Handle is null).ShouldNotBeEmpty();
    }

    [Fact]
    public void Weekdays_only_layers_leave_the_weekend_to_the_layer_below()
    {
        var schedule = Weekly("UTC", "ana");
        schedule.Layers.Add(new ScheduleLayer { Name = "office", Level = 1, TimeZone = "UTC", HandoffAt = new DateTime(2026, 11, 2, 0, 0, 0), RotationLength = TimeSpan.FromDays(1), Members = "bo", WeekdaysOnly = true });
        Rotation.OnCallAt(schedule, Utc(2026, 11, 27, 12))!.Handle.ShouldBe("bo", "a Friday");
        Rotation.OnCallAt(schedule, Utc(2026, 11, 28, 12))!.Handle.ShouldBe("ana", "a Saturday");
    }

    [Fact]
    public void An_override_wins_and_the_rotation_resumes_after_it()
    {
        var schedule = Weekly("UTC", "ana", "bo");
        schedule.Overrides.Add(new ScheduleOverride { Id = 1, PersonId = 9, Person = new Firebreak.Identity.Person { Handle = "eve", Name = "Eve" }, StartsAt = Utc(2026, 11, 24, 12), EndsAt = Utc(2026, 11, 24, 18), CreatedBy = "t" });
        var shifts = Rotation.Timeline(schedule, Utc(2026, 11, 24, 0), Utc(2026, 11, 25, 0));
        shifts.Select(s => (s.Handle, s.Source)).ShouldBe([("ana", "weekly"), ("eve", "override"), ("ana", "weekly")]);
    }

    [Fact]
    public void Members_take_turns_in_order_before_the_first_handoff_too()
    {
        var schedule = Weekly("UTC", "ana", "bo", "cy");
        Rotation.OnCallAt(schedule, Utc(2026, 3, 2, 9))!.Handle.ShouldBe("ana");
        Rotation.OnCallAt(schedule, Utc(2026, 3, 9, 9))!.Handle.ShouldBe("bo");
        Rotation.OnCallAt(schedule, Utc(2026, 3, 16, 9))!.Handle.ShouldBe("cy");
        Rotation.OnCallAt(schedule, Utc(2026, 2, 24, 9))!.Handle.ShouldBe("cy", "the week before the first handoff is the previous turn");
    }

    [Theory]
    [InlineData("0h")]
    [InlineData("0d")]
    [InlineData("fortnightly")]
    [InlineData("30m")]
    public void Zero_length_or_unknown_rotations_are_refused(string rotation) => ScheduleRules.TryParseRotation(rotation, out _).ShouldBeFalse();
}
