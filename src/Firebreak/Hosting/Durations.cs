using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Firebreak.Hosting;

public static partial class Durations
{
    [GeneratedRegex(@"^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s)?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();

    /// <summary>Reads <c>15m</c>, <c>1h</c>, <c>1h30m</c>, <c>90s</c>; a bare number is minutes.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes))
        {
            duration = TimeSpan.FromMinutes(minutes);
            return minutes > 0;
        }
        var match = Pattern().Match(text);
        if (!match.Success || match.Groups.Cast<Group>().Skip(1).All(g => !g.Success)) return false;
        int Part(int i) => match.Groups[i].Success ? int.Parse(match.Groups[i].Value, CultureInfo.InvariantCulture) : 0;
        duration = new TimeSpan(Part(1), Part(2), Part(3));
        return duration > TimeSpan.Zero && duration <= TimeSpan.FromDays(7);
    }

    /// <summary>Like <see cref="TryParse"/>, but zero ("0", "0s", "0m": at once) is allowed too.</summary>
    public static bool TryParseOrZero(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        return text?.Trim() is "0" or "0s" or "0m" || TryParse(text, out duration);
    }

    public static string Humanize(TimeSpan span)
    {
        var abs = span.Duration();
        if (abs.TotalMinutes < 1) return $"{(int)abs.TotalSeconds}s";
        if (abs.TotalHours < 1) return $"{(int)abs.TotalMinutes}m";
        if (abs.TotalDays < 1) return abs.Minutes == 0 ? $"{(int)abs.TotalHours}h" : $"{(int)abs.TotalHours}h{abs.Minutes}m";
        return abs.Hours == 0 ? $"{(int)abs.TotalDays}d" : $"{(int)abs.TotalDays}d{abs.Hours}h";
    }
}

/// <summary>Lets a string field also take a JSON number (<c>"severity": 2</c> as well as <c>"SEV2"</c>).</summary>
public sealed class StringOrNumberConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Number => Encoding.GetString(reader.ValueSpan),
            JsonTokenType.Null => null,
            _ => throw new JsonException("Expected a string or a number."),
        };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value);

    private static readonly System.Text.UTF8Encoding Encoding = new(false);
}
