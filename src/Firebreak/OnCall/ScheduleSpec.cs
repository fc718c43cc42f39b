using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Firebreak.Hosting;

namespace Firebreak.OnCall;

/// <summary>A schedule as written by a person (API) or in the catalog repository (schedules/&lt;name&gt;.yaml).</summary>
public sealed record ScheduleSpec(string? Name, string? TimeZone, string? Description, IReadOnlyList<LayerSpec>? Layers);

public sealed record LayerSpec(string? Name, string? Rotation, string? Handoff, IReadOnlyList<string>? Members, string? TimeZone = null,
    bool WeekdaysOnly = false, string? Window = null);

public sealed record OverrideRequest(string? Handle, DateTime? Start, DateTime? End);

/// <summary>Validates a schedule spec and turns it into layers; every problem names its field.</summary>
public static partial class ScheduleRules
{
    [GeneratedRegex("^[a-z][a-z0-9-]{1,63}$")]
    private static partial Regex NamePattern();

    public static bool IsValidTimeZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) return false;
        try { TimeZoneInfo.FindSystemTimeZoneById(id); return true; }
        catch (TimeZoneNotFoundException) { return false; }
        catch (InvalidTimeZoneException) { return false; }
    }

    /// <summary>daily, weekly, or a length such as 12h, 3d, 1h30m.</summary>
    public static bool TryParseRotation(string? text, out TimeSpan length)
    {
        length = default;
        var t = text?.Trim().ToLowerInvariant();
        switch (t)
        {
            case "daily": length = TimeSpan.FromDays(1); return true;
            case "weekly": length = TimeSpan.FromDays(7); return true;
            case null or "": return false;
        }
        if (t.EndsWith('d') && int.TryParse(t[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var days))
        {
            length = TimeSpan.FromDays(days);
            return days > 0 && days <= 90;
        }
        return Durations.TryParse(t, out length) && length >= TimeSpan.FromHours(1);
    }

    public static List<(string Field, string Message)> Validate(ScheduleSpec spec, IReadOnlySet<string> knownHandles, out Schedule? schedule)
    {
        var errors = new List<(string, string)>();
        schedule = null;
        var name = spec.Name?.Trim().ToLowerInvariant() ?? "";
        if (!NamePattern().IsMatch(name)) errors.Add(("name", "A schedule name is 2–64 characters: a lower-case letter, then letters, digits or '-' (e.g. api-primary)."));
        if (!IsValidTimeZone(spec.TimeZone)) errors.Add(("timeZone", $"'{spec.TimeZone}' is not a time zone; use an IANA name such as Europe/Berlin."));
        if (spec.Layers is not { Count: > 0 }) errors.Add(("layers", "A schedule needs at least one layer (a rotation of people)."));
        var layers = new List<ScheduleLayer>();
        for (var i = 0; i < (spec.Layers?.Count ?? 0); i++)
        {
            var l = spec.Layers![i];
            var field = $"layers[{i}]";
            var zone = l.TimeZone ?? spec.TimeZone;
            if (l.TimeZone is not null && !IsValidTimeZone(l.TimeZone)) errors.Add(($"{field}.timeZone", $"'{l.TimeZone}' is not a time zone."));
            if (!TryParseRotation(l.Rotation, out var length))
                errors.Add(($"{field}.rotation", $"'{l.Rotation}' is not a rotation length: use daily, weekly, or e.g. 12h or 3d (at least one hour; a zero-length rotation is refused)."));
            if (!DateTime.TryParse(l.Handoff, CultureInfo.InvariantCulture, DateTimeStyles.None, out var handoff))
                errors.Add(($"{field}.handoff", $"'{l.Handoff}' is not a local date and time such as 2026-11-02T09:00."));
            var members = (l.Members ?? []).Select(m => m.Trim().ToLowerInvariant()).ToList();
            if (members.Count == 0) errors.Add(($"{field}.members", "A layer needs at least one member."));
            foreach (var unknown in members.Where(m => !knownHandles.Contains(m)))
                errors.Add(($"{field}.members", $"No person has the handle '{unknown}'."));
            TimeSpan? start = null, end = null;
            if (l.Window is { Length: > 0 } window)
            {
                if (!DailyWindow.TryParse(window, out var daily))
                    errors.Add(($"{field}.window", $"'{window}' is not a daily window such as 09:00-17:00 (start and end must differ)."));
                else (start, end) = (daily.Start, daily.End);
            }
            layers.Add(new ScheduleLayer
            {
                Level = i, Name = string.IsNullOrWhiteSpace(l.Name) ? $"layer {i + 1}" : l.Name.Trim(), TimeZone = zone ?? "UTC",
                HandoffAt = DateTime.SpecifyKind(handoff, DateTimeKind.Unspecified), RotationLength = length, Members = string.Join(',', members),
                WeekdaysOnly = l.WeekdaysOnly, WindowStart = start, WindowEnd = end,
            });
        }
        if (errors.Count > 0) return errors;
        schedule = new Schedule
        {
            Name = name, TimeZone = spec.TimeZone!, Description = spec.Description, Layers = layers,
            CalendarSecret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20)),
        };
        return errors;
    }
}
