using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Firebreak.Cli;

/// <summary>Pages, acknowledgement, escalation policies and contact methods.</summary>
public static class PagingVerbs
{
    public static IEnumerable<Command> Build(CliEnvironment env, GlobalOptions globals)
    {
        var policy = new Argument<string>("policy") { Description = "Escalation policy name" };
        var summary = new Argument<string>("summary") { Description = "What the page is about" };
        var incident = new Option<string?>("--incident") { Description = "The incident it belongs to" };
        var page = new Command("page", "Page people through an escalation policy") { policy, summary, incident };
        page.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            var created = await c.Client.PostAsync("api/v1/pages", new { policy = p.GetValue(policy), summary = p.GetValue(summary), incident = p.GetValue(incident) }, ct);
            if (c.Json) c.PrintJson(created);
            else c.Environment.Out.WriteLine($"Page {created.GetProperty("id").GetInt64()} started through {created.GetProperty("policy").GetString()}");
        }));
        yield return page;

        var pages = new Command("pages", "Recent pages: who was notified, delivery, acknowledgement");
        pages.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            var rows = await c.Client.GetAsync("api/v1/pages", ct);
            if (c.Json) { c.PrintJson(rows); return; }
            foreach (var r in rows.EnumerateArray())
            {
                var status = r.GetProperty("status").GetString()!;
                c.Console.MarkupLine($"[bold]{r.GetProperty("id").GetInt64()}[/] {(status == "triggered" ? "[red]triggered[/]" : Markup.Escape(status))} {Markup.Escape(r.GetProperty("summary").GetString()!)} [grey]({Markup.Escape(r.GetProperty("policy").GetString()!)}, step {r.GetProperty("step").GetInt32()}, round {r.GetProperty("round").GetInt32()})[/]");
                foreach (var n in r.GetProperty("notifications").EnumerateArray())
                    c.Console.MarkupLine($"    {Markup.Escape(n.GetProperty("kind").GetString()!)} → {Markup.Escape(n.GetProperty("to").GetString()!)}: {Markup.Escape(n.GetProperty("status").GetString()!)} after {n.GetProperty("attempts").GetInt32()} attempt(s){(n.GetProperty("lastError").GetString() is { } e ? $" [grey]({Markup.Escape(e)})[/]" : "")}");
            }
        }));
        yield return pages;

        foreach (var (verb, action, description) in new[] { ("ack", "ack", "Acknowledge a page: escalation stops"), ("escalate", "escalate", "Escalate a page to its next step now") })
        {
            var id = new Argument<long>("page") { Description = "Page id" };
            var command = new Command(verb, description) { id };
            command.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
            {
                var result = await c.Client.PostAsync($"api/v1/pages/{p.GetValue(id)}/{action}", null, ct);
                if (c.Json) c.PrintJson(result);
                else c.Environment.Out.WriteLine($"Page {result.GetProperty("id").GetInt64()} is {result.GetProperty("status").GetString()} (step {result.GetProperty("step").GetInt32()})");
            }));
            yield return command;
        }

        var list = new Command("list", "Escalation policies");
        list.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            var rows = await c.Client.GetAsync("api/v1/escalation-policies", ct);
            if (c.Json) { c.PrintJson(rows); return; }
            foreach (var r in rows.EnumerateArray())
            {
                c.Console.MarkupLine($"[bold]{Markup.Escape(r.GetProperty("name").GetString()!)}[/] (repeat {r.GetProperty("repeat").GetInt32()}×)");
                var i = 0;
                foreach (var s in r.GetProperty("steps").EnumerateArray())
                    c.Console.MarkupLine($"  {++i}. {Markup.Escape(string.Join(", ", s.GetProperty("targets").EnumerateArray().Select(t => t.GetString())))}, then wait {s.GetProperty("delay").GetString()}");
            }
        }));
        yield return new Command("escalation", "Escalation policies") { list };

        var handle = new Argument<string>("handle") { Description = "Whose contact method" };
        var kind = new Option<string>("--kind") { Description = "webhook, slack or teams", Required = true };
        var address = new Option<string>("--address") { Description = "The URL to post to", Required = true };
        var delay = new Option<string?>("--after") { Description = "Use it only this long after the person is paged, e.g. 5m" };
        var add = new Command("add", "Add a way to reach someone") { handle, kind, address, delay };
        add.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            var created = await c.Client.PostAsync($"api/v1/people/{Uri.EscapeDataString(p.GetValue(handle)!)}/contact-methods",
                new { kind = p.GetValue(kind), address = p.GetValue(address), delay = p.GetValue(delay) }, ct);
            if (c.Json) c.PrintJson(created);
            else c.Environment.Out.WriteLine($"Added {created.GetProperty("kind").GetString()} for {p.GetValue(handle)} (after {created.GetProperty("delay").GetString()})");
        }));
        yield return new Command("contact", "Contact methods") { add };

        var days = new Option<int>("--days") { Description = "Look back this many days", DefaultValueFactory = _ => 30 };
        var metrics = new Command("metrics", "MTTA per escalation policy, service and team; pager load per person") { days };
        metrics.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            var m = await c.Client.GetAsync($"api/v1/metrics/paging?days={p.GetValue(days)}", ct);
            if (c.Json) { c.PrintJson(m); return; }
            static string Seconds(JsonElement e) => e.ValueKind == JsonValueKind.Number ? Hosting.Durations.Humanize(TimeSpan.FromSeconds(e.GetDouble())) : "—";
            foreach (var (title, property) in new[] { ("Pages: time to acknowledge, by escalation policy", "pageMttaByPolicy"), ("Incidents: declared → acknowledged, by service", "incidentMttaByService"), ("Incidents: declared → acknowledged, by team", "incidentMttaByTeam") })
            {
                var table = new Table().Border(TableBorder.Simple).Title(title).AddColumns("", "count", "median", "mean");
                foreach (var r in m.GetProperty(property).EnumerateArray())
                    table.AddRow(Markup.Escape(r.GetProperty("key").GetString()!), r.GetProperty("count").GetInt32().ToString(CultureInfo.InvariantCulture), Seconds(r.GetProperty("medianSeconds")), Seconds(r.GetProperty("meanSeconds")));
                c.Console.Write(table);
            }
            var load = new Table().Border(TableBorder.Simple).Title($"Pager load ({Markup.Escape(m.GetProperty("workingHours").GetString()!)} is working time)").AddColumns("person", "pages", "out of hours");
            foreach (var r in m.GetProperty("pagerLoad").EnumerateArray())
                load.AddRow(Markup.Escape(r.GetProperty("handle").GetString()!), r.GetProperty("pages").GetInt32().ToString(CultureInfo.InvariantCulture), r.GetProperty("outOfHours").GetInt32().ToString(CultureInfo.InvariantCulture));
            c.Console.Write(load);
        }));
        yield return metrics;
    }
}
