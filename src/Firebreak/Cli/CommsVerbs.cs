using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace Firebreak.Cli;

/// <summary>Drafts for each audience, and the public status page: components, publishing, updates, maintenance, subscribers.</summary>
public static class CommsVerbs
{
    public static IEnumerable<Command> Build(CliEnvironment env, GlobalOptions globals)
    {
        var incidentArg = new Argument<string>("incident") { Description = "Incident ID, e.g. INC-42" };

        // draft
        var audience = new Option<string>("--audience", "-a") { Description = "responders, exec, customer or support", DefaultValueFactory = _ => "responders" };
        var post = new Option<bool>("--post") { Description = "Post it: recorded on the incident's timeline" };
        var file = new Option<FileInfo?>("--file") { Description = "Post this (edited) text instead of the draft" };
        var force = new Option<bool>("--force") { Description = "Post a customer text even though the lint flagged it" };
        var draft = new Command("draft", "Print a draft update for an audience, written from the current record (--post records it)") { incidentArg, audience, post, file, force };
        draft.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            var path = $"api/v1/incidents/{Seg(p.GetValue(incidentArg))}/drafts/{Seg(p.GetValue(audience))}";
            string? text = p.GetValue(file) is { } f ? await File.ReadAllTextAsync(f.FullName, ct) : null;
            var view = p.GetValue(post) || text is not null
                ? await c.Client.PostAsync(path, new { text, force = p.GetValue(force) }, ct)
                : await c.Client.GetAsync(path, ct);
            if (c.Json)
            {
                c.PrintJson(view);
                return;
            }
            c.Environment.Out.Write(view.GetProperty("text").GetString());
            foreach (var finding in view.GetProperty("findings").EnumerateArray())
                c.Console.MarkupLine($"[yellow]lint[/] line {finding.GetProperty("line").GetInt32()}, column {finding.GetProperty("column").GetInt32()}: {Markup.Escape(finding.GetProperty("message").GetString()!)}");
            if (p.GetValue(post) || text is not null) c.Console.MarkupLine($"[green]Posted to {Markup.Escape(view.GetProperty("audience").GetString()!)}[/] (on the timeline).");
        }));
        yield return draft;

        // statuspage …
        var componentKey = new Argument<string>("key") { Description = "Component key, e.g. checkout" };
        var name = new Option<string?>("--name") { Description = "The name customers see" };
        var description = new Option<string?>("--description") { Description = "One line under the name" };
        var service = new Option<string?>("--service") { Description = "The catalog service it stands for" };
        var componentAdd = new Command("add", "Add or change a component (admins)") { componentKey, name, description, service };
        componentAdd.SetAction(CliApp.Client(env, globals, async (c, p, ct) => Components(c, [await c.Client.PostAsync("api/v1/status/components",
            new { key = p.GetValue(componentKey), name = p.GetValue(name), description = p.GetValue(description), service = p.GetValue(service) }, ct)])));
        var componentStatus = new Argument<string>("status") { Description = "operational, degraded_performance, partial_outage, major_outage or under_maintenance" };
        var componentSet = new Command("set", "Set a component's status by hand (admins)") { componentKey, componentStatus };
        componentSet.SetAction(CliApp.Client(env, globals, async (c, p, ct) => Components(c, [await c.Client.SendPatchAsync(
            $"api/v1/status/components/{Seg(p.GetValue(componentKey))}", new { status = p.GetValue(componentStatus) }, ct)])));
        var componentList = new Command("list", "The components and their status");
        componentList.SetAction(CliApp.Client(env, globals, async (c, p, ct) => Components(c, [.. (await c.Client.GetAsync("api/v1/status/components", ct)).EnumerateArray()])));
        var component = new Command("component", "Status page components") { componentAdd, componentSet, componentList };

        var title = new Option<string?>("--title") { Description = "The public title (what customers read)" };
        var status = new Option<string?>("--status") { Description = "investigating, identified, monitoring, resolved (maintenance: in_progress, verifying, completed)" };
        var body = new Option<string>("--body") { Description = "The update, in plain words for customers", Required = true };
        var affected = new Option<string[]>("--component", "-c") { Description = "key=status, e.g. checkout=major_outage; repeat for several" };
        var impact = new Option<string?>("--impact") { Description = "none, minor, major or critical (default from severity)" };
        var publish = new Command("publish", "Publish an incident to the status page (its commander, comms lead or an admin)") { incidentArg, title, status, body, affected, impact, force };
        publish.SetAction(CliApp.Client(env, globals, async (c, p, ct) => Public(c, await c.Client.PostAsync($"api/v1/incidents/{Seg(p.GetValue(incidentArg))}/publish",
            new { title = p.GetValue(title), status = p.GetValue(status), body = p.GetValue(body), components = Pairs(p.GetValue(affected)), impact = p.GetValue(impact), force = p.GetValue(force) }, ct))));

        var publicId = new Argument<int>("public-id") { Description = "The public incident's number (firebreak statuspage list)" };
        var update = new Command("update", "Post a public update to a published incident or maintenance") { publicId, status, body, affected, force };
        update.SetAction(CliApp.Client(env, globals, async (c, p, ct) => Public(c, await c.Client.PostAsync($"api/v1/status/incidents/{p.GetValue(publicId)}/updates",
            new { status = p.GetValue(status), body = p.GetValue(body), components = Pairs(p.GetValue(affected)), force = p.GetValue(force) }, ct))));

        var from = new Option<DateTime>("--from") { Description = "Start, e.g. 2026-12-01T02:00Z", Required = true };
        var until = new Option<DateTime>("--until") { Description = "End", Required = true };
        var components = new Option<string[]>("--component", "-c") { Description = "A component under maintenance; repeat for several" };
        var requiredTitle = new Option<string>("--title") { Description = "What the maintenance is", Required = true };
        var maintenance = new Command("maintenance", "Schedule maintenance (admins)") { requiredTitle, body, from, until, components };
        maintenance.SetAction(CliApp.Client(env, globals, async (c, p, ct) => Public(c, await c.Client.PostAsync("api/v1/status/maintenances",
            new { title = p.GetValue(requiredTitle), body = p.GetValue(body), scheduledFor = p.GetValue(from).ToUniversalTime(), scheduledUntil = p.GetValue(until).ToUniversalTime(), components = p.GetValue(components) ?? [] }, ct))));

        var list = new Command("list", "Public incidents and maintenance, newest first");
        list.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            var rows = await c.Client.GetAsync("api/v1/status/incidents", ct);
            if (c.Json) { c.PrintJson(rows); return; }
            var table = new Table().Border(TableBorder.Simple).AddColumns("#", "Title", "Status", "Impact", "Incident", "Components", "Updated");
            foreach (var r in rows.EnumerateArray())
                table.AddRow(r.GetProperty("id").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(r.GetProperty("title").GetString()!),
                    r.GetProperty("status").GetString()!, r.GetProperty("impact").GetString()!, r.GetProperty("incident").GetString() ?? (r.GetProperty("maintenance").GetBoolean() ? "maintenance" : "—"),
                    string.Join(",", r.GetProperty("components").EnumerateArray().Select(x => x.GetString())), r.GetProperty("updatedAt").GetDateTime().ToString("MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture));
            c.Console.Write(table);
        }));

        var email = new Option<string?>("--email") { Description = "Start an email's double opt-in" };
        var webhook = new Option<string?>("--webhook") { Description = "A webhook URL that gets every public update as JSON" };
        var subscriberAdd = new Command("add", "Add a subscriber (admins)") { email, webhook };
        subscriberAdd.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            var added = await c.Client.PostAsync("api/v1/status/subscribers", new { email = p.GetValue(email), webhook = p.GetValue(webhook) }, ct);
            if (c.Json) c.PrintJson(added);
            else c.Console.MarkupLine($"Subscriber {added.GetProperty("id").GetInt32()}: {Markup.Escape(added.GetProperty("address").GetString()!)} ({(added.GetProperty("confirmedAt").ValueKind == JsonValueKind.Null ? "waiting for confirmation" : "active")})");
        }));
        var subscriberList = new Command("list", "Subscribers (admins)");
        subscriberList.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            var rows = await c.Client.GetAsync("api/v1/status/subscribers", ct);
            if (c.Json) { c.PrintJson(rows); return; }
            foreach (var s in rows.EnumerateArray())
                c.Console.MarkupLine($"{s.GetProperty("id").GetInt32()}  {s.GetProperty("kind").GetString()}  {Markup.Escape(s.GetProperty("address").GetString()!)}  "
                    + (s.GetProperty("unsubscribedAt").ValueKind != JsonValueKind.Null ? "unsubscribed" : s.GetProperty("confirmedAt").ValueKind == JsonValueKind.Null ? "unconfirmed" : "active"));
        }));
        var subscriber = new Command("subscriber", "Who gets public updates") { subscriberAdd, subscriberList };

        yield return new Command("statuspage", "The public status page: components, updates, maintenance, subscribers (publish an incident with: firebreak publish)")
            { component, update, maintenance, list, subscriber };
        yield return publish;
    }

    private static Dictionary<string, string> Pairs(string[]? pairs)
    {
        var map = new Dictionary<string, string>();
        foreach (var pair in pairs ?? [])
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0) throw new CliProblem($"'{pair}': use key=status, e.g. checkout=major_outage.");
            map[pair[..at].Trim()] = pair[(at + 1)..].Trim();
        }
        return map;
    }

    private static void Components(CliContext c, IReadOnlyList<JsonElement> rows)
    {
        if (c.Json)
        {
            foreach (var row in rows) c.PrintJson(row);
            return;
        }
        foreach (var row in rows)
            c.Console.MarkupLine($"{Markup.Escape(row.GetProperty("key").GetString()!),-16} {Markup.Escape(row.GetProperty("name").GetString()!),-24} {row.GetProperty("status").GetString()}");
    }

    private static void Public(CliContext c, JsonElement view)
    {
        if (c.Json)
        {
            c.PrintJson(view);
            return;
        }
        c.Console.MarkupLine($"Public incident {view.GetProperty("id").GetInt32()}: [bold]{Markup.Escape(view.GetProperty("title").GetString()!)}[/] — {view.GetProperty("status").GetString()} ({view.GetProperty("impact").GetString()})");
        var latest = view.GetProperty("updates").EnumerateArray().FirstOrDefault();
        if (latest.ValueKind == JsonValueKind.Object) c.Console.MarkupLine($"  latest: {Markup.Escape(latest.GetProperty("body").GetString()!)}");
    }

    private static string Seg(string? value) => Uri.EscapeDataString(value ?? "");
}
