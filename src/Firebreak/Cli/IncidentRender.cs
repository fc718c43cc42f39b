using System.Globalization;
using System.Text.Json;
using Firebreak.Hosting;
using Spectre.Console;

namespace Firebreak.Cli;

/// <summary>How incidents read in a terminal at 3 a.m.: the worst news first, nothing to hunt for.</summary>
public static class IncidentRender
{
    public static void Landing(IAnsiConsole console, JsonElement view, DateTime now, bool brief)
    {
        var id = Str(view, "id");
        var severity = Str(view, "severity");
        var status = Str(view, "status");
        var times = view.GetProperty("times");
        var declared = Time(times, "declaredAt")!.Value;
        var startedAt = Time(times, "startedAt")!.Value;
        var end = Time(times, "resolvedAt") ?? now;

        console.MarkupLine($"[bold]{E(id)}[/]  [{SeverityColour(severity)}]{E(severity)}[/]  [bold]{E(status)}[/]{(view.GetProperty("private").GetBoolean() ? "  [yellow]PRIVATE[/]" : "")}");
        console.MarkupLine($"[bold]{E(Str(view, "title"))}[/]");
        var services = view.GetProperty("services").EnumerateArray().Select(s => Str(s, "shortName")).ToList();
        console.MarkupLine($"[grey]Services:[/] {E(services.Count == 0 ? "—" : string.Join(", ", services))}   [grey]Age:[/] {Durations.Humanize(now - declared)} [grey](impact {(Time(times, "resolvedAt") is null ? "began" : "lasted")} {Durations.Humanize(end - startedAt)}{(Time(times, "resolvedAt") is null ? " ago" : "")})[/]   [grey]Declared by[/] {E(Str(view, "declaredBy"))}");
        if (!brief && view.TryGetProperty("summary", out var summary) && summary.ValueKind == JsonValueKind.String)
            console.MarkupLine($"[grey]Summary:[/] {E(summary.GetString()!)}");

        var roles = view.GetProperty("roles").EnumerateArray().Select(r => $"{Str(r, "role")} [bold]{E(Str(r, "handle"))}[/]").ToList();
        console.MarkupLine($"[grey]Roles:[/] {(roles.Count == 0 ? "[red]no commander yet[/] (firebreak role " + E(id) + " commander <handle>)" : string.Join(" · ", roles))}");

        if (view.TryGetProperty("latestUpdate", out var latest) && latest.ValueKind == JsonValueKind.Object)
        {
            console.MarkupLine($"[grey]Latest update[/] ({Durations.Humanize(now - Time(latest, "at")!.Value)} ago by {E(Str(latest, "author"))})");
            console.MarkupLine($"  [bold]Condition:[/] {E(Str(latest, "condition"))}");
            if (Opt(latest, "action") is { } a) console.MarkupLine($"  [bold]Action:[/]    {E(a)}");
            if (Opt(latest, "need") is { } n) console.MarkupLine($"  [bold]Need:[/]      {E(n)}");
        }
        else if (status is not ("resolved" or "closed"))
        {
            console.MarkupLine($"[grey]Latest update:[/] none yet (firebreak update {E(id)} --condition … --action … --need … --next 15m)");
        }
        if (Time(view, "nextUpdateDueAt") is { } nextDue)
        {
            console.MarkupLine(nextDue >= now
                ? $"[grey]Next update due in[/] {Durations.Humanize(nextDue - now)} ({nextDue.ToString("HH:mm", CultureInfo.InvariantCulture)} UTC)"
                : $"[red bold]Next update OVERDUE by {Durations.Humanize(now - nextDue)}[/]");
        }

        Entries(console, view, "facts", "Knowns", "•");
        Entries(console, view, "hypotheses", "Hypotheses", "?");
        Entries(console, view, "decisions", "Decisions", "→");

        Workstreams(console, view, onlyOpen: true);

        var open = view.GetProperty("actionItems").EnumerateArray().Where(a => !a.GetProperty("done").GetBoolean()).ToList();
        if (open.Count > 0)
        {
            console.MarkupLine("[grey]Open action items:[/]");
            foreach (var item in open) console.MarkupLine("  " + ActionItemLine(item));
        }

        var timeline = view.GetProperty("timeline").EnumerateArray().ToList();
        var shown = brief ? 3 : 10;
        console.MarkupLine($"[grey]Timeline (latest {Math.Min(shown, timeline.Count)} of {timeline.Count}):[/]");
        foreach (var e in timeline.TakeLast(shown).Reverse())
            console.MarkupLine($"  {Time(e, "at")!.Value.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture)}  {E(Str(e, "actor")),-12} {E(Str(e, "text"))}");
    }

    public static void ActionItems(IAnsiConsole console, JsonElement view)
    {
        console.MarkupLine($"[bold]{E(Str(view, "id"))}[/] action items:");
        foreach (var item in view.GetProperty("actionItems").EnumerateArray())
            console.MarkupLine("  " + ActionItemLine(item));
    }

    public static void Workstreams(IAnsiConsole console, JsonElement view, bool onlyOpen)
    {
        var streams = view.GetProperty("workstreams").EnumerateArray().Where(w => !onlyOpen || !w.GetProperty("done").GetBoolean()).ToList();
        if (streams.Count == 0) return;
        console.MarkupLine(onlyOpen ? "[grey]Workstreams:[/]" : $"[bold]{E(Str(view, "id"))}[/] workstreams:");
        foreach (var w in streams)
        {
            var lead = Opt(w, "lead") is { } l ? " lead @" + E(l) : " [yellow]no lead[/]";
            console.MarkupLine($"  {(w.GetProperty("done").GetBoolean() ? "[green]✓[/]" : "▸")} {w.GetProperty("number").GetInt32()}. {E(Str(w, "title"))}{lead}");
        }
    }

    public static void List(IAnsiConsole console, JsonElement rows, DateTime now)
    {
        var items = rows.EnumerateArray().ToList();
        if (items.Count == 0)
        {
            console.MarkupLine("No incidents.");
            return;
        }
        var table = new Table().Border(TableBorder.Simple)
            .AddColumns("ID", "SEV", "Status", "Title", "Services", "Commander", "Age");
        foreach (var row in items)
        {
            var severity = Str(row, "severity");
            table.AddRow(
                new Markup($"[bold]{E(Str(row, "id"))}[/]{(row.GetProperty("private").GetBoolean() ? " [yellow]P[/]" : "")}"),
                new Markup($"[{SeverityColour(severity)}]{E(severity)}[/]"),
                new Text(Str(row, "status")),
                new Text(Str(row, "title")),
                new Text(string.Join(",", row.GetProperty("services").EnumerateArray().Select(s => s.GetString()))),
                new Text(Opt(row, "commander") ?? "—"),
                new Text(Durations.Humanize(now - Time(row, "declaredAt")!.Value)));
        }
        console.Write(table);
    }

    private static string ActionItemLine(JsonElement item)
    {
        var done = item.GetProperty("done").GetBoolean();
        var owner = Opt(item, "owner") is { } o ? " @" + o : " [yellow]unassigned[/]";
        var due = Opt(item, "due") is { } d ? " due " + d : "";
        return $"{(done ? "[green]✓[/]" : "[[ ]]")} #{item.GetProperty("id").GetInt32()} {E(Str(item, "title"))}{owner}{due}";
    }

    private static void Entries(IAnsiConsole console, JsonElement view, string property, string heading, string bullet)
    {
        var entries = view.GetProperty(property).EnumerateArray().ToList();
        if (entries.Count == 0) return;
        console.MarkupLine($"[grey]{heading}:[/]");
        foreach (var e in entries) console.MarkupLine($"  {E(bullet)} {E(Str(e, "text"))} [grey](@{E(Str(e, "author"))})[/]");
    }

    private static string SeverityColour(string severity) => severity switch
    {
        "SEV0" or "SEV1" => "red bold",
        "SEV2" => "darkorange",
        "SEV3" => "yellow",
        _ => "grey",
    };

    private static string E(string text) => Markup.Escape(text);

    private static string Str(JsonElement e, string name) => e.GetProperty(name).GetString() ?? "";

    private static string? Opt(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static DateTime? Time(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetDateTime().ToUniversalTime() : null;
}
