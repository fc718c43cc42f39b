using System.Globalization;
using Firebreak.Hosting;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Firebreak.Catalog;

/// <summary>A catalog as read from files: what the repository says, before it is applied.</summary>
public sealed record CatalogSnapshot(
    string Version,
    IReadOnlyList<PersonSpec> People,
    IReadOnlyList<TeamSpec> Teams,
    IReadOnlyList<ServiceSpec> Services,
    IReadOnlyList<AlertPlanSpec> AlertPlans,
    IReadOnlyList<RoutingScenario> Routing,
    IReadOnlyList<LintFinding> ParseFindings,
    IReadOnlySet<string> Files)
{
    /// <summary>On-call schedules declared as code (schedules/&lt;name&gt;.yaml).</summary>
    public IReadOnlyList<(string File, OnCall.ScheduleSpec Spec)> Schedules { get; init; } = [];

    /// <summary>Escalation policies declared as code (escalation-policies/&lt;name&gt;.yaml).</summary>
    public IReadOnlyList<(string File, OnCall.PolicySpec Spec)> Policies { get; init; } = [];

    /// <summary>Comms draft templates as code (comms/templates/&lt;audience&gt;.liquid), by audience.</summary>
    public IReadOnlyList<(string File, string Audience, string Text)> Templates { get; init; } = [];
}

public sealed record PersonSpec(string Handle, string Name, string? Email);

public sealed record TeamSpec(string ShortName, string Name, IReadOnlyList<string> Members, string? Channel, string? Escalation, string File);

public sealed record SloSpec(string Name, string Objective);

public sealed record ServiceSpec(
    string ShortName, string Id, string Name, string? Description, string? Owner, int Tier, IReadOnlyList<string> DependsOn,
    string? Escalation, IReadOnlyDictionary<string, string> Links, IReadOnlyList<SloSpec> Slos, DateOnly? LastReviewed,
    string? Runbook, string File, string? RunbookFile, IReadOnlyDictionary<string, int> Lines)
{
    /// <summary>The line of a key in service.yaml (1 when absent), for findings.</summary>
    public int LineOf(string key) => Lines.GetValueOrDefault(key, 1);
}

public sealed record AlertPlanSpec(string AlertName, string Markdown, string File);

public sealed record RoutingScenario(string Scenario, string Team, IReadOnlyList<string> Keywords);

/// <summary>One lint or parse finding, pointing at a file and line like a compiler does.</summary>
public sealed record LintFinding(string Severity, string File, int Line, string Message)
{
    public const string Error = "error", Warning = "warning";
    public override string ToString() => $"{File}:{Line}: {Severity}: {Message}";
}

/// <summary>Reads the catalog layout (see examples/catalog/README.md) from a set of files.</summary>
public static class CatalogReader
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance).IgnoreUnmatchedProperties().Build();

    public static CatalogSnapshot Read(IReadOnlyDictionary<string, string> files, string version)
    {
        var findings = new List<LintFinding>();
        var people = new List<PersonSpec>();
        var teams = new List<TeamSpec>();
        var services = new List<ServiceSpec>();
        var plans = new List<AlertPlanSpec>();
        var routing = new List<RoutingScenario>();

        if (files.TryGetValue("people.yaml", out var peopleYaml) && Parse<PeopleFile>("people.yaml", peopleYaml, findings) is { } pf)
            people.AddRange((pf.People ?? []).Where(p => !string.IsNullOrWhiteSpace(p.Handle))
                .Select(p => new PersonSpec(p.Handle!.Trim().ToLowerInvariant(), p.Name ?? p.Handle!, p.Email)));

        foreach (var (path, text) in files.Where(f => f.Key.StartsWith("teams/", StringComparison.Ordinal) && IsYaml(f.Key)).OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (Parse<TeamFile>(path, text, findings) is not { } t) continue;
            var shortName = (t.ShortName ?? Path.GetFileNameWithoutExtension(path)).Trim().ToUpperInvariant();
            teams.Add(new TeamSpec(shortName, t.Name ?? shortName, [.. (t.Members ?? []).Select(m => m.Trim().ToLowerInvariant())], t.Channel, t.Escalation, path));
        }

        foreach (var (path, text) in files.Where(f => f.Key.StartsWith("services/", StringComparison.Ordinal) && f.Key.EndsWith("/service.yaml", StringComparison.Ordinal)).OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (Parse<ServiceFile>(path, text, findings) is not { } s) continue;
            var folder = path.Split('/')[1];
            var runbookPath = $"services/{folder}/runbook.md";
            DateOnly? reviewed = null;
            if (s.LastReviewed is { } lr)
            {
                if (DateOnly.TryParse(lr, CultureInfo.InvariantCulture, out var d)) reviewed = d;
                else findings.Add(new LintFinding(LintFinding.Error, path, LineOf(text, "last_reviewed"), $"last_reviewed '{lr}' is not a date like 2026-10-15"));
            }
            services.Add(new ServiceSpec(
                folder, s.Id ?? Service.CanonicalIdOf(folder), s.Name ?? folder, s.Description, s.Owner?.Trim().ToUpperInvariant(),
                s.Tier ?? 2, [.. (s.DependsOn ?? []).Select(Service.ShortNameOf)], s.Escalation,
                s.Links ?? new Dictionary<string, string>(), [.. (s.Slos ?? []).Select(x => new SloSpec(x.Name ?? "", x.Objective ?? ""))],
                reviewed, files.GetValueOrDefault(runbookPath), path, files.ContainsKey(runbookPath) ? runbookPath : null,
                new[] { "id", "owner", "tier", "depends_on", "last_reviewed" }.ToDictionary(k => k, k => LineOf(text, k))));
        }

        foreach (var (path, text) in files.Where(f => f.Key.StartsWith("alert-plans/", StringComparison.Ordinal) && f.Key.EndsWith(".md", StringComparison.Ordinal)))
            plans.Add(new AlertPlanSpec(Path.GetFileNameWithoutExtension(path), text, path));

        if (files.TryGetValue("routing.yaml", out var routingYaml) && Parse<RoutingFile>("routing.yaml", routingYaml, findings) is { } rf)
            routing.AddRange((rf.Scenarios ?? []).Where(r => r.Scenario is not null && r.Team is not null)
                .Select(r => new RoutingScenario(r.Scenario!, r.Team!.Trim().ToUpperInvariant(), [.. (r.Keywords ?? []).Select(k => k.ToLowerInvariant())])));

        var schedules = new List<(string, OnCall.ScheduleSpec)>();
        foreach (var (path, text) in files.Where(f => f.Key.StartsWith("schedules/", StringComparison.Ordinal) && IsYaml(f.Key)).OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (Parse<ScheduleFile>(path, text, findings) is not { } sf) continue;
            schedules.Add((path, new OnCall.ScheduleSpec(sf.Name ?? Path.GetFileNameWithoutExtension(path), sf.TimeZone, sf.Description,
                [.. (sf.Layers ?? []).Select(l => new OnCall.LayerSpec(l.Name, l.Rotation, l.Handoff, l.Members, l.TimeZone, l.WeekdaysOnly, l.Window))])));
        }

        var policies = new List<(string, OnCall.PolicySpec)>();
        foreach (var (path, text) in files.Where(f => f.Key.StartsWith("escalation-policies/", StringComparison.Ordinal) && IsYaml(f.Key)).OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (Parse<PolicyFile>(path, text, findings) is not { } policyFile) continue;
            policies.Add((path, new OnCall.PolicySpec(policyFile.Name ?? Path.GetFileNameWithoutExtension(path),
                [.. (policyFile.Steps ?? []).Select(st => new OnCall.StepSpec(st.Targets, st.Delay, st.Window, st.TimeZone))], policyFile.Repeat, policyFile.Description)));
        }

        var templates = files.Where(f => f.Key.StartsWith(Comms.Drafts.CatalogFolder + "/", StringComparison.Ordinal) && f.Key.EndsWith(".liquid", StringComparison.Ordinal))
            .OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => (f.Key, Path.GetFileNameWithoutExtension(f.Key), f.Value)).ToList();

        return new CatalogSnapshot(version, people, teams, services, plans, routing, findings, files.Keys.ToHashSet(StringComparer.Ordinal))
        {
            Schedules = schedules,
            Policies = policies,
            Templates = templates,
        };
    }

    private static bool IsYaml(string path) => path.EndsWith(".yaml", StringComparison.Ordinal) || path.EndsWith(".yml", StringComparison.Ordinal);

    private static T? Parse<T>(string path, string text, List<LintFinding> findings) where T : class
    {
        try
        {
            return Yaml.Deserialize<T>(text);
        }
        catch (YamlException e)
        {
            findings.Add(new LintFinding(LintFinding.Error, path, (int)e.Start.Line, "malformed YAML: " + (e.InnerException?.Message ?? e.Message)));
            return null;
        }
    }

    /// <summary>The 1-based line where a key first appears, so findings can point at it.</summary>
    public static int LineOf(string text, string key)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith(key + ":", StringComparison.Ordinal)) return i + 1;
        }
        return 1;
    }

    private sealed class PeopleFile { public List<PersonEntry>? People { get; set; } }
    private sealed class PersonEntry { public string? Handle { get; set; } public string? Name { get; set; } public string? Email { get; set; } }
    private sealed class TeamFile { public string? ShortName { get; set; } public string? Name { get; set; } public List<string>? Members { get; set; } public string? Channel { get; set; } public string? Escalation { get; set; } }
    private sealed class SloEntry { public string? Name { get; set; } public string? Objective { get; set; } }
    private sealed class ServiceFile
    {
        public string? Id { get; set; }
        public string? Name { get; set; }
        public string? Description { get; set; }
        public string? Owner { get; set; }
        public int? Tier { get; set; }
        public List<string>? DependsOn { get; set; }
        public string? Escalation { get; set; }
        public Dictionary<string, string>? Links { get; set; }
        public List<SloEntry>? Slos { get; set; }
        public string? LastReviewed { get; set; }
    }
    private sealed class ScheduleFile
    {
        public string? Name { get; set; }
        public string? TimeZone { get; set; }
        public string? Description { get; set; }
        public List<LayerEntry>? Layers { get; set; }
    }
    private sealed class LayerEntry
    {
        public string? Name { get; set; }
        public string? Rotation { get; set; }
        public string? Handoff { get; set; }
        public List<string>? Members { get; set; }
        public string? TimeZone { get; set; }
        public bool WeekdaysOnly { get; set; }
        public string? Window { get; set; }
    }
    private sealed class PolicyFile
    {
        public string? Name { get; set; }
        public string? Description { get; set; }
        public int Repeat { get; set; }
        public List<StepEntry>? Steps { get; set; }
    }
    private sealed class StepEntry
    {
        public List<string>? Targets { get; set; }
        public string? Delay { get; set; }
        public string? Window { get; set; }
        public string? TimeZone { get; set; }
    }
    private sealed class RoutingFile { public List<RoutingEntry>? Scenarios { get; set; } }
    private sealed class RoutingEntry { public string? Scenario { get; set; } public string? Team { get; set; } public List<string>? Keywords { get; set; } }
}

public sealed record LintOptions(DateOnly Today, TimeSpan MaxReviewAge);

/// <summary>
/// The catalog lint, usable in a service repository's CI: errors make a catalog unusable (and are refused by
/// sync), warnings flag what is unsafe to rely on, such as runbooks nobody has reviewed for months.
/// </summary>
public static class CatalogLint
{
    /// <summary>Each required runbook section, with the headings accepted for it.</summary>
    public static readonly (string Section, string[] Headings)[] RequiredRunbookSections =
    [
        ("how to tell it is broken", ["how to tell", "symptoms", "is it broken"]),
        ("what to check", ["what to check", "diagnos", "investigat"]),
        ("known fixes", ["known fixes", "fixes", "mitigation", "remediation"]),
        ("escalation", ["escalation", "escalate", "who to call"]),
    ];

    // Precise source locations, so a broken link is reported at its own line.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePreciseSourceLocation().Build();

    public static List<LintFinding> Check(CatalogSnapshot catalog, LintOptions options)
    {
        var findings = new List<LintFinding>(catalog.ParseFindings);
        var teams = catalog.Teams.Select(t => t.ShortName).ToHashSet(StringComparer.Ordinal);
        var services = catalog.Services.ToDictionary(s => s.ShortName, StringComparer.Ordinal);
        var people = catalog.People.Select(p => p.Handle).ToHashSet(StringComparer.Ordinal);

        foreach (var (file, audience, text) in catalog.Templates)
        {
            if (!Comms.Drafts.Audiences.Contains(audience))
                findings.Add(new LintFinding(LintFinding.Error, file, 1, $"'{audience}' is not an audience ({string.Join(", ", Comms.Drafts.Audiences)})"));
            else if (Comms.Drafts.Check(text) is { } error)
                findings.Add(new LintFinding(LintFinding.Error, file, Comms.Drafts.LineOf(error), "the template does not parse: " + error));
        }

        foreach (var team in catalog.Teams)
        {
            foreach (var member in team.Members.Where(m => people.Count > 0 && !people.Contains(m)))
                findings.Add(new LintFinding(LintFinding.Warning, team.File, 1, $"member '{member}' is not in people.yaml"));
        }
        foreach (var s in catalog.Services)
        {
            if (!Service.IsValidShortName(s.ShortName))
                findings.Add(new LintFinding(LintFinding.Error, s.File, 1, $"folder name '{s.ShortName}' is not a valid service short name (lower-case letters, digits, '-')"));
            if (s.Id != Service.CanonicalIdOf(s.ShortName))
                findings.Add(new LintFinding(LintFinding.Error, s.File, s.LineOf("id"), $"id '{s.Id}' should be {Service.CanonicalIdOf(s.ShortName)} (the folder name decides it)"));
            if (string.IsNullOrEmpty(s.Owner)) findings.Add(new LintFinding(LintFinding.Error, s.File, 1, "no owner: every service needs an owning team"));
            else if (!teams.Contains(s.Owner)) findings.Add(new LintFinding(LintFinding.Error, s.File, s.LineOf("owner"), $"owner '{s.Owner}' is not a team in teams/"));
            if (s.Tier is < 1 or > 3) findings.Add(new LintFinding(LintFinding.Error, s.File, s.LineOf("tier"), $"tier {s.Tier} must be 1, 2 or 3"));
            foreach (var dependency in s.DependsOn.Where(d => !services.ContainsKey(d)))
                findings.Add(new LintFinding(LintFinding.Error, s.File, s.LineOf("depends_on"), $"depends on unknown service '{dependency}'"));
            if (s.Tier == 1 && s.Runbook is null)
                findings.Add(new LintFinding(LintFinding.Error, s.File, 1, "tier-1 service without a runbook.md"));
            if (s.Runbook is { } runbook) findings.AddRange(CheckMarkdown(s.RunbookFile!, runbook, catalog.Files, requireRunbookSections: true));
            if (s.LastReviewed is null)
                findings.Add(new LintFinding(LintFinding.Warning, s.File, 1, "no last_reviewed date: nobody vouches that this is current"));
            else if (options.Today.DayNumber - s.LastReviewed.Value.DayNumber > options.MaxReviewAge.TotalDays)
                findings.Add(new LintFinding(LintFinding.Warning, s.File, s.LineOf("last_reviewed"),
                    $"last reviewed {s.LastReviewed:yyyy-MM-dd}, more than {(int)options.MaxReviewAge.TotalDays} days ago: stale docs are unsafe at 3 a.m."));
        }
        foreach (var plan in catalog.AlertPlans) findings.AddRange(CheckMarkdown(plan.File, plan.Markdown, catalog.Files, requireRunbookSections: false));
        foreach (var cycle in CatalogGraph.Cycles(catalog.Services.ToDictionary(s => s.ShortName, s => s.DependsOn)))
        {
            var first = services[cycle[0]];
            findings.Add(new LintFinding(LintFinding.Error, first.File, first.LineOf("depends_on"), "dependency cycle: " + string.Join(" → ", cycle.Append(cycle[0]))));
        }
        var knownHandles = people.Union(catalog.Teams.SelectMany(t => t.Members)).ToHashSet(StringComparer.Ordinal);
        foreach (var (file, spec) in catalog.Schedules)
        {
            foreach (var (field, message) in OnCall.ScheduleRules.Validate(spec, knownHandles, out _))
                findings.Add(new LintFinding(LintFinding.Error, file, 1, $"{field}: {message}"));
        }
        var scheduleNames = catalog.Schedules.Select(x => x.Spec.Name?.ToLowerInvariant()).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var (file, spec) in catalog.Policies)
        {
            if (spec.Steps is not { Count: > 0 }) findings.Add(new LintFinding(LintFinding.Error, file, 1, "an escalation policy needs at least one step"));
            foreach (var target in (spec.Steps ?? []).SelectMany(st => st.Targets ?? []))
            {
                var (kind, value) = target.Split(':', 2) is [var k, var v] ? (k, v) : ("", target);
                var known = kind switch
                {
                    "schedule" => scheduleNames.Contains(value),
                    "person" => knownHandles.Contains(value.ToLowerInvariant()),
                    "team" => teams.Contains(value.ToUpperInvariant()),
                    _ => false,
                };
                if (!known) findings.Add(new LintFinding(LintFinding.Error, file, 1, $"unknown target '{target}' (use schedule:<name>, person:<handle> or team:<NAME> from this catalog)"));
            }
            foreach (var delay in (spec.Steps ?? []).Select(st => st.Delay).OfType<string>())
            {
                if (!Hosting.Durations.TryParseOrZero(delay, out _))
                    findings.Add(new LintFinding(LintFinding.Error, file, 1, $"'{delay}' is not a delay such as 5m"));
            }
        }
        foreach (var escalation in catalog.Services.Select(x => (x.File, Ref: x.Escalation)).Concat(catalog.Teams.Select(t => (t.File, Ref: t.Escalation))))
        {
            if (escalation.Ref is { } name && !scheduleNames.Contains(name) && catalog.Policies.All(p => p.Spec.Name != name))
                findings.Add(new LintFinding(LintFinding.Warning, escalation.File, 1, $"escalation '{name}' names no schedule or escalation policy in this catalog: nobody will be paged"));
        }
        foreach (var scenario in catalog.Routing.Where(r => !teams.Contains(r.Team)))
            findings.Add(new LintFinding(LintFinding.Error, "routing.yaml", 1, $"scenario '{scenario.Scenario}' routes to unknown team '{scenario.Team}'"));
        return [.. findings.OrderBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Line)];
    }

    private static IEnumerable<LintFinding> CheckMarkdown(string path, string markdown, IReadOnlySet<string> files, bool requireRunbookSections)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        if (requireRunbookSections)
        {
            var headings = document.Descendants<HeadingBlock>()
                .Select(h => string.Concat(h.Inline?.Descendants<LiteralInline>().Select(l => l.Content.ToString()) ?? []).ToLowerInvariant()).ToList();
            foreach (var (section, accepted) in RequiredRunbookSections)
            {
                if (!headings.Any(h => accepted.Any(a => h.Contains(a, StringComparison.Ordinal))))
                    yield return new LintFinding(LintFinding.Error, path, 1, $"runbook has no '{section}' section");
            }
        }
        var folder = Path.GetDirectoryName(path)?.Replace('\\', '/') ?? "";
        foreach (var link in document.Descendants<LinkInline>())
        {
            var url = link.Url;
            if (string.IsNullOrEmpty(url) || url.Contains("://", StringComparison.Ordinal) || url.StartsWith('#') || url.StartsWith("mailto:", StringComparison.Ordinal)) continue;
            var target = Normalize(folder, url.Split('#')[0]);
            if (!files.Contains(target) && !files.Any(f => f.StartsWith(target + "/", StringComparison.Ordinal)))
                yield return new LintFinding(LintFinding.Error, path, link.Line + 1, $"broken relative link '{url}'");
        }
    }

    private static string Normalize(string folder, string relative)
    {
        var parts = new List<string>(folder.Length == 0 ? [] : folder.Split('/'));
        foreach (var part in relative.Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); }
            else parts.Add(part);
        }
        return string.Join('/', parts);
    }
}

/// <summary>The dependency graph: who depends on whom, cycles, and what is downstream of a failure.</summary>
public static class CatalogGraph
{
    /// <summary>Each elementary cycle found (as a list of service short names), once.</summary>
    public static List<List<string>> Cycles(IReadOnlyDictionary<string, IReadOnlyList<string>> dependsOn)
    {
        var cycles = new List<List<string>>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Visit(string node)
        {
            state[node] = 1;
            stack.Add(node);
            foreach (var next in dependsOn.GetValueOrDefault(node) ?? [])
            {
                if (!dependsOn.ContainsKey(next)) continue;
                if (state.GetValueOrDefault(next) == 1)
                {
                    var cycle = stack.Skip(stack.IndexOf(next)).ToList();
                    var key = string.Join(",", cycle.Order(StringComparer.Ordinal));
                    if (seen.Add(key)) cycles.Add(cycle);
                }
                else if (state.GetValueOrDefault(next) == 0) Visit(next);
            }
            stack.RemoveAt(stack.Count - 1);
            state[node] = 2;
        }
        foreach (var node in dependsOn.Keys.Order(StringComparer.Ordinal))
        {
            if (state.GetValueOrDefault(node) == 0) Visit(node);
        }
        return cycles;
    }

    /// <summary>Every service that depends, directly or through others, on <paramref name="failing"/>, nearest first.</summary>
    public static List<(string Service, int Distance)> Downstream(IReadOnlyDictionary<string, IReadOnlyList<string>> dependsOn, string failing)
    {
        var dependents = dependsOn.SelectMany(kv => kv.Value.Select(d => (Dependency: d, Dependent: kv.Key)))
            .ToLookup(x => x.Dependency, x => x.Dependent, StringComparer.Ordinal);
        var result = new List<(string, int)>();
        var visited = new HashSet<string>(StringComparer.Ordinal) { failing };
        var frontier = new Queue<(string, int)>([(failing, 0)]);
        while (frontier.Count > 0)
        {
            var (node, distance) = frontier.Dequeue();
            foreach (var dependent in dependents[node].Order(StringComparer.Ordinal))
            {
                if (!visited.Add(dependent)) continue;
                result.Add((dependent, distance + 1));
                frontier.Enqueue((dependent, distance + 1));
            }
        }
        return result;
    }

    /// <summary>What <paramref name="service"/> depends on, directly or not, nearest first (the upstream of a failure).</summary>
    public static List<(string Service, int Distance)> Upstream(IReadOnlyDictionary<string, IReadOnlyList<string>> dependsOn, string service, int maxDistance = 3)
    {
        var result = new List<(string, int)>();
        var visited = new HashSet<string>(StringComparer.Ordinal) { service };
        var frontier = new Queue<(string, int)>([(service, 0)]);
        while (frontier.Count > 0)
        {
            var (node, distance) = frontier.Dequeue();
            if (distance >= maxDistance) continue;
            foreach (var dependency in (dependsOn.GetValueOrDefault(node) ?? []).Order(StringComparer.Ordinal))
            {
                if (!visited.Add(dependency)) continue;
                result.Add((dependency, distance + 1));
                frontier.Enqueue((dependency, distance + 1));
            }
        }
        return result;
    }
}
