using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Firebreak.Cli;

/// <summary>Who is on call, schedules, overrides.</summary>
public static class OnCallVerbs
{
    public static IEnumerable<Command> Build(CliEnvironment env, GlobalOptions globals)
    {
        var schedule = new Option<string?>("--schedule", "-s") { Description = "One schedule (default: all)" };
        var at = new Option<DateTime?>("--at") { Description = "An instant (ISO 8601; default now)" };
        var oncall = new Command("oncall", "Who is on call now, or at a time") { schedule, at };
        oncall.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            var when = p.GetValue(at) is { } t ? "?at=" + Uri.EscapeDataString(t.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)) : "";
            var rows = p.GetValue(schedule) is { } name
                ? JsonDocument.Parse("[" + (await c.Client.GetAsync($"api/v1/schedules/{Uri.EscapeDataString(name)}/oncall{when}", ct)).GetRawText() + "]").RootElement
                : await c.Client.GetAsync("api/v1/oncall" + when, ct);
            if (c.Json) { c.PrintJson(rows); return; }
            var table = new Table().Border(TableBorder.Simple).AddColumns("Schedule", "On call", "Until (UTC)", "Because");
            foreach (var r in rows.EnumerateArray())
            {
                var handle = r.GetProperty("handle").ValueKind == JsonValueKind.String ? r.GetProperty("handle").GetString() : null;
                table.AddRow(new Text(r.GetProperty("schedule").GetString()!),
                    handle is null ? new Markup("[red]nobody (gap)[/]") : new Text($"{handle} ({r.GetProperty("name").GetString()})"),
                    new Text(r.GetProperty("until").ValueKind == JsonValueKind.String ? r.GetProperty("until").GetDateTime().ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : ""),
                    new Text(r.GetProperty("source").GetString()!));
            }
            c.Console.Write(table);
        }));
        var days = new Option<int>("--days") { Description = "How far ahead", DefaultValueFactory = _ => 14 };
        var gapSchedule = new Option<string?>("--schedule", "-s") { Description = "One schedule (default: all)" };
        var gaps = new Command("gaps", "Spans when nobody is on call in the coming days") { gapSchedule, days };
        gaps.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            var names = p.GetValue(gapSchedule) is { } one ? [one]
                : (await c.Client.GetAsync("api/v1/schedules", ct)).EnumerateArray().Select(s => s.GetProperty("name").GetString()!).ToList();
            var found = new Dictionary<string, JsonElement>();
            foreach (var name in names) found[name] = await c.Client.GetAsync($"api/v1/schedules/{Uri.EscapeDataString(name)}/gaps?days={p.GetValue(days)}", ct);
            if (c.Json) { c.Environment.Out.WriteLine(JsonSerializer.Serialize(found, FirebreakClient.Json)); return; }
            foreach (var (name, list) in found)
            {
                var spans = list.EnumerateArray().ToList();
                c.Console.MarkupLine(spans.Count == 0 ? $"{Markup.Escape(name)}: covered" : $"{Markup.Escape(name)}: [red]{spans.Count} gap(s)[/]");
                foreach (var g in spans)
                    c.Console.MarkupLine($"  {g.GetProperty("start").GetDateTime().ToUniversalTime():yyyy-MM-dd HH:mm} – {g.GetProperty("end").GetDateTime().ToUniversalTime():yyyy-MM-dd HH:mm} UTC");
            }
        }));
        oncall.Add(gaps);
        yield return oncall;

        var list = new Command("list", "Schedules, their layers and who is on call now");
        list.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            var rows = await c.Client.GetAsync("api/v1/schedules", ct);
            if (c.Json) { c.PrintJson(rows); return; }
            foreach (var s in rows.EnumerateArray())
            {
                c.Console.MarkupLine($"[bold]{Markup.Escape(s.GetProperty("name").GetString()!)}[/] ({Markup.Escape(s.GetProperty("timeZone").GetString()!)}) on call now: {Markup.Escape(s.GetProperty("onCallNow").GetString() ?? "nobody")}");
                foreach (var l in s.GetProperty("layers").EnumerateArray())
                    c.Console.MarkupLine($"  {Markup.Escape(l.GetProperty("name").GetString()!)}: every {l.GetProperty("rotation").GetString()} from {l.GetProperty("handoffAt").GetString()} {Markup.Escape(l.GetProperty("timeZone").GetString()!)}" +
                        $"{(l.GetProperty("weekdaysOnly").GetBoolean() ? ", weekdays" : "")}{(l.GetProperty("window").GetString() is { } w ? $", {w}" : "")}: {Markup.Escape(string.Join(" → ", l.GetProperty("members").EnumerateArray().Select(m => m.GetString())))}");
                c.Console.MarkupLine($"  calendar: {Markup.Escape(s.GetProperty("calendarUrl").GetString()!)}");
            }
        }));
        var name = new Argument<string>("schedule") { Description = "Schedule name" };
        var handle = new Argument<string>("handle") { Description = "Who covers" };
        var from = new Option<DateTime>("--from") { Description = "Start (ISO 8601)", Required = true };
        var to = new Option<DateTime>("--to") { Description = "End (ISO 8601)", Required = true };
        var cover = new Command("override", "Someone covers a span of a schedule") { name, handle, from, to };
        cover.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            var created = await c.Client.PostAsync($"api/v1/schedules/{Uri.EscapeDataString(p.GetValue(name)!)}/overrides",
                new { handle = p.GetValue(handle), start = p.GetValue(from).ToUniversalTime(), end = p.GetValue(to).ToUniversalTime() }, ct);
            if (c.Json) c.PrintJson(created);
            else c.Console.MarkupLine($"{Markup.Escape(created.GetProperty("handle").GetString()!)} covers {Markup.Escape(p.GetValue(name)!)} from {created.GetProperty("start").GetDateTime().ToUniversalTime():yyyy-MM-dd HH:mm} to {created.GetProperty("end").GetDateTime().ToUniversalTime():yyyy-MM-dd HH:mm} UTC");
        }));
        yield return new Command("schedule", "On-call schedules") { list, cover };
    }
}
