using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Firebreak.Tests.Support;

namespace Firebreak.Tests.Incidents;

public class IncidentApiTests(FirebreakServer server) : IClassFixture<FirebreakServer>
{
    [Fact]
    public async Task Declaring_returns_the_new_incident_in_triage_with_a_declared_event_by_the_caller()
    {
        var (handle, token) = await server.PersonAsync("decl");
        var service = await server.ServiceAsync();
        using var client = server.Client(token);

        var response = await client.PostAsJsonAsync("/api/v1/incidents", new { title = "Checkout API 5xx spike", severity = 2, services = new[] { service } });

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var incident = await response.JsonAsync();
        var id = incident.GetProperty("id").GetString()!;
        id.ShouldStartWith("INC-");
        response.Headers.Location!.ToString().ShouldEndWith("/api/v1/incidents/" + id);
        incident.GetProperty("status").GetString().ShouldBe("triage");
        incident.GetProperty("severity").GetString().ShouldBe("SEV2");
        incident.GetProperty("declaredBy").GetString().ShouldBe(handle);
        incident.GetProperty("services")[0].GetProperty("id").GetString().ShouldBe("SVC-" + service.ToUpperInvariant());
        var first = incident.GetProperty("timeline")[0];
        first.GetProperty("kind").GetString().ShouldBe("declared");
        first.GetProperty("actor").GetString().ShouldBe(handle);
    }

    [Fact]
    public async Task Incident_numbers_are_sequential()
    {
        using var admin = server.Admin();
        var a = Number(await server.DeclareAsync(admin, "first"));
        var b = Number(await server.DeclareAsync(admin, "second"));
        b.ShouldBeGreaterThan(a);
    }

    [Fact]
    public async Task A_service_can_be_named_by_its_canonical_id()
    {
        var service = await server.ServiceAsync();
        using var admin = server.Admin();
        var incident = await server.DeclareAsync(admin, services: ["SVC-" + service.ToUpperInvariant()]);
        incident.GetProperty("services")[0].GetProperty("shortName").GetString().ShouldBe(service);
    }

    [Fact]
    public async Task A_full_response_is_recorded_on_the_timeline_in_order()
    {
        var (commander, _) = await server.PersonAsync("ic");
        var (sme, _) = await server.PersonAsync("sme");
        using var admin = server.Admin();
        var id = (await server.DeclareAsync(admin)).GetProperty("id").GetString()!;

        (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/roles", new { role = "commander", handle = commander })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/roles", new { role = "sme", handle = sme })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/status", new { status = "investigating" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/updates", new { condition = "12% of checkouts fail", action = "Rolling back", need = "Payments on-call", nextUpdateIn = "15m" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/log", new { text = "Deploy at 14:02 matches the spike", kind = "fact" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/log", new { text = "Connection pool too small", kind = "hypothesis" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/log", new { text = "Roll back first", kind = "decision" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/severity", new { severity = "SEV1", reason = "all regions" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/status", new { status = "mitigated" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/status", new { status = "resolved" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/actions", new { title = "Add replica-lag alert", owner = sme, due = "2026-12-15" })).EnsureSuccessStatusCode();
        var view = await (await admin.GetAsync($"/api/v1/incidents/{id}")).JsonAsync();

        view.GetProperty("status").GetString().ShouldBe("resolved");
        view.GetProperty("severity").GetString().ShouldBe("SEV1");
        view.GetProperty("roles").EnumerateArray().Select(r => (r.GetProperty("role").GetString(), r.GetProperty("handle").GetString()))
            .ShouldBe([("commander", commander), ("sme", sme)]);
        var latest = view.GetProperty("latestUpdate");
        latest.GetProperty("condition").GetString().ShouldBe("12% of checkouts fail");
        latest.GetProperty("need").GetString().ShouldBe("Payments on-call");
        view.GetProperty("facts")[0].GetProperty("text").GetString().ShouldBe("Deploy at 14:02 matches the spike");
        view.GetProperty("hypotheses")[0].GetProperty("text").GetString().ShouldBe("Connection pool too small");
        view.GetProperty("decisions")[0].GetProperty("text").GetString().ShouldBe("Roll back first");
        var item = view.GetProperty("actionItems")[0];
        item.GetProperty("owner").GetString().ShouldBe(sme);
        item.GetProperty("due").GetString().ShouldBe("2026-12-15");
        var times = view.GetProperty("times");
        foreach (var stamp in new[] { "acknowledgedAt", "mitigatedAt", "resolvedAt" })
            times.GetProperty(stamp).ValueKind.ShouldBe(JsonValueKind.String, stamp);
        view.GetProperty("nextUpdateDueAt").ValueKind.ShouldBe(JsonValueKind.Null, "a resolved incident owes no more updates");
        view.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ShouldBe(
        [
            "declared", "roleAssigned", "roleAssigned", "statusChanged", "canUpdate", "fact", "hypothesis", "decision",
            "severityChanged", "statusChanged", "statusChanged", "actionItemAdded",
        ]);
    }

    [Fact]
    public async Task Handing_over_command_replaces_the_commander_and_says_who_it_was()
    {
        var (first, _) = await server.PersonAsync("ica");
        var (second, _) = await server.PersonAsync("icb");
        using var admin = server.Admin();
        var id = (await server.DeclareAsync(admin)).GetProperty("id").GetString()!;
        await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/roles", new { role = "commander", handle = first });

        var view = await (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/roles", new { role = "ic", handle = second })).JsonAsync();

        view.GetProperty("roles").EnumerateArray().Select(r => r.GetProperty("handle").GetString()).ShouldBe([second]);
        view.GetProperty("timeline").EnumerateArray().Last().GetProperty("text").GetString()
            .ShouldBe($"{second} took over as commander from {first}");
    }

    [Fact]
    public async Task Several_subject_matter_experts_can_serve_and_one_can_be_relieved()
    {
        var (a, _) = await server.PersonAsync("sa");
        var (b, _) = await server.PersonAsync("sb");
        using var admin = server.Admin();
        var id = (await server.DeclareAsync(admin)).GetProperty("id").GetString()!;
        await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/roles", new { role = "sme", handle = a });
        await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/roles", new { role = "sme", handle = b });

        var view = await (await admin.DeleteAsync($"/api/v1/incidents/{id}/roles/sme/{a}")).JsonAsync();

        view.GetProperty("roles").EnumerateArray().Select(r => r.GetProperty("handle").GetString()).ShouldBe([b]);
        view.GetProperty("timeline").EnumerateArray().Last().GetProperty("kind").GetString().ShouldBe("roleRelieved");
    }

    [Fact]
    public async Task Closing_an_unresolved_incident_is_refused_and_changes_nothing()
    {
        using var admin = server.Admin();
        var id = (await server.DeclareAsync(admin)).GetProperty("id").GetString()!;
        var before = await (await admin.GetAsync($"/api/v1/incidents/{id}")).JsonAsync();

        var problem = await (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/status", new { status = "closed" })).ShouldBeProblemAsync(409);

        problem.GetProperty("detail").GetString()!.ShouldContain("resolve it first");
        var after = await (await admin.GetAsync($"/api/v1/incidents/{id}")).JsonAsync();
        after.GetProperty("status").GetString().ShouldBe("triage");
        after.GetProperty("timeline").GetArrayLength().ShouldBe(before.GetProperty("timeline").GetArrayLength());
    }

    [Fact]
    public async Task A_resolved_incident_is_reopened_explicitly_with_a_reason()
    {
        using var admin = server.Admin();
        var id = (await server.DeclareAsync(admin)).GetProperty("id").GetString()!;
        await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/status", new { status = "resolved" });

        await (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/status", new { status = "investigating" })).ShouldBeProblemAsync(409);
        await (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/reopen", new { reason = "" })).ShouldBeProblemAsync(422, "reason");
        var view = await (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/reopen", new { reason = "errors are back" })).JsonAsync();

        view.GetProperty("status").GetString().ShouldBe("investigating");
        view.GetProperty("times").GetProperty("resolvedAt").ValueKind.ShouldBe(JsonValueKind.Null);
        view.GetProperty("timeline").EnumerateArray().Last().GetProperty("kind").GetString().ShouldBe("reopened");
    }

    [Fact]
    public async Task Action_items_can_be_completed_once()
    {
        using var admin = server.Admin();
        var id = (await server.DeclareAsync(admin)).GetProperty("id").GetString()!;
        var item = (await (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/actions", new { title = "Write runbook" })).JsonAsync())
            .GetProperty("actionItems")[0].GetProperty("id").GetInt32();

        var view = await (await admin.PostAsync($"/api/v1/incidents/{id}/actions/{item}/complete", null)).JsonAsync();

        view.GetProperty("actionItems")[0].GetProperty("done").GetBoolean().ShouldBeTrue();
        await (await admin.PostAsync($"/api/v1/incidents/{id}/actions/{item}/complete", null)).ShouldBeProblemAsync(409);
        await (await admin.PostAsync($"/api/v1/incidents/{id}/actions/999999/complete", null)).ShouldBeProblemAsync(404);
    }

    [Fact]
    public async Task Title_summary_and_services_can_be_edited_and_the_edit_is_on_the_timeline()
    {
        var service = await server.ServiceAsync("edt");
        using var admin = server.Admin();
        var id = (await server.DeclareAsync(admin, "Something is slow")).GetProperty("id").GetString();

        var view = await (await admin.PatchAsJsonAsync($"/api/v1/incidents/{id}", new { title = "Search p99 above 2s", summary = "Since 14:02", addServices = new[] { service } })).JsonAsync();

        view.GetProperty("title").GetString().ShouldBe("Search p99 above 2s");
        view.GetProperty("summary").GetString().ShouldBe("Since 14:02");
        view.GetProperty("services")[0].GetProperty("shortName").GetString().ShouldBe(service);
        var edited = view.GetProperty("timeline").EnumerateArray().Last();
        edited.GetProperty("kind").GetString().ShouldBe("edited");
        edited.GetProperty("text").GetString()!.ShouldContain("\"Something is slow\" → \"Search p99 above 2s\"");
        await (await admin.PatchAsJsonAsync($"/api/v1/incidents/{id}", new { title = "Search p99 above 2s" })).ShouldBeProblemAsync(409);
        await (await admin.PatchAsJsonAsync($"/api/v1/incidents/{id}", new { addServices = new[] { "no-such" } })).ShouldBeProblemAsync(422, "services");
        await (await admin.PatchAsJsonAsync($"/api/v1/incidents/{id}", new { title = " " })).ShouldBeProblemAsync(422, "title");
    }

    [Fact]
    public async Task Listing_filters_by_status_severity_service_and_activity()
    {
        var service = await server.ServiceAsync("flt");
        using var admin = server.Admin();
        var open = (await server.DeclareAsync(admin, "open one", 1, services: [service])).GetProperty("id").GetString();
        var done = (await server.DeclareAsync(admin, "done one", 3, services: [service])).GetProperty("id").GetString();
        await admin.PostAsJsonAsync($"/api/v1/incidents/{done}/status", new { status = "resolved" });

        async Task<string?[]> Ids(string query) =>
            [.. (await (await admin.GetAsync($"/api/v1/incidents?service={service}&{query}")).JsonAsync()).EnumerateArray().Select(i => i.GetProperty("id").GetString())];

        (await Ids("")).ShouldBe([done, open]);
        (await Ids("active=true")).ShouldBe([open]);
        (await Ids("status=resolved")).ShouldBe([done]);
        (await Ids("severity=SEV1")).ShouldBe([open]);
        await (await admin.GetAsync("/api/v1/incidents?status=sleeping")).ShouldBeProblemAsync(422, "status");
    }

    [Fact]
    public async Task Concurrent_log_entries_on_one_incident_are_all_kept()
    {
        using var admin = server.Admin();
        var id = (await server.DeclareAsync(admin)).GetProperty("id").GetString()!;

        var posts = Enumerable.Range(0, 12).Select(i => admin.PostAsJsonAsync($"/api/v1/incidents/{id}/log", new { text = $"note {i}" }));
        var responses = await Task.WhenAll(posts);

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        var timeline = await (await admin.GetAsync($"/api/v1/incidents/{id}/timeline")).JsonAsync();
        timeline.EnumerateArray().Count(e => e.GetProperty("kind").GetString() == "note").ShouldBe(12);
    }

    private static int Number(JsonElement incident) => int.Parse(incident.GetProperty("id").GetString()!["INC-".Length..]);
}
