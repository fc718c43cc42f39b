namespace Firebreak.Comms;

public sealed record UptimeDay(DateOnly Day, ComponentStatus Worst, double Downtime, bool NoData);

/// <summary>
/// 90 days of a component's history, day by day (UTC). As on Statuspage, a major outage counts fully as
/// downtime and a partial outage at 30%; degraded performance and maintenance do not count. Days before the
/// component existed have no data and are left out of the percentage.
/// </summary>
public static class Uptime
{
    public const int Days = 90;
    public const double PartialOutageWeight = 0.3;

    public static (IReadOnlyList<UptimeDay> Days, double Percent) For(DateTime createdAt, IReadOnlyList<ComponentStatusChange> history, DateTime now)
    {
        var ordered = history.OrderBy(c => c.At).ThenBy(c => c.Id).ToList();
        var today = DateOnly.FromDateTime(now);
        var days = new List<UptimeDay>(Days);
        double observed = 0, down = 0;
        for (var d = Days - 1; d >= 0; d--)
        {
            var day = today.AddDays(-d);
            var start = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            var end = start.AddDays(1) < now ? start.AddDays(1) : now;
            if (start < createdAt) start = createdAt;
            if (end <= start)
            {
                days.Add(new UptimeDay(day, ComponentStatus.Operational, 0, NoData: true));
                continue;
            }
            var status = ordered.LastOrDefault(c => c.At <= start)?.Status ?? ComponentStatus.Operational;
            var worst = status;
            double dayDown = 0;
            var cursor = start;
            foreach (var change in ordered.Where(c => c.At > start && c.At < end))
            {
                dayDown += (change.At - cursor).TotalSeconds * Weight(status);
                cursor = change.At;
                status = change.Status;
                if (Rank(status) > Rank(worst)) worst = status;
            }
            dayDown += (end - cursor).TotalSeconds * Weight(status);
            var length = (end - start).TotalSeconds;
            observed += length;
            down += dayDown;
            days.Add(new UptimeDay(day, worst, dayDown / length, NoData: false));
        }
        return (days, observed == 0 ? 100 : Math.Round(100 * (1 - down / observed), 2));
    }

    private static double Weight(ComponentStatus status) => status switch
    {
        ComponentStatus.MajorOutage => 1,
        ComponentStatus.PartialOutage => PartialOutageWeight,
        _ => 0,
    };

    /// <summary>Worst first for the day's colour: an outage outranks maintenance.</summary>
    public static int Rank(ComponentStatus status) => status switch
    {
        ComponentStatus.MajorOutage => 4,
        ComponentStatus.PartialOutage => 3,
        ComponentStatus.DegradedPerformance => 2,
        ComponentStatus.UnderMaintenance => 1,
        _ => 0,
    };
}
