namespace Firebreak.Incidents;

/// <summary>Impact-based severity: SEV0 is the worst.</summary>
public enum Severity { Sev0 = 0, Sev1 = 1, Sev2 = 2, Sev3 = 3, Sev4 = 4, Sev5 = 5 }

public enum IncidentStatus { Triage, Investigating, Mitigated, Resolved, Closed }

public enum IncidentRole { Commander, Comms, Scribe, Ops, Sme }

/// <summary>What a decision-log entry is: a known, a guess, a call that was made, a thing done, or a remark.</summary>
public enum LogKind { Fact, Hypothesis, Decision, Action, Note }

public static class Vocabulary
{
    public static string Format(this Severity severity) => "SEV" + (int)severity;

    public static string Format(this IncidentStatus status) => status.ToString().ToLowerInvariant();

    public static string Format(this IncidentRole role) => role.ToString().ToLowerInvariant();

    public static string Format(this LogKind kind) => kind.ToString().ToLowerInvariant();

    public static string Meaning(this Severity severity) => severity switch
    {
        Severity.Sev0 => "Catastrophic: the product is down or data is lost or exposed for all customers",
        Severity.Sev1 => "Critical: a core function is unavailable for many customers",
        Severity.Sev2 => "Major: a core function is degraded, or down for a subset of customers",
        Severity.Sev3 => "Minor: partial degradation with a workaround; limited customer impact",
        Severity.Sev4 => "Low: little or no customer impact; internal tooling or redundancy affected",
        _ => "Third-party or monitor only: an upstream provider's issue or a watch, no customer impact from us",
    };

    /// <summary>Accepts <c>2</c>, <c>SEV2</c>, <c>sev2</c>, <c>Sev-2</c>.</summary>
    public static bool TryParseSeverity(string? text, out Severity severity)
    {
        severity = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var t = text.Trim();
        if (t.StartsWith("SEV", StringComparison.OrdinalIgnoreCase)) t = t[3..].TrimStart('-', ' ');
        if (t.Length == 1 && t[0] is >= '0' and <= '5')
        {
            severity = (Severity)(t[0] - '0');
            return true;
        }
        return false;
    }

    public static bool TryParseStatus(string? text, out IncidentStatus status) =>
        TryParseName(text, out status);

    public static bool TryParseLogKind(string? text, out LogKind kind) => TryParseName(text, out kind);

    public static bool TryParseRole(string? text, out IncidentRole role)
    {
        role = default;
        var t = text?.Trim().ToLowerInvariant().Replace("_", "-", StringComparison.Ordinal);
        switch (t)
        {
            case "commander" or "ic" or "incident-commander": role = IncidentRole.Commander; return true;
            case "comms" or "comms-lead" or "communications": role = IncidentRole.Comms; return true;
            case "scribe": role = IncidentRole.Scribe; return true;
            case "ops" or "ops-lead" or "operations": role = IncidentRole.Ops; return true;
            case "sme" or "expert": role = IncidentRole.Sme; return true;
            default: return false;
        }
    }

    /// <summary>Roles held by one person at a time; subject-matter experts can be many.</summary>
    public static bool IsSingleHolder(this IncidentRole role) => role != IncidentRole.Sme;

    public static string Names<T>() where T : struct, Enum =>
        string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()));

    private static bool TryParseName<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        // Enum.TryParse also takes digits; only names are part of the vocabulary.
        if (char.IsDigit(text.Trim()[0])) return false;
        return Enum.TryParse(text.Trim(), ignoreCase: true, out value) && Enum.IsDefined(value);
    }
}
