using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace Firebreak.OnCall;

/// <summary>On-call shifts as an RFC 5545 calendar, for calendar apps to subscribe to.</summary>
public static class ScheduleCalendar
{
    public static string Render(string name, IEnumerable<(string Schedule, Shift Shift)> shifts)
    {
        var calendar = new Calendar { ProductId = "-//Firebreak//On-call//EN" };
        calendar.AddProperty("X-WR-CALNAME", name);
        foreach (var (schedule, shift) in shifts.Where(s => s.Shift.Handle is not null))
        {
            calendar.Events.Add(new CalendarEvent
            {
                Uid = $"{schedule}-{shift.Handle}-{shift.Start:yyyyMMddTHHmmss}@firebreak",
                Summary = $"On call: {shift.Handle} ({schedule})",
                Description = $"Firebreak schedule {schedule}, {shift.Source}",
                DtStart = new CalDateTime(DateTime.SpecifyKind(shift.Start, DateTimeKind.Utc), "UTC"),
                DtEnd = new CalDateTime(DateTime.SpecifyKind(shift.End, DateTimeKind.Utc), "UTC"),
            });
        }
        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }
}
