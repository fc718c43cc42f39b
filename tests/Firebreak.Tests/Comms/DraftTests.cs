using System.Net.Http.Json;
using Firebreak.Comms;
using Firebreak.Tests.Support;

namespace Firebreak.Tests.Comms;

public sealed class DraftTests(CommsServer server) : IClassFixture<CommsServer>
{
    private async Task<(string Id, HttpClient Api)> IncidentAsync()
    {
        var (handle, token) = await server.PersonAsync("dr");
        var api = server.Client(token);
        var service = await server.ServiceAsync("pay");
        var id = (await server.DeclareAsync(api, "Card payments failing", severity: 1, services: [service])).GetProperty("id").GetString()!;
        (await api.PostAsJsonAsync($"/api/v1/incidents/{id}/roles", new { role = "commander", handle })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync($"/api/v1/incidents/{id}/log", new { kind = "decision", text = "Roll back the payments client" })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync($"/api/v1/incidents/{id}/updates", new { condition = "30% of card payments fail on pay-prod-3.internal", action = "Rolling back", need = "Approval to pause the EU promotion" })).EnsureSuccessStatusCode();
        return (id, api);
    }

    [Fact]
    public async Task Each_audience_gets_its_own_draft_from_the_current_record()
    {
        var (id, api) = await IncidentAsync();
        var exec = await (await api.GetAsync($"/api/v1/incidents/{id}/drafts/exec")).JsonAsync();
        var text = exec.GetProperty("text").GetString()!;
        text.ShouldContain($"SEV1 incident {id}: Card payments failing");
        text.ShouldContain("Decisions needed from you: Approval to pause the EU promotion");
        text.ShouldContain("Decisions made: Roll back the payments client");
        text.ShouldContain("Next update in 1");

        var responders = (await (await api.GetAsync($"/api/v1/incidents/{id}/drafts/responders")).JsonAsync()).GetProperty("text").GetString()!;
        responders.ShouldContain("Condition: 30% of card payments fail");
        responders.ShouldContain($"/incidents/{id}");

        var customer = await (await api.GetAsync($"/api/v1/incidents/{id}/drafts/customer")).JsonAsync();
        customer.GetProperty("text").GetString()!.ShouldStartWith("Investigating:");
        customer.GetProperty("text").GetString()!.ShouldNotContain("pay-prod-3");
        customer.GetProperty("findings").GetArrayLength().ShouldBe(0);

        var support = (await (await api.GetAsync($"/api/v1/incidents/{id}/drafts/support")).JsonAsync()).GetProperty("text").GetString()!;
        support.ShouldContain("Do not promise a time for the fix");
        await (await api.GetAsync($"/api/v1/incidents/{id}/drafts/investors")).ShouldBeProblemAsync(422, "audience");
    }

    [Fact]
    public async Task Posting_records_the_text_on_the_timeline_and_customer_text_with_internals_needs_force()
    {
        var (id, api) = await IncidentAsync();
        (await api.PostAsJsonAsync($"/api/v1/incidents/{id}/drafts/exec", new { })).EnsureSuccessStatusCode();

        var leaky = "Checkout is slow because the SEV1 deploy broke pay-prod-3.internal (10.0.4.17); human error by the on-call.";
        var refused = await (await api.PostAsJsonAsync($"/api/v1/incidents/{id}/drafts/customer", new { text = leaky })).ShouldBeProblemAsync(422, "text");
        var detail = refused.GetProperty("detail").GetString()!;
        detail.ShouldContain("pay-prod-3.internal");
        detail.ShouldContain("10.0.4.17");
        detail.ShouldContain("human error");
        detail.ShouldContain("line 1, column");

        var forced = await (await api.PostAsJsonAsync($"/api/v1/incidents/{id}/drafts/customer", new { text = leaky, force = true })).JsonAsync();
        forced.GetProperty("findings").GetArrayLength().ShouldBeGreaterThanOrEqualTo(4);
        var timeline = await (await api.GetAsync($"/api/v1/incidents/{id}/timeline")).JsonAsync();
        var posted = timeline.EnumerateArray().Where(e => e.GetProperty("kind").GetString() == "commsPosted").Select(e => e.GetProperty("text").GetString()!).ToList();
        posted.Count.ShouldBe(2);
        posted[0].ShouldStartWith("Posted to exec:");
        posted[1].ShouldContain(leaky);
    }

    [Fact]
    public async Task A_broken_template_override_is_reported_with_its_line_and_nothing_is_posted()
    {
        var (id, api) = await IncidentAsync();
        var folder = Path.Combine(server.DataDir, "comms", "templates");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "support.liquid");
        await File.WriteAllTextAsync(file, "Support note for {{ incident.id }}\nStatus: {{ incident.status }}\n{% if incident.status %}\nno endif here\n");
        try
        {
            var problem = await (await api.PostAsJsonAsync($"/api/v1/incidents/{id}/drafts/support", new { })).ShouldBeProblemAsync(422, "template");
            problem.GetProperty("detail").GetString()!.ShouldContain("support.liquid");
            problem.GetProperty("detail").GetString()!.ShouldMatch(@"\(\d+:\d+\)|line \d+");
            var timeline = await (await api.GetAsync($"/api/v1/incidents/{id}/timeline")).JsonAsync();
            timeline.EnumerateArray().ShouldNotContain(e => e.GetProperty("kind").GetString() == "commsPosted");
            var templates = await (await server.Admin().GetAsync("/api/v1/comms/templates")).JsonAsync();
            templates.EnumerateArray().Single(t => t.GetProperty("audience").GetString() == "support").GetProperty("error").GetString().ShouldNotBeNull();

            await File.WriteAllTextAsync(file, "Support: {{ incident.id }} is {{ incident.status }}.");
            (await (await api.GetAsync($"/api/v1/incidents/{id}/drafts/support")).JsonAsync()).GetProperty("text").GetString()!.ShouldBe($"Support: {id} is triage.\n");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("We rolled back the deploy on db-prod-2.", "jargon", "rolled back")]
    [InlineData("Requests to api.svc.cluster.local failed.", "hostname", "api.svc.cluster.local")]
    [InlineData("Payments failed.\nThis was operator error.", "blame", "operator error")]
    [InlineData("Pods on ip-10-2-3-4 were OOMKilled.", "hostname", "ip-10-2-3-4")]
    public void The_customer_lint_names_what_it_found_and_where(string text, string rule, string match)
    {
        var finding = CustomerLint.Check(text).First(f => f.Rule == rule);
        finding.Match.ShouldBe(match, StringCompareShould.IgnoreCase);
        var line = text.Split('\n')[finding.Line - 1];
        line.Substring(finding.Column - 1, finding.Match.Length).ShouldBe(finding.Match);
    }

    [Fact]
    public void Plain_customer_language_passes_the_lint()
    {
        CustomerLint.Check("Some customers cannot pay by card. We are working on a fix and will post an update by 14:30 UTC.").ShouldBeEmpty();
    }
}
