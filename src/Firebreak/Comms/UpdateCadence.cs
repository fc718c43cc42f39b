using Firebreak.Hosting;
using Firebreak.Incidents;

namespace Firebreak.Comms;

/// <summary>
/// How often each severity owes its audience an update. A CAN update without an explicit "next update in" is
/// due again after its severity's cadence; declaring starts the clock for the first one; raising the severity
/// brings the next one forward. Configured as <c>Firebreak:Comms:Cadence:SEV1 = 15m</c> ("none" for no cadence).
/// </summary>
public sealed class UpdateCadence(IReadOnlyDictionary<Severity, TimeSpan> every)
{
    public static readonly IReadOnlyDictionary<Severity, TimeSpan> Defaults = new Dictionary<Severity, TimeSpan>
    {
        [Severity.Sev0] = TimeSpan.FromMinutes(15),
        [Severity.Sev1] = TimeSpan.FromMinutes(15),
        [Severity.Sev2] = TimeSpan.FromMinutes(30),
        [Severity.Sev3] = TimeSpan.FromHours(1),
    };

    public static UpdateCadence Default { get; } = new(Defaults);

    public TimeSpan? For(Severity severity) => every.TryGetValue(severity, out var span) ? span : null;

    public DateTime? NextDue(Severity severity, DateTime from) => For(severity) is { } span ? from + span : null;

    /// <summary>The defaults, overridden per severity by configuration; a value that is not a duration stops the start.</summary>
    public static UpdateCadence FromConfiguration(IConfiguration config)
    {
        var every = new Dictionary<Severity, TimeSpan>(Defaults);
        foreach (var entry in config.GetSection("Firebreak:Comms:Cadence").GetChildren())
        {
            if (!Vocabulary.TryParseSeverity(entry.Key, out var severity))
                throw new InvalidOperationException($"Firebreak:Comms:Cadence:{entry.Key}: not a severity (SEV0 … SEV5).");
            if (string.Equals(entry.Value, "none", StringComparison.OrdinalIgnoreCase)) every.Remove(severity);
            else if (Durations.TryParse(entry.Value, out var span)) every[severity] = span;
            else throw new InvalidOperationException($"Firebreak:Comms:Cadence:{entry.Key}: '{entry.Value}' is not a duration such as 15m or 1h (or none).");
        }
        return new UpdateCadence(every);
    }
}
