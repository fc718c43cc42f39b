using System.Net.Http.Json;
using System.Text.Json;
using Firebreak.Tests.Support;

namespace Firebreak.Tests.Cli;

/// <summary>The README's tour, run through the real CLI verbs against a real server.</summary>
public class CliTourTests(FirebreakServer server) : IClassFixture<FirebreakServer>
{
    [Fact]
    public async Task A_team_runs_an_incident_from_declaration_to_postmortem_in_the_terminal()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var team = "T" + suffix.ToUpperInvariant();
        var ic = "ic" + suffix;
        var dba = "dba" + suffix;
        var service = "checkout" + suffix;
        (await server.CliAsync("team", "add", team, "--name", "API team")).ShouldSucceed();
        (await server.CliAsync("person", "add", ic, "--name", "John T. Simmons", "--team", team)).ShouldSucceed();
        (await server.CliAsync("person", "add", dba, "--name", "Li Chen")).ShouldSucceed();
        (await server.CliAsync("service", "add", service, "--team", team, "--tier", "1")).ShouldSucceed();

        var declared = (await server.CliAsync("declare", "--title", "Checkout API 5xx spike", "--sev", "2", "--service", service)).ShouldSucceed();
        var id = declared.Out.Trim();
        id.ShouldMatch(@"^INC-\d+$");

        (await server.CliAsync("edit", id, "--summary", "Checkout returns 502 for one in eight requests")).ShouldSucceed();
        (await server.CliAsync("role", id, "commander", ic)).ShouldSucceed();
        (await server.CliAsync("role", id, "sme", dba)).ShouldSucceed();
        (await server.CliAsync("status", id, "investigating")).ShouldSucceed();
        (await server.CliAsync("update", id, "--condition", "12% of checkouts fail", "--action", "Rolling back 2026.11.24-1", "--need", "Payments on-call", "--next", "15m")).ShouldSucceed();
        (await server.CliAsync("log", id, "Error rate rose at 14:02, with the deploy", "--kind", "fact")).ShouldSucceed();
        (await server.CliAsync("log", id, "Pool exhaustion in the payments client", "--kind", "hypothesis")).ShouldSucceed();
        (await server.CliAsync("sev", id, "1", "--reason", "all regions")).ShouldSucceed();
        (await server.CliAsync("action", id, "Add replica-lag alert", "--owner", dba, "--due", "2026-12-15")).ShouldSucceed();

        var show = (await server.CliAsync("show", id)).ShouldSucceed().Out;
        show.ShouldContain($"{id}  SEV1  investigating");
        show.ShouldContain("Checkout API 5xx spike");
        show.ShouldContain("Summary: Checkout returns 502 for one in eight requests");
        show.ShouldContain($"commander {ic}");
        show.ShouldContain($"sme {dba}");
        show.ShouldContain("Condition: 12% of checkouts fail");
        show.ShouldContain("Need:      Payments on-call");
        show.ShouldContain("Next update due in 1");
        show.ShouldContain("Error rate rose at 14:02, with the deploy");
        show.ShouldContain("? Pool exhaustion in the payments client");
        show.ShouldContain($"Add replica-lag alert @{dba} due 2026-12-15");
        show.ShouldContain("Severity raised SEV2 → SEV1: all regions");

        (await server.CliAsync("status", id, "resolved")).ShouldSucceed();
        var file = Path.Combine(server.Root, id + ".md");
        (await server.CliAsync("postmortem", id, "--out", file)).ShouldSucceed().Out.ShouldContain("Wrote");
        var markdown = await File.ReadAllTextAsync(file);
        markdown.ShouldContain("## Root causes");
        markdown.ShouldContain("Add replica-lag alert");
    }

    [Fact]
    public async Task Every_command_prints_json_for_scripts()
    {
        var declared = (await server.CliAsync("declare", "--title", "json", "--sev", "SEV3", "--json")).ShouldSucceed();
        var id = JsonDocument.Parse(declared.Out).RootElement.GetProperty("id").GetString();

        var list = (await server.CliAsync("list", "--active", "--json")).ShouldSucceed();
        JsonDocument.Parse(list.Out).RootElement.EnumerateArray().ShouldContain(i => i.GetProperty("id").GetString() == id);
        var logged = (await server.CliAsync("log", id!, "a note", "--json")).ShouldSucceed();
        JsonDocument.Parse(logged.Out).RootElement.GetProperty("timeline").GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public async Task The_token_is_found_in_the_local_data_directory()
    {
        var variables = new Dictionary<string, string?> { ["FIREBREAK_URL"] = server.Url };
        var run = await CliRun.InvokeAsync(variables, server.Root, "whoami");
        run.ShouldSucceed().Out.ShouldContain("admin");
    }

    [Fact]
    public async Task The_server_and_token_can_be_given_as_options()
    {
        var run = await CliRun.InvokeAsync(new Dictionary<string, string?>(), Path.GetTempPath(), "whoami", "--server", server.Url, "--token", server.AdminToken);
        run.ShouldSucceed().Out.ShouldContain("admin");
    }

    [Fact]
    public async Task Naming_an_unknown_person_is_a_clear_error_with_exit_code_1()
    {
        var id = (await server.CliAsync("declare", "--title", "x", "--sev", "3")).ShouldSucceed().Out.Trim();
        var run = await server.CliAsync("role", id, "commander", "nobody-here");
        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("No person has the handle 'nobody-here'");
    }

    [Fact]
    public async Task A_refused_transition_is_explained()
    {
        var id = (await server.CliAsync("declare", "--title", "x", "--sev", "3")).ShouldSucceed().Out.Trim();
        var run = await server.CliAsync("status", id, "closed");
        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("resolve it first");
    }

    [Fact]
    public async Task A_bad_token_is_explained()
    {
        var run = await CliRun.InvokeAsync(new Dictionary<string, string?> { ["FIREBREAK_URL"] = server.Url, ["FIREBREAK_TOKEN"] = "fb_wrongwrongwrong" }, server.Root, "list");
        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("Not signed in");
    }

    [Fact]
    public async Task An_unreachable_server_is_exit_code_2_with_a_hint()
    {
        var run = await CliRun.InvokeAsync(new Dictionary<string, string?> { ["FIREBREAK_URL"] = "http://127.0.0.1:1" }, server.Root, "list", "--token", "fb_whatever123");
        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("firebreak serve");
    }

    [Fact]
    public async Task Tokens_are_created_and_revoked_from_the_cli()
    {
        var handle = "tk" + Guid.NewGuid().ToString("N")[..8];
        (await server.CliAsync("person", "add", handle, "--name", "Token Person")).ShouldSucceed();
        var created = (await server.CliAsync("token", "create", "--name", "laptop", "--for", handle, "--json")).ShouldSucceed();
        var json = JsonDocument.Parse(created.Out).RootElement;
        var token = json.GetProperty("token").GetString()!;
        var variables = new Dictionary<string, string?> { ["FIREBREAK_URL"] = server.Url, ["FIREBREAK_TOKEN"] = token };
        (await CliRun.InvokeAsync(variables, server.Root, "whoami")).ShouldSucceed().Out.ShouldContain(handle);

        (await server.CliAsync("token", "revoke", json.GetProperty("id").GetInt32().ToString())).ShouldSucceed();
        (await CliRun.InvokeAsync(variables, server.Root, "whoami")).ExitCode.ShouldBe(1);
    }

    [Fact]
    public async Task Missing_required_options_are_a_usage_error()
    {
        var run = await server.CliAsync("declare", "--title", "no severity");
        run.ExitCode.ShouldNotBe(0);
        run.Error.ShouldContain("--sev");
    }
}

public class AlertCliTests(Firebreak.Tests.Support.FirebreakServer server) : IClassFixture<Firebreak.Tests.Support.FirebreakServer>
{
    [Fact]
    public async Task An_integration_is_created_alerts_listed_and_silences_managed_from_the_cli()
    {
        var created = (await server.CliAsync("integration", "create", "generic", "--name", "ci-checks")).ShouldSucceed().Out;
        created.ShouldContain("/api/v1/alerts");
        var key = created.Split('\n').Single(l => l.TrimStart().StartsWith("Key:")).Split(':', 2)[1].Trim().Split(' ')[0];
        key.ShouldStartWith("fbk_");

        using var client = server.Client();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        (await client.PostAsync("/api/v1/alerts", new StringContent("""{"summary":"Backup job failed","severity":"error","dedupKey":"backup-nightly"}""",
            System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        var alerts = (await server.CliAsync("alerts", "--firing")).ShouldSucceed().Out;
        alerts.ShouldContain("Backup job failed");
        alerts.ShouldContain("firing");

        var silence = (await server.CliAsync("silence", "add", "alertname=Backup", "severity=error", "--duration", "2h", "--comment", "restore drill", "--json")).ShouldSucceed();
        var id = JsonDocument.Parse(silence.Out).RootElement.GetProperty("id").GetInt64();
        (await server.CliAsync("silence", "list")).ShouldSucceed().Out.ShouldContain("restore drill");
        (await server.CliAsync("silence", "expire", id.ToString())).ShouldSucceed();
        (await server.CliAsync("silence", "add", "alertname=~(")).ExitCode.ShouldBe(1);
        (await server.CliAsync("integration", "list")).ShouldSucceed().Out.ShouldContain("ci-checks");
    }
}

[Collection("catalog")]
public class CatalogCliTests(Firebreak.Tests.Catalog.CatalogServer server)
{
    [Fact]
    public async Task Lint_exits_non_zero_on_errors_and_prints_file_and_line()
    {
        using var repo = new Firebreak.Tests.Support.CatalogRepo();
        (await server.CliAsync("catalog", "lint", repo.Path)).ShouldSucceed().Out.ShouldContain("0 error(s)");

        repo.Write("services/cart/service.yaml", "id: SVC-CART\nname: Cart\nowner: WEB\ntier: 2\ndepends_on: [ghost]\nlast_reviewed: 2026-11-01\n");
        var run = await server.CliAsync("catalog", "lint", repo.Path);
        run.ExitCode.ShouldBe(1);
        run.Out.ShouldContain("services/cart/service.yaml:5: error: depends on unknown service 'ghost'");

        repo.Service("cart", "WEB", 2, ["db"], reviewed: "2024-01-01");
        (await server.CliAsync("catalog", "lint", repo.Path)).ExitCode.ShouldBe(0);
        (await server.CliAsync("catalog", "lint", repo.Path, "--strict")).ExitCode.ShouldBe(1, "a stale review fails --strict");
    }

    [Fact]
    public async Task A_git_history_is_imported_and_whatchanged_flags_the_rollback_candidate()
    {
        (await server.CliAsync("catalog", "sync")).ShouldSucceed();
        using var service = new Firebreak.Tests.Support.CatalogRepo();
        service.Write("src/app.txt", "v1");
        service.Commit("feat: first version", DateTimeOffset.UtcNow.AddHours(-3));
        service.Tag("v1.0.0");
        service.Write("src/app.txt", "v2");
        service.Commit("feat: pool size from config", DateTimeOffset.UtcNow.AddMinutes(-15));
        service.Tag("v1.1.0");

        var imported = (await server.CliAsync("changes", "import", "--repo", service.Path, "--service", "reports")).ShouldSucceed().Out;
        imported.ShouldContain("recorded");
        (await server.CliAsync("changes", "import", "--repo", service.Path, "--service", "reports")).ShouldSucceed().Out.ShouldContain("recorded 0 new");

        var id = (await server.CliAsync("declare", "--title", "Reports failing", "--sev", "3", "--service", "reports")).ShouldSucceed().Out.Trim();
        var changed = (await server.CliAsync("whatchanged", id)).ShouldSucceed().Out;
        changed.ShouldContain("Release v1.1.0");
        changed.ShouldContain("ROLLBACK CANDIDATE → roll back to v1.0.0");
        (await server.CliAsync("show", id)).ShouldSucceed().Out.ShouldContain("What changed (top 3):");
        var context = (await server.CliAsync("context", id)).ShouldSucceed().Out;
        context.ShouldContain("Who to call:  DATA");
        context.ShouldContain("Roll back reports to v1.0.0");
    }
}

public class OnCallCliTests(Firebreak.Tests.Support.FirebreakServer server) : IClassFixture<Firebreak.Tests.Support.FirebreakServer>
{
    [Fact]
    public async Task Oncall_names_who_is_on_call_at_a_time_and_overrides_are_made_from_the_cli()
    {
        var (a, _) = await server.PersonAsync("cla");
        var (b, _) = await server.PersonAsync("clb");
        var name = "cli-" + Guid.NewGuid().ToString("N")[..6];
        (await server.Admin().PostAsJsonAsync("/api/v1/schedules", new
        {
            name, timeZone = "America/New_York",
            layers = new[] { new { name = "weekly", rotation = "weekly", handoff = "2026-11-02T09:00", members = new[] { a, b } } },
        })).EnsureSuccessStatusCode();

        (await server.CliAsync("oncall", "--schedule", name, "--at", "2026-11-10T15:00:00Z")).ShouldSucceed().Out.ShouldContain(b);
        var json = (await server.CliAsync("oncall", "--json")).ShouldSucceed().Out;
        JsonDocument.Parse(json).RootElement.EnumerateArray().ShouldContain(r => r.GetProperty("schedule").GetString() == name);

        var start = DateTime.UtcNow.AddDays(2);
        (await server.CliAsync("schedule", "override", name, b, "--from", start.ToString("O"), "--to", start.AddHours(6).ToString("O"))).ShouldSucceed();
        (await server.CliAsync("oncall", "--schedule", name, "--at", start.AddHours(1).ToString("O"))).ShouldSucceed().Out.ShouldContain("override");
        (await server.CliAsync("schedule", "override", name, a, "--from", start.AddHours(2).ToString("O"), "--to", start.AddHours(3).ToString("O"))).ExitCode.ShouldBe(1);
        (await server.CliAsync("oncall", "gaps", "--schedule", name)).ShouldSucceed().Out.ShouldContain("covered");
    }
}
