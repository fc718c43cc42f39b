using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace Firebreak.Cli;

public static class IncidentVerbs
{
    public static IEnumerable<Command> Build(CliEnvironment env, GlobalOptions globals)
    {
        Func<CliContext, ParseResult, CancellationToken, Task> Show(Func<CliContext, ParseResult, CancellationToken, Task<JsonElement>> send) =>
            async (c, p, ct) =>
            {
                var view = await send(c, p, ct);
                if (c.Json) c.PrintJson(view);
                else IncidentRender.Landing(c.Console, view, DateTime.UtcNow, brief: true);
            };

        // declare
        var title = new Option<string>("--title") { Description = "What is broken, in a few words", Required = true };
        var sev = new Option<string>("--sev", "--severity") { Description = "SEV0 (catastrophic) … SEV5 (third-party/monitor only)", Required = true };
        var service = new Option<string[]>("--service") { Description = "Affected service (short name or SVC-id); repeat for several", AllowMultipleArgumentsPerToken = false };
        var summary = new Option<string?>("--summary") { Description = "What is known so far" };
        var isPrivate = new Option<bool>("--private") { Description = "Only members and admins can see it (security incidents)" };
        var started = new Option<DateTime?>("--started") { Description = "When impact began, if earlier than now (ISO 8601, UTC)" };
        var commander = new Option<string?>("--commander") { Description = "Handle of the incident commander" };
        var declare = new Command("declare", "Declare an incident; prints its id (INC-n)") { title, sev, service, summary, isPrivate, started, commander };
        declare.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            var view = await c.Client.PostAsync("api/v1/incidents", new
            {
                title = p.GetValue(title),
                severity = p.GetValue(sev),
                services = p.GetValue(service) ?? [],
                summary = p.GetValue(summary),
                @private = p.GetValue(isPrivate),
                startedAt = p.GetValue(started)?.ToUniversalTime(),
                commander = p.GetValue(commander),
            }, ct);
            if (c.Json) c.PrintJson(view);
            else c.Environment.Out.WriteLine(view.GetProperty("id").GetString());
        }));
        yield return declare;

        var incidentArg = new Argument<string>("incident") { Description = "Incident id, e.g. INC-12" };

        // role
        var roleArg = new Argument<string>("role") { Description = "commander, comms, scribe, ops or sme" };
        var handleArg = new Argument<string>("handle") { Description = "The person's handle" };
        var remove = new Option<bool>("--remove") { Description = "Relieve the person of the role instead" };
        var role = new Command("role", "Assign, hand over or relieve a response role") { incidentArg, roleArg, handleArg, remove };
        role.SetAction(CliApp.Client(env, globals, Show((c, p, ct) => p.GetValue(remove)
            ? c.Client.DeleteAsync($"api/v1/incidents/{Seg(p.GetValue(incidentArg))}/roles/{Seg(p.GetValue(roleArg))}/{Seg(p.GetValue(handleArg))}", ct)
            : c.Client.PostAsync($"api/v1/incidents/{Seg(p.GetValue(incidentArg))}/roles", new { role = p.GetValue(roleArg), handle = p.GetValue(handleArg) }, ct))));
        yield return role;

        // update (CAN)
        var condition = new Option<string>("--condition", "-c") { Description = "Condition: what is happening now", Required = true };
        var action = new Option<string?>("--action", "-a") { Description = "Action: what we are doing about it" };
        var need = new Option<string?>("--need", "-n") { Description = "Need: what we need from others" };
        var next = new Option<string?>("--next") { Description = "When the next update is due, e.g. 15m, 1h" };
        var update = new Command("update", "Post a CAN update (Condition, Action, Need)") { incidentArg, condition, action, need, next };
        update.SetAction(CliApp.Client(env, globals, Show((c, p, ct) =>
            c.Client.PostAsync($"api/v1/incidents/{Seg(p.GetValue(incidentArg))}/updates", new
            {
                condition = p.GetValue(condition),
                action = p.GetValue(action),
                need = p.GetValue(need),
                nextUpdateIn = p.GetValue(next),
            }, ct))));
        yield return update;

        // log
        var text = new Argument<string>("text") { Description = "The entry" };
        var kind = new Option<string>("--kind", "-k") { Description = "fact, hypothesis, decision, action or note", DefaultValueFactory = _ => "note" };
        var log = new Command("log", "Add to the decision log: facts vs hypotheses, decisions, actions, notes") { incidentArg, text, kind };
        log.SetAction(CliApp.Client(env, globals, Show((c, p, ct) =>
            c.Client.PostAsync($"api/v1/incidents/{Seg(p.GetValue(incidentArg))}/log", new { text = p.GetValue(text), kind = p.GetValue(kind) }, ct))));
        yield return log;

        // sev
        var sevArg = new Argument<string>("severity") { Description = "0 … 5 or SEV0 … SEV5" };
        var reason = new Option<string?>("--reason", "-r") { Description = "Why" };
        var sevCommand = new Command("sev", "Change the severity") { incidentArg, sevArg, reason };
        sevCommand.SetAction(CliApp.Client(env, globals, Show((c, p, ct) =>
            c.Client.PostAsync($"api/v1/incidents/{Seg(p.GetValue(incidentArg))}/severity", new { severity = p.GetValue(sevArg), reason = p.GetValue(reason) }, ct))));
        yield return sevCommand;

        // status
        var statusArg = new Argument<string>("status") { Description = "investigating, mitigated, resolved or closed" };
        var status = new Command("status", "Move the incident along its lifecycle") { incidentArg, statusArg, reason };
        status.SetAction(CliApp.Client(env, globals, Show((c, p, ct) =>
            c.Client.PostAsync($"api/v1/incidents/{Seg(p.GetValue(incidentArg))}/status", new { status = p.GetValue(statusArg), reason = p.GetValue(reason) }, ct))));
        yield return status;

        // reopen
        var requiredReason = new Option<string>("--reason", "-r") { Description = "Why it is re-opened", Required = true };
        var reopen = new Command("reopen", "Re-open a resolved or closed incident") { incidentArg, requiredReason };
        reopen.SetAction(CliApp.Client(env, globals, Show((c, p, ct) =>
            c.Client.PostAsync($"api/v1/incidents/{Seg(p.GetValue(incidentArg))}/reopen", new { reason = p.GetValue(requiredReason) }, ct))));
        yield return reopen;

        // action items
        var itemTitle = new Argument<string?>("title") { Description = "The follow-up to do", Arity = ArgumentArity.ZeroOrOne };
        var owner = new Option<string?>("--owner") { Description = "Handle of the owner" };
        var due = new Option<string?>("--due") { Description = "Due date, e.g. 2026-12-15" };
        var done = new Option<int?>("--done") { Description = "Mark action item N done instead of adding one" };
        var actionItem = new Command("action", "Add a follow-up action item (or --done N to complete one)") { incidentArg, itemTitle, owner, due, done };
        actionItem.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            var id = Seg(p.GetValue(incidentArg));
            JsonElement view;
            if (p.GetValue(done) is { } itemId)
            {
                view = await c.Client.PostAsync($"api/v1/incidents/{id}/actions/{itemId}/complete", null, ct);
            }
            else
            {
                if (string.IsNullOrWhiteSpace(p.GetValue(itemTitle))) throw new CliProblem("Give the action item a title, or --done N.");
                view = await c.Client.PostAsync($"api/v1/incidents/{id}/actions", new { title = p.GetValue(itemTitle), owner = p.GetValue(owner), due = p.GetValue(due) }, ct);
            }
            if (c.Json) c.PrintJson(view);
            else IncidentRender.ActionItems(c.Console, view);
        }));
        yield return actionItem;

        // workstreams
        var streamTitle = new Argument<string?>("title") { Description = "What this line of work is, e.g. \"Roll back payments-client\"", Arity = ArgumentArity.ZeroOrOne };
        var lead = new Option<string?>("--lead") { Description = "Handle of the person leading it" };
        var streamNumber = new Option<int?>("--number", "-n") { Description = "Change workstream N (with --lead or --done) instead of opening one" };
        var streamDone = new Option<bool>("--done") { Description = "Mark workstream --number N done" };
        var workstream = new Command("workstream", "Open a workstream, or change one's lead or mark it done (--number N)") { incidentArg, streamTitle, lead, streamNumber, streamDone };
        workstream.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            var id = Seg(p.GetValue(incidentArg));
            JsonElement view;
            if (p.GetValue(streamNumber) is { } number)
            {
                view = await c.Client.SendPatchAsync($"api/v1/incidents/{id}/workstreams/{number}", new { lead = p.GetValue(lead), done = p.GetValue(streamDone) ? true : (bool?)null }, ct);
            }
            else
            {
                if (string.IsNullOrWhiteSpace(p.GetValue(streamTitle))) throw new CliProblem("Give the workstream a title, or --number N to change one.");
                view = await c.Client.PostAsync($"api/v1/incidents/{id}/workstreams", new { title = p.GetValue(streamTitle), lead = p.GetValue(lead) }, ct);
            }
            if (c.Json) c.PrintJson(view);
            else IncidentRender.Workstreams(c.Console, view, onlyOpen: false);
        }));
        yield return workstream;

        // edit
        var newTitle = new Option<string?>("--title") { Description = "New title" };
        var newSummary = new Option<string?>("--summary") { Description = "New summary (what is known, impact)" };
        var addService = new Option<string[]>("--add-service") { Description = "Add an affected service; repeat for several" };
        var edit = new Command("edit", "Change the title or summary, or add affected services") { incidentArg, newTitle, newSummary, addService };
        edit.SetAction(CliApp.Client(env, globals, Show((c, p, ct) =>
            c.Client.SendPatchAsync($"api/v1/incidents/{Seg(p.GetValue(incidentArg))}", new { title = p.GetValue(newTitle), summary = p.GetValue(newSummary), addServices = p.GetValue(addService) ?? [] }, ct))));
        yield return edit;

        // member
        var member = new Command("member", "Add someone to an incident (needed to see a private one)") { incidentArg, handleArg };
        member.SetAction(CliApp.Client(env, globals, Show((c, p, ct) =>
            c.Client.PostAsync($"api/v1/incidents/{Seg(p.GetValue(incidentArg))}/members", new { handle = p.GetValue(handleArg) }, ct))));
        yield return member;

        // show
        var show = new Command("show", "Print an incident's landing page") { incidentArg };
        show.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            var view = await c.Client.GetAsync($"api/v1/incidents/{Seg(p.GetValue(incidentArg))}", ct);
            if (c.Json)
            {
                c.PrintJson(view);
                return;
            }
            IncidentRender.Landing(c.Console, view, DateTime.UtcNow, brief: false);
            var changes = (await c.Client.GetAsync($"api/v1/incidents/{Seg(p.GetValue(incidentArg))}/changes", ct)).EnumerateArray().Take(3).ToList();
            if (changes.Count > 0)
            {
                c.Console.MarkupLine("[grey]What changed (top 3):[/]");
                foreach (var change in changes) c.Console.MarkupLine(CatalogVerbs.ChangeLine(change));
            }
        }));
        yield return show;

        // list
        var active = new Option<bool>("--active") { Description = "Only incidents in triage, investigating or mitigated" };
        var statusFilter = new Option<string?>("--status") { Description = "Only incidents in this status" };
        var sevFilter = new Option<string?>("--sev") { Description = "Only incidents of this severity" };
        var serviceFilter = new Option<string?>("--service") { Description = "Only incidents affecting this service" };
        var limit = new Option<int?>("--limit") { Description = "At most this many (default 100)" };
        var list = new Command("list", "List incidents, newest first") { active, statusFilter, sevFilter, serviceFilter, limit };
        list.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            var query = new List<string>();
            if (p.GetValue(active)) query.Add("active=true");
            if (p.GetValue(statusFilter) is { } s) query.Add("status=" + Uri.EscapeDataString(s));
            if (p.GetValue(sevFilter) is { } v) query.Add("severity=" + Uri.EscapeDataString(v));
            if (p.GetValue(serviceFilter) is { } sv) query.Add("service=" + Uri.EscapeDataString(sv));
            if (p.GetValue(limit) is { } l) query.Add("limit=" + l);
            var rows = await c.Client.GetAsync("api/v1/incidents" + (query.Count == 0 ? "" : "?" + string.Join('&', query)), ct);
            if (c.Json) c.PrintJson(rows);
            else IncidentRender.List(c.Console, rows, DateTime.UtcNow);
        }));
        yield return list;

        // postmortem
        var output = new Option<string?>("--out", "-o") { Description = "Write the draft to this file instead of printing it" };
        var postmortem = new Command("postmortem", "Write a blameless postmortem draft (Markdown) from the record") { incidentArg, output };
        postmortem.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
        {
            var markdown = await c.Client.GetTextAsync($"api/v1/incidents/{Seg(p.GetValue(incidentArg))}/postmortem", ct);
            if (p.GetValue(output) is { } file)
            {
                var path = Path.IsPathRooted(file) ? file : Path.Combine(c.Environment.CurrentDirectory, file);
                await File.WriteAllTextAsync(path, markdown, ct);
                if (c.Json) c.Environment.Out.WriteLine(JsonSerializer.Serialize(new { file = path }));
                else c.Environment.Out.WriteLine($"Wrote {file}");
            }
            else if (c.Json)
            {
                c.Environment.Out.WriteLine(JsonSerializer.Serialize(new { markdown }));
            }
            else
            {
                c.Environment.Out.Write(markdown);
            }
        }));
        yield return postmortem;
    }

    private static string Seg(string? value) => Uri.EscapeDataString(value ?? "");
}
