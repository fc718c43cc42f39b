using System.Text.RegularExpressions;

namespace Firebreak.Comms;

public sealed record LintFinding(string Rule, string Match, int Line, int Column, string Message);

/// <summary>
/// Flags what should not reach customers: internal hostnames and addresses, incident-room jargon, and blame.
/// A finding is a place to look, not a verdict; posting a customer draft with findings needs <c>force</c>.
/// </summary>
public static partial class CustomerLint
{
    private static readonly (string Rule, Regex Pattern, string Message)[] Rules =
    [
        ("hostname", IpAddress(), "an IP address is internal detail"),
        ("hostname", InternalHost(), "an internal hostname; name the product customers use instead"),
        ("hostname", MachineName(), "looks like a machine or pod name; name the product customers use instead"),
        ("jargon", Jargon(), "incident-room jargon; say what customers experience instead"),
        ("blame", Blame(), "blameful wording; say what happened, not who is at fault"),
    ];

    /// <summary>The findings as one refusal message, each with its line and column.</summary>
    public static string Explain(IReadOnlyList<LintFinding> findings) =>
        "Customers would read internal detail or blame: " + string.Join("; ", findings.Select(f => $"line {f.Line}, column {f.Column}: {f.Message}")) + ".";

    public static IReadOnlyList<LintFinding> Check(string text)
    {
        var findings = new List<LintFinding>();
        var lines = text.Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            foreach (var (rule, pattern, message) in Rules)
            {
                foreach (Match m in pattern.Matches(lines[n]))
                {
                    if (findings.Any(f => f.Line == n + 1 && f.Column <= m.Index + 1 && m.Index + 1 < f.Column + f.Match.Length)) continue;
                    findings.Add(new LintFinding(rule, m.Value, n + 1, m.Index + 1, $"\"{m.Value}\": {message}"));
                }
            }
        }
        return findings;
    }

    [GeneratedRegex(@"\b\d{1,3}(\.\d{1,3}){3}\b")]
    private static partial Regex IpAddress();

    [GeneratedRegex(@"\b[a-z0-9-]+(\.[a-z0-9-]+)*\.(internal|local|lan|corp|intra|svc|cluster\.local)\b", RegexOptions.IgnoreCase)]
    private static partial Regex InternalHost();

    [GeneratedRegex(@"\b(ip-\d+-\d+-\d+-\d+|[a-z]+(-[a-z0-9]+)*-(prod|stg|staging|dev|db|k8s|node)-?\d+[a-z0-9-]*|[a-z0-9]+(-[a-z0-9]+)+-[a-z0-9]{5})\b", RegexOptions.IgnoreCase)]
    private static partial Regex MachineName();

    [GeneratedRegex(@"\b(SEV ?[0-5]|INC-\d+|p9[59]|5xx|4xx|OOM(Killed)?|k8s|kubernetes|pods?|postgres(ql)?|mysql|redis|kafka|replica(tion)? lag|failover|hotfix|rollback|roll(ed)? back|deploy(ed|ment)?|canary|config push|feature flag|RCA|root cause|mitigat(ed|ion)|upstream|downstream|shard|cluster|on-?call|runbook|postmortem|IC)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Jargon();

    [GeneratedRegex(@"\b(human error|operator error|(his|her|their|the vendor'?s|the engineer'?s) fault|fault of|to blame|blamed?|careless(ly|ness)?|negligen(t|ce)|incompetent|should have known|botched|screwed up)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Blame();
}
