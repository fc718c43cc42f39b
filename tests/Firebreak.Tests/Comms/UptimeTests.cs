using Firebreak.Comms;

namespace Firebreak.Tests.Comms;

public sealed class UptimeTests
{
    private static readonly DateTime Now = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);

    private static ComponentStatusChange At(DateTime at, ComponentStatus status) => new() { At = at, Status = status };

    [Fact]
    public void A_component_created_today_has_no_data_before_today_and_full_uptime_without_outages()
    {
        var (days, percent) = Uptime.For(Now.AddHours(-2), [At(Now.AddHours(-2), ComponentStatus.Operational)], Now);
        days.Count.ShouldBe(90);
        days.Take(89).ShouldAllBe(d => d.NoData);
        days[^1].NoData.ShouldBeFalse();
        percent.ShouldBe(100);
    }

    [Fact]
    public void A_major_outage_counts_fully_and_a_partial_outage_at_thirty_percent()
    {
        var created = Now.AddDays(-10).Date;
        var yesterday = Now.Date.AddDays(-1);
        var history = new[]
        {
            At(created, ComponentStatus.Operational),
            At(yesterday.AddHours(6), ComponentStatus.MajorOutage),
            At(yesterday.AddHours(12), ComponentStatus.PartialOutage),
            At(yesterday.AddHours(18), ComponentStatus.Operational),
        };
        var (days, percent) = Uptime.For(created, history, Now);
        var day = days[^2];
        day.Worst.ShouldBe(ComponentStatus.MajorOutage);
        day.Downtime.ShouldBe((6 + 6 * 0.3) / 24, 1e-9);
        days[^1].Downtime.ShouldBe(0);
        // 7.8 hours down over 10.5 observed days.
        percent.ShouldBe(Math.Round(100 * (1 - 7.8 / (10 * 24 + 12)), 2));
    }

    [Fact]
    public void Maintenance_and_degraded_performance_are_not_downtime_but_colour_the_day()
    {
        var created = Now.AddDays(-3);
        var (days, percent) = Uptime.For(created, [At(created, ComponentStatus.Operational), At(Now.AddHours(-3), ComponentStatus.UnderMaintenance),
            At(Now.AddHours(-2), ComponentStatus.DegradedPerformance)], Now);
        percent.ShouldBe(100);
        days[^1].Worst.ShouldBe(ComponentStatus.DegradedPerformance);
    }
}
