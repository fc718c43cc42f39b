using System.Globalization;

namespace Firebreak.OnCall;

/// <summary>A span of every day in local time, such as 09:00-18:00; one that wraps midnight (22:00-06:00) is allowed.</summary>
public readonly record struct DailyWindow(TimeSpan Start, TimeSpan End)
{
    /// <summary>"HH:mm-HH:mm", start and end different, both within the day.</summary>
    public static bool TryParse(string? text, out DailyWindow window)
    {
        window = default;
        var parts = text?.Split('-', StringSplitOptions.TrimEntries);
        if (parts is not { Length: 2 }
            || !TimeSpan.TryParse(parts[0], CultureInfo.InvariantCulture, out var start) || !TimeSpan.TryParse(parts[1], CultureInfo.InvariantCulture, out var end)
            || start == end || start < TimeSpan.Zero || end < TimeSpan.Zero || start >= TimeSpan.FromDays(1) || end > TimeSpan.FromDays(1))
            return false;
        window = new DailyWindow(start, end);
        return true;
    }

    /// <summary>Start inclusive, end exclusive.</summary>
    public bool Contains(TimeSpan timeOfDay) =>
        Start <= End ? timeOfDay >= Start && timeOfDay < End : timeOfDay >= Start || timeOfDay < End;
}
