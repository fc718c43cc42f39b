using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Firebreak.Hosting;
using Spectre.Console;

namespace Firebreak.Cli;

/// <summary>Alerts, silences and intake integrations.</summary>
public static class AlertVerbs
{
    public static IEnumerable<Command> Build(CliEnvironment env, GlobalOptions globals)
    {
        var firing = new Option<bool>("--firing") { Description = "Only alerts that are firing or acknowledged" };
        var service = new Option<string?>("--service") { Description = "Only alerts for this service" };
        var limit = new Option<int>("--limit") { Description = "How many (newest first)", DefaultValueFactory = _ => 50 };
        var alerts = new Command("alerts", "Recent alerts, firing and resolved, with occurrence counts") { firing, service, limit };
        alerts.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            var query = $"api/v1/alerts?limit={p.GetValue(limit)}" + (p.GetValue(firing) ? "&firing=true" : "")
                + (p.GetValue(service) is { } s ? "&service=" + Uri.EscapeDataString(s) : "");
            var rows = await c.Client.GetAsync(query, ct);
            if (c.Json)
            {
                c.PrintJson(rows);
                return;
            }
            var list = rows.EnumerateArray().ToList();
            if (list.Count == 0)
            {
                c.Console.MarkupLine("No alerts.");
                return;
            }
            var table = new Table().Border(TableBorder.Simple).AddColumns("ID", "Status", "Tier", "Severity", "Summary", "Service", "Team", "×", "Last seen", "Incident");
            var now = DateTime.UtcNow;
            foreach (var a in list)
            {
                var status = a.GetProperty("status").GetString()!;
                var silenced = a.GetProperty("silenceId").ValueKind == JsonValueKind.Number;
                table.AddRow(
                    new Text(a.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture)),
                    new Markup(status switch { "firing" => "[red]firing[/]", "acknowledged" => "[yellow]acked[/]", _ => "[green]resolved[/]" } + (silenced ? " [grey](silenced)[/]" : "")),
                    new Text(a.GetProperty("tier").GetString()!),
                    new Text(a.GetProperty("severity").GetString()!),
                    new Text(a.GetProperty("summary").GetString()!),
                    new Text(Str(a, "service") ?? "—"),
                    new Text(Str(a, "team") ?? ""),
                    new Text(a.GetProperty("occurrences").GetInt32().ToString(CultureInfo.InvariantCulture)),
                    new Text(Durations.Humanize(now - a.GetProperty("lastSeenAt").GetDateTime().ToUniversalTime()) + " ago"),
                    new Text(Str(a, "incident") ?? ""));
            }
            c.Console.Write(table);
        }));
        yield return alerts;

        // silence
        var matchers = new Argument<string[]>("matchers") { Description = "Label matchers: name=value, name!=value, name=~regex, name!~regex", Arity = ArgumentArity.OneOrMore };
        var duration = new Option<string>("--duration", "-d") { Description = "How long, e.g. 2h", DefaultValueFactory = _ => "1h" };
        var comment = new Option<string?>("--comment") { Description = "Why (shown with the silence)" };
        var add = new Command("add", "Silence alerts that match all matchers (they are kept and shown as silenced)") { matchers, duration, comment };
        add.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            var created = await c.Client.PostAsync("api/v1/silences", new { matchers = p.GetValue(matchers), duration = p.GetValue(duration), comment = p.GetValue(comment) }, ct);
            if (c.Json) c.PrintJson(created);
            else c.Console.MarkupLine($"Silence [bold]{created.GetProperty("id").GetInt64()}[/] until {created.GetProperty("endsAt").GetDateTime().ToUniversalTime():yyyy-MM-dd HH:mm} UTC: {Markup.Escape(string.Join(", ", created.GetProperty("matchers").EnumerateArray().Select(m => m.GetString())))}");
        }));
        var all = new Option<bool>("--all") { Description = "Include expired silences" };
        var list = new Command("list", "Silences in force (or --all)") { all };
        list.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            var rows = await c.Client.GetAsync("api/v1/silences" + (p.GetValue(all) ? "?all=true" : ""), ct);
            if (c.Json)
            {
                c.PrintJson(rows);
                return;
            }
            var table = new Table().Border(TableBorder.Simple).AddColumns("ID", "Matchers", "Until (UTC)", "By", "Comment", "Active");
            foreach (var s in rows.EnumerateArray())
            {
                table.AddRow(s.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(string.Join(", ", s.GetProperty("matchers").EnumerateArray().Select(m => m.GetString()))),
                    s.GetProperty("endsAt").GetDateTime().ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                    Markup.Escape(s.GetProperty("createdBy").GetString()!), Markup.Escape(Str(s, "comment") ?? ""),
                    s.GetProperty("active").GetBoolean() ? "yes" : "");
            }
            c.Console.Write(table);
        }));
        var silenceId = new Argument<long>("id") { Description = "Silence id" };
        var expire = new Command("expire", "End a silence now") { silenceId };
        expire.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            var expired = await c.Client.DeleteAsync($"api/v1/silences/{p.GetValue(silenceId)}", ct);
            if (c.Json) c.PrintJson(expired);
            else c.Console.MarkupLine($"Silence {expired.GetProperty("id").GetInt64()} expired.");
        }));
        yield return new Command("silence", "Silence alerts by label matchers") { add, list, expire };

        // integration
        var kind = new Argument<string>("kind") { Description = "alertmanager, grafana, pagerduty, opsgenie or generic" };
        var name = new Option<string?>("--name") { Description = "A name to tell it apart, e.g. prod-alertmanager" };
        var secret = new Option<string?>("--signing-secret") { Description = "Grafana only: the HMAC secret its webhook signs with" };
        var create = new Command("create", "Create an intake key; prints the URL and key to paste into the sender") { kind, name, secret };
        create.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            var created = await c.Client.PostAsync("api/v1/integrations", new { kind = p.GetValue(kind), name = p.GetValue(name), signingSecret = p.GetValue(secret) }, ct);
            if (c.Json)
            {
                c.PrintJson(created);
                return;
            }
            var o = c.Environment.Out;
            o.WriteLine($"Integration {created.GetProperty("id").GetInt32()} ({created.GetProperty("kind").GetString()}: {created.GetProperty("name").GetString()})");
            o.WriteLine($"  URL:  {created.GetProperty("url").GetString()}");
            o.WriteLine($"  Key:  {created.GetProperty("key").GetString()}   (shown only now)");
            o.WriteLine($"  Auth: {created.GetProperty("authentication").GetString()}");
            o.WriteLine("  Example:");
            foreach (var line in created.GetProperty("example").GetString()!.Split('\n')) o.WriteLine("    " + line);
        }));
        var integrationList = new Command("list", "List intake integrations");
        integrationList.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            var rows = await c.Client.GetAsync("api/v1/integrations", ct);
            if (c.Json)
            {
                c.PrintJson(rows);
                return;
            }
            var table = new Table().Border(TableBorder.Simple).AddColumns("ID", "Kind", "Name", "Key", "Revoked");
            foreach (var i in rows.EnumerateArray())
                table.AddRow(i.GetProperty("id").GetInt32().ToString(CultureInfo.InvariantCulture), i.GetProperty("kind").GetString()!,
                    Markup.Escape(i.GetProperty("name").GetString()!), Markup.Escape(i.GetProperty("keyPrefix").GetString()!), Str(i, "revokedAt") ?? "");
            c.Console.Write(table);
        }));
        var integrationId = new Argument<int>("id") { Description = "Integration id" };
        var revoke = new Command("revoke", "Revoke an intake key") { integrationId };
        revoke.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            var revoked = await c.Client.DeleteAsync($"api/v1/integrations/{p.GetValue(integrationId)}", ct);
            if (c.Json) c.PrintJson(revoked);
            else c.Console.MarkupLine($"Integration {revoked.GetProperty("id").GetInt32()} revoked.");
        }));
        yield return new Command("integration", "Intake keys for Alertmanager, Grafana, PagerDuty, Opsgenie and generic senders") { create, integrationList, revoke };
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
