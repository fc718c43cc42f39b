using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Firebreak.Alerts;

public enum SignalAction { Trigger, Acknowledge, Resolve }

/// <summary>
/// One alert event from any sender, in Firebreak's terms. The intake adapters produce these; the writer
/// stores them. <see cref="OccurredAt"/> names the firing episode: the same alert with the same episode is
/// a duplicate delivery, a later episode is a new occurrence.
/// </summary>
public sealed class AlertSignal
{
    public required int IntegrationId { get; init; }
    public required string DedupKey { get; init; }
    public required SignalAction Action { get; init; }
    public required string Source { get; init; }
    public required DateTime OccurredAt { get; init; }
    public DateTime? EndsAt { get; init; }
    public required string Summary { get; init; }
    public required string Severity { get; init; }
    public string? Service { get; set; }
    public string? AlertName { get; init; }
    /// <summary>The sender's own group key (Alertmanager's groupKey), when it has one.</summary>
    public string? SenderGroupKey { get; init; }
    public required IReadOnlyDictionary<string, string> Labels { get; init; }
    /// <summary>The labels as stored (JSON), serialised on the request's thread rather than the single writer's.</summary>
    public string LabelsJson { get; set; } = "{}";
    public string? AnnotationsJson { get; init; }
    public string? Link { get; init; }
    /// <summary>PagerDuty/Opsgenie acknowledge and resolve touch only an alert that exists; unknown keys are dropped.</summary>
    public bool UpdateOnly { get; init; }

    // Decided at intake from the rules and silences in force.
    public AlertTier Tier { get; set; }
    public string GroupKey { get; set; } = "";
    public long? SilenceId { get; set; }

    public const int MaxSummary = 1024;
    public const int MaxDedupKey = 512;

    public static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}

public static class Severities
{
    public const string Critical = "critical", Error = "error", Warning = "warning", Info = "info";

    /// <summary>Maps the senders' many spellings onto critical, error, warning, info.</summary>
    public static string Normalize(string? raw) => raw?.Trim().ToLowerInvariant() switch
    {
        "critical" or "crit" or "page" or "p1" or "sev0" or "sev1" or "fatal" or "emergency" or "disaster" => Critical,
        "error" or "err" or "high" or "major" or "p2" or "sev2" => Error,
        "warning" or "warn" or "medium" or "minor" or "p3" or "sev3" or "average" => Warning,
        "info" or "information" or "informational" or "low" or "none" or "ok" or "p4" or "p5" or "sev4" or "sev5" or "debug" => Info,
        _ => Warning,
    };

    public static bool IsPagerDutySeverity(string? raw) => raw is Critical or Error or Warning or Info;

    public static AlertTier DefaultTier(string severity) => severity switch
    {
        Critical or Error => AlertTier.Page,
        Warning => AlertTier.Ticket,
        _ => AlertTier.Fyi,
    };
}

public static class Fingerprints
{
    /// <summary>
    /// A stable fingerprint of a label set, for senders that give none (Alertmanager API v2): a 64-bit hash of
    /// the sorted name/value pairs, in the spirit of Alertmanager's own label-set signature.
    /// </summary>
    public static string Of(IReadOnlyDictionary<string, string> labels)
    {
        var hash = new XxHash64();
        Span<byte> separator = [0xff];
        foreach (var (name, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            hash.Append(Encoding.UTF8.GetBytes(name));
            hash.Append(separator);
            hash.Append(Encoding.UTF8.GetBytes(value));
            hash.Append(separator);
        }
        Span<byte> digest = stackalloc byte[8];
        hash.GetCurrentHash(digest);
        return BinaryPrimitives.ReadUInt64BigEndian(digest).ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }
}
