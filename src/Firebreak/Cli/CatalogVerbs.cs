using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Firebreak.Catalog;
using Firebreak.Hosting;
using LibGit2Sharp;
using Spectre.Console;

namespace Firebreak.Cli;

/// <summary>The catalog (sync, status, lint), what changed, and the first-five-seconds context.</summary>
public static class CatalogVerbs
{
    public static IEnumerable<Command> Build(CliEnvironment env, GlobalOptions globals)
    {
        var sync = new Command("sync", "Pull and apply the catalog repository now (admins only)");
        sync.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            JsonElement result;
            try { result = await c.Client.PostAsync("api/v1/catalog/sync", null, ct); }
            catch (CliProblem problem) when (problem.Message.Contains("(422)", StringComparison.Ordinal))
            {
                throw new CliProblem("The catalog was refused; the last good catalog stays. " + problem.Message);
            }
            if (c.Json) c.PrintJson(result);
            else c.Environment.Out.WriteLine($"Applied catalog {result.GetProperty("version").GetString()} from {result.GetProperty("source").GetString()}: " +
                $"{result.GetProperty("services").GetInt32()} services, {result.GetProperty("teams").GetInt32()} teams, {result.GetProperty("people").GetInt32()} people");
            if (!c.Json) foreach (var f in result.GetProperty("findings").EnumerateArray()) c.Environment.Out.WriteLine("  " + f.GetString());
        }));
        var status = new Command("status", "The catalog version in force and the last sync attempt");
        status.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            var s = await c.Client.GetAsync("api/v1/catalog", ct);
            if (c.Json) { c.PrintJson(s); return; }
            c.Environment.Out.WriteLine(s.GetProperty("version").ValueKind == JsonValueKind.String
                ? $"Catalog {s.GetProperty("version").GetString()} from {s.GetProperty("source").GetString()}, synced {s.GetProperty("syncedAt").GetDateTime().ToUniversalTime():yyyy-MM-dd HH:mm} UTC"
                : "No catalog has been applied (services are managed by hand).");
            if (s.GetProperty("lastAttemptApplied").ValueKind == JsonValueKind.False)
            {
                c.Environment.Out.WriteLine("The last sync attempt was refused:");
                foreach (var f in s.GetProperty("lastAttemptFindings").EnumerateArray()) c.Environment.Out.WriteLine("  " + f.GetString());
            }
        }));
        var lintPath = new Argument<string>("path") { Description = "The catalog folder (default: the current folder)", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "." };
        var maxAge = new Option<int>("--max-age") { Description = "Days after which last_reviewed is stale", DefaultValueFactory = _ => 180 };
        var strict = new Option<bool>("--strict") { Description = "Fail on warnings too (stale reviews, unknown members)" };
        var lint = new Command("lint", "Check a catalog folder (works offline, for a service repository's CI); exit 1 on errors") { lintPath, maxAge, strict };
        lint.SetAction((p, ct) =>
        {
            var folder = Path.GetFullPath(Path.Combine(env.CurrentDirectory, p.GetValue(lintPath)!));
            IReadOnlyDictionary<string, string> files;
            try { files = CatalogSource.FromFolder(folder).Files; }
            catch (DirectoryNotFoundException e)
            {
                env.Error.WriteLine("error: " + e.Message);
                return Task.FromResult(2);
            }
            var findings = CatalogLint.Check(CatalogReader.Read(files, "working tree"), new LintOptions(DateOnly.FromDateTime(DateTime.UtcNow), TimeSpan.FromDays(p.GetValue(maxAge))));
            var json = p.GetValue(globals.Json);
            if (json) env.Out.WriteLine(JsonSerializer.Serialize(findings, FirebreakClient.Json));
            else foreach (var f in findings) env.Out.WriteLine(f.ToString());
            var errors = findings.Count(f => f.Severity == LintFinding.Error);
            var warnings = findings.Count - errors;
            if (!json) env.Out.WriteLine($"{files.Count} files, {errors} error(s), {warnings} warning(s)");
            return Task.FromResult(errors > 0 || (p.GetValue(strict) && warnings > 0) ? 1 : 0);
        });
        yield return new Command("catalog", "The service catalog kept as code in git") { sync, status, lint };

        // what changed
        var incident = new Argument<string>("incident") { Description = "Incident id, e.g. INC-12" };
        var whatchanged = new Command("whatchanged", "Changes before impact to the affected services and their dependencies, ranked") { incident };
        whatchanged.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            var ranked = await c.Client.GetAsync($"api/v1/incidents/{Uri.EscapeDataString(p.GetValue(incident)!)}/changes", ct);
            if (c.Json) { c.PrintJson(ranked); return; }
            var rows = ranked.EnumerateArray().ToList();
            if (rows.Count == 0)
            {
                c.Console.MarkupLine("No recorded changes to the affected services or their dependencies in the 24 hours before impact.");
                return;
            }
            foreach (var r in rows) c.Console.MarkupLine(ChangeLine(r));
        }));
        yield return whatchanged;

        var repo = new Option<string>("--repo") { Description = "Path to the git repository", Required = true };
        var service = new Option<string>("--service") { Description = "The service the repository deploys", Required = true };
        var since = new Option<int>("--days") { Description = "How many days of history", DefaultValueFactory = _ => 30 };
        var import = new Command("import", "Record a git history as changes: commits, and tags as releases (deploys)") { repo, service, since };
        import.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            var changes = ReadGitHistory(Path.GetFullPath(Path.Combine(env.CurrentDirectory, p.GetValue(repo)!)), p.GetValue(service)!, TimeSpan.FromDays(p.GetValue(since)));
            var created = 0;
            foreach (var chunk in changes.Chunk(500))
                created += (await c.Client.PostAsync("api/v1/changes", chunk, ct)).GetArrayLength();
            if (c.Json) c.Environment.Out.WriteLine(JsonSerializer.Serialize(new { read = changes.Count, recorded = created }));
            else c.Environment.Out.WriteLine($"Read {changes.Count} commits and releases; recorded {created} new changes ({changes.Count - created} already known).");
        }));
        var listService = new Option<string?>("--service") { Description = "Only this service" };
        var list = new Command("list", "Recent changes, newest first") { listService };
        list.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            var rows = await c.Client.GetAsync("api/v1/changes" + (p.GetValue(listService) is { } s ? "?service=" + Uri.EscapeDataString(s) : ""), ct);
            if (c.Json) { c.PrintJson(rows); return; }
            foreach (var r in rows.EnumerateArray())
                c.Console.MarkupLine($"{r.GetProperty("occurredAt").GetDateTime().ToUniversalTime():MM-dd HH:mm}  {Markup.Escape(r.GetProperty("kind").GetString()!),-9} {Markup.Escape(r.GetProperty("service").GetString() ?? "")}  {Markup.Escape(r.GetProperty("summary").GetString()!)}");
        }));
        yield return new Command("changes", "Deploys, config changes and releases, for \"what changed?\"") { import, list };

        // context
        var subject = new Argument<string>("subject") { Description = "An incident (INC-12) or an alert (alert-345 or 345)" };
        var context = new Command("context", "What broke, how bad, where to verify, what to try first, who to call") { subject };
        context.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            var s = p.GetValue(subject)!;
            var path = s.StartsWith("alert", StringComparison.OrdinalIgnoreCase) || long.TryParse(s, out _)
                ? $"api/v1/alerts/{s.Split('-', ':').Last()}/context"
                : $"api/v1/incidents/{Uri.EscapeDataString(s)}/context";
            var view = await c.Client.GetAsync(path, ct);
            if (c.Json) { c.PrintJson(view); return; }
            PrintContext(c.Console, view);
        }));
        yield return context;

        var blastService = new Argument<string>("service") { Description = "Service short name or id" };
        var blast = new Command("blast-radius", "Which services depend on this one, and which of them are tier 1") { blastService };
        blast.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            var view = await c.Client.GetAsync($"api/v1/services/{Uri.EscapeDataString(p.GetValue(blastService)!)}/blast-radius", ct);
            if (c.Json) { c.PrintJson(view); return; }
            var downstream = view.GetProperty("downstream").EnumerateArray().ToList();
            c.Console.MarkupLine(downstream.Count == 0 ? "Nothing depends on it." : $"{downstream.Count} service(s) downstream:");
            foreach (var d in downstream)
                c.Console.MarkupLine($"  {new string(' ', 2 * (d.GetProperty("distance").GetInt32() - 1))}{Markup.Escape(d.GetProperty("service").GetString()!)} (tier {d.GetProperty("tier").GetInt32()}){(d.GetProperty("tier").GetInt32() == 1 ? " [red]tier 1[/]" : "")}");
        }));
        yield return blast;
    }

    public static string ChangeLine(JsonElement r)
    {
        var change = r.GetProperty("change");
        var before = TimeSpan.Parse(r.GetProperty("beforeImpact").GetString()!, CultureInfo.InvariantCulture);
        var when = before >= TimeSpan.Zero ? $"{Durations.Humanize(before)} before impact" : $"{Durations.Humanize(before)} after impact began";
        var rollback = r.GetProperty("rollbackCandidate").GetBoolean()
            ? $" [red bold]ROLLBACK CANDIDATE[/]{(r.GetProperty("rollBackTo").GetString() is { } to ? $" → roll back to {Markup.Escape(to)}" : "")}"
            : "";
        return $"  {Markup.Escape(change.GetProperty("kind").GetString()!),-9} {Markup.Escape(change.GetProperty("service").GetString() ?? "")}: {Markup.Escape(change.GetProperty("summary").GetString()!)} [grey]({when}; {Markup.Escape(r.GetProperty("relation").GetString()!)})[/]{rollback}";
    }

    private static void PrintContext(IAnsiConsole console, JsonElement v)
    {
        string? S(JsonElement e, string name) => e.TryGetProperty(name, out var x) && x.ValueKind == JsonValueKind.String ? x.GetString() : null;
        console.MarkupLine($"[bold]{Markup.Escape(S(v, "subject")!)}[/]: {Markup.Escape(S(v, "what")!)}");
        console.MarkupLine($"[grey]What broke:[/]   {Markup.Escape(S(v, "serviceName") ?? "unknown service")} {(S(v, "service") is { } id ? $"({Markup.Escape(id)})" : "")} {Markup.Escape(S(v, "severity") ?? "")}");
        if (v.TryGetProperty("blastRadius", out var blast) && blast.ValueKind == JsonValueKind.Object)
        {
            var tier1 = blast.GetProperty("tier1").EnumerateArray().Select(x => x.GetString()).ToList();
            console.MarkupLine($"[grey]How bad:[/]      tier {v.GetProperty("tier").GetInt32()}; {blast.GetProperty("downstream").GetArrayLength()} service(s) downstream{(tier1.Count > 0 ? $", tier 1: [red]{Markup.Escape(string.Join(", ", tier1))}[/]" : "")}");
        }
        if (v.TryGetProperty("verify", out var links) && links.ValueKind == JsonValueKind.Object)
            console.MarkupLine("[grey]Verify at:[/]    " + string.Join("  ", links.EnumerateObject().Select(l => $"{Markup.Escape(l.Name)}: {Markup.Escape(l.Value.GetString() ?? "")}")));
        console.MarkupLine($"[grey]Try first:[/]    {Markup.Escape(S(v, "tryFirst") ?? "no runbook or alert plan in the catalog")}");
        var who = v.GetProperty("who");
        console.MarkupLine($"[grey]Who to call:[/]  {(S(who, "team") is { } team ? $"{Markup.Escape(team)} ({Markup.Escape(S(who, "teamName") ?? "")}) {Markup.Escape(S(who, "channel") ?? "")}, escalation {Markup.Escape(S(who, "escalation") ?? "—")}{(S(who, "onCall") is { } onCall ? $", on call now: [bold]{Markup.Escape(onCall)}[/]" : "")} [grey](by {Markup.Escape(S(who, "routedBy") ?? "")})[/]" : "no owning team known")}");
        if (S(v, "catalogVersion") is { } version) console.MarkupLine($"[grey]Catalog:[/]      {Markup.Escape(version[..Math.Min(12, version.Length)])}");
    }

    /// <summary>Commits (first line of the message) and tags (as releases) from HEAD's history.</summary>
    public static List<object> ReadGitHistory(string path, string service, TimeSpan window)
    {
        var gitDir = Repository.Discover(path) ?? throw new CliProblem($"{path} is not in a git repository.");
        using var repo = new Repository(gitDir);
        var since = DateTimeOffset.UtcNow - window;
        var changes = new List<object>();
        foreach (var commit in repo.Commits.QueryBy(new CommitFilter { SortBy = CommitSortStrategies.Time | CommitSortStrategies.Topological }))
        {
            if (commit.Author.When < since) break;
            changes.Add(new { service, kind = "commit", summary = commit.MessageShort, commit = commit.Sha, author = commit.Author.Name, at = commit.Author.When.UtcDateTime });
        }
        foreach (var tag in repo.Tags)
        {
            if (tag.PeeledTarget is not LibGit2Sharp.Commit target) continue;
            var when = tag.Annotation?.Tagger?.When ?? target.Committer.When;
            if (when < since) continue;
            changes.Add(new { service, kind = "deploy", summary = $"Release {tag.FriendlyName}", version = tag.FriendlyName, commit = target.Sha, author = (tag.Annotation?.Tagger ?? target.Author).Name, at = when.UtcDateTime });
        }
        return changes;
    }
}
