using Firebreak.Hosting;
using Firebreak.Incidents;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Firebreak.Alerts;

/// <summary>
/// Triage rules as code: grouping, tiers and auto-declare, read from <c>&lt;data dir&gt;/alert-rules.yaml</c>
/// when present. Without the file the defaults apply: group by service and alertname (or the sender's own
/// group key), tier from severity, and "a page-tier alert on a tier-1 service declares a SEV2".
/// </summary>
public sealed class AlertRules
{
    public required GroupingRule Grouping { get; init; }
    public required IReadOnlyList<TierRule> Tiers { get; init; }
    public required IReadOnlyList<AutoDeclareRule> AutoDeclare { get; init; }
    public string? LoadedFrom { get; init; }

    public const string FileName = "alert-rules.yaml";

    public static AlertRules Default => new()
    {
        Grouping = new GroupingRule(["service", "alertname"], TimeSpan.Zero, TimeSpan.FromMinutes(1), UseSenderGroupKey: true),
        Tiers = [],
        AutoDeclare = [new AutoDeclareRule("page-on-tier-1", [], AlertTier.Page, ServiceTier: 1, Severity.Sev2)],
    };

    public AlertTier TierOf(AlertSignal signal)
    {
        foreach (var rule in Tiers)
        {
            if (rule.Matchers.All(m => m.Matches(signal.Labels))) return rule.Tier;
        }
        return Severities.DefaultTier(signal.Severity);
    }

    public string GroupKeyOf(AlertSignal signal)
    {
        if (Grouping.UseSenderGroupKey && !string.IsNullOrEmpty(signal.SenderGroupKey))
            return AlertSignal.Truncate($"{signal.Source}:{signal.SenderGroupKey}", 1024);
        var values = Grouping.By.Select(label => label switch
        {
            "service" => signal.Service ?? signal.Labels.GetValueOrDefault("service") ?? "",
            "alertname" => signal.AlertName ?? signal.Labels.GetValueOrDefault("alertname") ?? "",
            _ => signal.Labels.GetValueOrDefault(label) ?? "",
        }).ToList();
        // Nothing to group on: the alert is a group of its own.
        if (values.All(string.IsNullOrEmpty)) return $"alert:{signal.IntegrationId}:{signal.DedupKey}";
        return AlertSignal.Truncate(string.Join('/', Grouping.By.Zip(values, (l, v) => $"{l}={v}")), 1024);
    }

    public static AlertRules Load(string dataDir)
    {
        var path = Path.Combine(dataDir, FileName);
        return File.Exists(path) ? Parse(File.ReadAllText(path), path) : Default;
    }

    public static AlertRules Parse(string yaml, string? source = null)
    {
        var file = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build()
            .Deserialize<RulesFile>(yaml) ?? new RulesFile();
        string Where(string what) => $"{source ?? FileName}: {what}";

        var grouping = Default.Grouping;
        if (file.Grouping is { } g)
        {
            var wait = TimeSpan.Zero;
            var interval = TimeSpan.FromMinutes(1);
            if (g.Wait is { } w && !Durations.TryParseOrZero(w, out wait)) throw new FormatException(Where($"grouping.wait '{w}' is not a duration"));
            if (g.Interval is { } iv && !Durations.TryParseOrZero(iv, out interval)) throw new FormatException(Where($"grouping.interval '{iv}' is not a duration"));
            grouping = new GroupingRule(g.By is { Count: > 0 } by ? by : ["service", "alertname"], wait, interval, g.UseSenderGroupKey ?? true);
        }
        var tiers = new List<TierRule>();
        foreach (var t in file.Tiers ?? [])
        {
            var matchers = LabelMatcher.ParseAll(t.Match ?? [], out var error);
            if (error is not null) throw new FormatException(Where(error));
            if (!Enum.TryParse<AlertTier>(t.Tier, true, out var tier)) throw new FormatException(Where($"tier '{t.Tier}' must be page, ticket or fyi"));
            tiers.Add(new TierRule(matchers, tier));
        }
        var declare = new List<AutoDeclareRule>();
        foreach (var d in file.AutoDeclare ?? [])
        {
            var matchers = LabelMatcher.ParseAll(d.Match ?? [], out var error);
            if (error is not null) throw new FormatException(Where(error));
            var tier = AlertTier.Page;
            if (d.Tier is not null && !Enum.TryParse(d.Tier, true, out tier)) throw new FormatException(Where($"autoDeclare tier '{d.Tier}' must be page, ticket or fyi"));
            if (!Vocabulary.TryParseSeverity(d.Severity ?? "SEV2", out var severity)) throw new FormatException(Where($"autoDeclare severity '{d.Severity}' must be SEV0 … SEV5"));
            declare.Add(new AutoDeclareRule(d.Name ?? $"rule-{declare.Count + 1}", matchers, tier, d.ServiceTier, severity));
        }
        return new AlertRules { Grouping = grouping, Tiers = tiers, AutoDeclare = declare, LoadedFrom = source };
    }

    private sealed class RulesFile
    {
        public GroupingSection? Grouping { get; set; }
        public List<TierSection>? Tiers { get; set; }
        public List<DeclareSection>? AutoDeclare { get; set; }
    }

    private sealed class GroupingSection
    {
        public List<string>? By { get; set; }
        public string? Wait { get; set; }
        public string? Interval { get; set; }
        public bool? UseSenderGroupKey { get; set; }
    }

    private sealed class TierSection
    {
        public List<string>? Match { get; set; }
        public string? Tier { get; set; }
    }

    private sealed class DeclareSection
    {
        public string? Name { get; set; }
        public List<string>? Match { get; set; }
        public string? Tier { get; set; }
        public int? ServiceTier { get; set; }
        public string? Severity { get; set; }
    }
}

/// <summary>Alertmanager's group_wait (hold a new group before acting) and group_interval (between updates).</summary>
public sealed record GroupingRule(IReadOnlyList<string> By, TimeSpan Wait, TimeSpan Interval, bool UseSenderGroupKey);

public sealed record TierRule(IReadOnlyList<LabelMatcher> Matchers, AlertTier Tier);

/// <summary>When an alert group's firing alerts match, declare an incident of this severity and link the group.</summary>
public sealed record AutoDeclareRule(string Name, IReadOnlyList<LabelMatcher> Matchers, AlertTier Tier, int? ServiceTier, Severity Severity);
