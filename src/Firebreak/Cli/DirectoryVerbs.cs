using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace Firebreak.Cli;

/// <summary>People, teams, services, tokens and the audit trail.</summary>
public static class DirectoryVerbs
{
    public static IEnumerable<Command> Build(CliEnvironment env, GlobalOptions globals)
    {
        // person
        var handle = new Argument<string>("handle") { Description = "Short canonical handle, e.g. jtsimmons" };
        var personName = new Option<string>("--name") { Description = "Full name", Required = true };
        var personTeam = new Option<string?>("--team") { Description = "Team short name, e.g. API" };
        var email = new Option<string?>("--email") { Description = "Email address" };
        var admin = new Option<bool>("--admin") { Description = "Make the person an administrator" };
        var personAdd = new Command("add", "Add a person (admins only)") { handle, personName, personTeam, email, admin };
        personAdd.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
            Print(c, await c.Client.PostAsync("api/v1/people", new { handle = p.GetValue(handle), name = p.GetValue(personName), team = p.GetValue(personTeam), email = p.GetValue(email), admin = p.GetValue(admin) }, ct),
                v => c.Console.MarkupLine($"Added [bold]{E(v, "handle")}[/] ({E(v, "name")})"))));
        var personList = new Command("list", "List people");
        personList.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
            Print(c, await c.Client.GetAsync("api/v1/people", ct), rows => Table(c, rows, ("Handle", "handle"), ("Name", "name"), ("Teams", "teams"), ("Admin", "admin")))));
        yield return new Command("person", "Manage people") { personAdd, personList };

        // team
        var shortName = new Argument<string>("short-name") { Description = "Canonical short name, e.g. API or DBA" };
        var teamName = new Option<string>("--name") { Description = "Full name", Required = true };
        var teamEscalation = new Option<string?>("--escalation") { Description = "The escalation policy or schedule that pages this team" };
        var teamChannel = new Option<string?>("--channel") { Description = "Chat channel, e.g. #team-api" };
        var teamAdd = new Command("add", "Add a team (admins only)") { shortName, teamName, teamEscalation, teamChannel };
        teamAdd.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
            Print(c, await c.Client.PostAsync("api/v1/teams", new { shortName = p.GetValue(shortName), name = p.GetValue(teamName), escalation = p.GetValue(teamEscalation), channel = p.GetValue(teamChannel) }, ct),
                v => c.Console.MarkupLine($"Added team [bold]{E(v, "shortName")}[/] ({E(v, "name")})"))));
        var teamList = new Command("list", "List teams");
        teamList.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
            Print(c, await c.Client.GetAsync("api/v1/teams", ct), rows => Table(c, rows, ("Team", "shortName"), ("Name", "name"), ("Members", "members")))));
        yield return new Command("team", "Manage teams") { teamAdd, teamList };

        // service
        var serviceName = new Argument<string>("short-name") { Description = "Short name, e.g. checkout (its id becomes SVC-CHECKOUT)" };
        var displayName = new Option<string?>("--name") { Description = "Display name" };
        var owner = new Option<string?>("--team") { Description = "Owning team" };
        var tier = new Option<int>("--tier") { Description = "1 (most critical) … 3", DefaultValueFactory = _ => 2 };
        var description = new Option<string?>("--description") { Description = "What it does" };
        var serviceAdd = new Command("add", "Add a service to the catalog") { serviceName, displayName, owner, tier, description };
        serviceAdd.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
            Print(c, await c.Client.PostAsync("api/v1/services", new { shortName = p.GetValue(serviceName), name = p.GetValue(displayName), team = p.GetValue(owner), tier = p.GetValue(tier), description = p.GetValue(description) }, ct),
                v => c.Console.MarkupLine($"Added [bold]{E(v, "id")}[/] ({E(v, "name")})"))));
        var serviceList = new Command("list", "List services");
        serviceList.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
            Print(c, await c.Client.GetAsync("api/v1/services", ct), rows => Table(c, rows, ("ID", "id"), ("Name", "name"), ("Team", "team"), ("Tier", "tier")))));
        yield return new Command("service", "Manage the service catalog") { serviceAdd, serviceList };

        // token
        var tokenName = new Option<string>("--name") { Description = "What the token is for", DefaultValueFactory = _ => "cli" };
        var forPerson = new Option<string?>("--for") { Description = "Create it for this person (admins only)" };
        var integration = new Option<string?>("--integration") { Description = "Create it for an integration, e.g. alertmanager (admins only)" };
        var tokenCreate = new Command("create", "Create an API token; the secret is shown once") { tokenName, forPerson, integration };
        tokenCreate.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
            Print(c, await c.Client.PostAsync("api/v1/tokens", new { name = p.GetValue(tokenName), person = p.GetValue(forPerson), integration = p.GetValue(integration) }, ct),
                v =>
                {
                    c.Environment.Out.WriteLine(v.GetProperty("token").GetString());
                    c.Environment.Error.WriteLine($"Token {v.GetProperty("id").GetInt32()} created. It is shown only now: store it safely.");
                })));
        var tokenList = new Command("list", "List tokens (admins see all)");
        tokenList.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
            Print(c, await c.Client.GetAsync("api/v1/tokens", ct), rows => Table(c, rows, ("ID", "id"), ("Name", "name"), ("Prefix", "prefix"), ("Person", "person"), ("Integration", "integration"), ("Revoked", "revokedAt")))));
        var tokenId = new Argument<int>("id") { Description = "Token id (see token list)" };
        var tokenRevoke = new Command("revoke", "Revoke a token") { tokenId };
        tokenRevoke.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
            Print(c, await c.Client.DeleteAsync($"api/v1/tokens/{p.GetValue(tokenId)}", ct), v => c.Console.MarkupLine($"Revoked token {v.GetProperty("id").GetInt32()}"))));
        yield return new Command("token", "Manage API tokens") { tokenCreate, tokenList, tokenRevoke };

        var whoami = new Command("whoami", "Who the token belongs to");
        whoami.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
            Print(c, await c.Client.GetAsync("api/v1/me", ct), v => c.Console.MarkupLine($"{E(v, "handle")} ({E(v, "name")}){(v.GetProperty("admin").GetBoolean() ? ", admin" : "")} at {Markup.Escape(c.ServerUrl)}"))));
        yield return whoami;

        var auditLimit = new Option<int>("--limit") { Description = "How many entries", DefaultValueFactory = _ => 50 };
        var audit = new Command("audit", "The audit trail, newest first (admins only)") { auditLimit };
        audit.SetAction(CliApp.Client(env, globals, async (c, p, ct) =>
            Print(c, await c.Client.GetAsync($"api/v1/audit?limit={p.GetValue(auditLimit)}", ct), rows => Table(c, rows, ("At", "at"), ("Actor", "actor"), ("Action", "action"), ("Target", "target"), ("Detail", "detail")))));
        yield return audit;
    }

    private static void Print(CliContext c, JsonElement value, Action<JsonElement> human)
    {
        if (c.Json) c.PrintJson(value);
        else human(value);
    }

    private static void Table(CliContext c, JsonElement rows, params (string Header, string Property)[] columns)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns(columns.Select(col => col.Header).ToArray());
        foreach (var row in rows.EnumerateArray())
            table.AddRow(columns.Select(col => new Text(Cell(row, col.Property))).ToArray<Spectre.Console.Rendering.IRenderable>());
        c.Console.Write(table);
    }

    private static string Cell(JsonElement row, string property) =>
        !row.TryGetProperty(property, out var v) ? "" : v.ValueKind switch
        {
            JsonValueKind.String => v.GetString()!,
            JsonValueKind.Array => string.Join(", ", v.EnumerateArray().Select(x => x.ToString())),
            JsonValueKind.Null => "",
            JsonValueKind.True => "yes",
            JsonValueKind.False => "",
            _ => v.ToString(),
        };

    private static string E(JsonElement e, string name) => Markup.Escape(e.GetProperty(name).GetString() ?? "");
}
