using System.Net.Http.Json;
using Firebreak.Incidents;
using Firebreak.Tests.Support;

namespace Firebreak.Tests.Incidents;

public sealed class WorkstreamTests(FirebreakServer server) : IClassFixture<FirebreakServer>
{
    [Fact]
    public async Task Workstreams_open_change_lead_and_finish_on_the_timeline()
    {
        var (lead, token) = await server.PersonAsync("ws");
        var (other, _) = await server.PersonAsync("ws2");
        var api = server.Client(token);
        var id = (await server.DeclareAsync(api, "Two things at once")).GetProperty("id").GetString()!;

        (await api.PostAsJsonAsync($"/api/v1/incidents/{id}/workstreams", new { title = "Roll back payments-client", lead })).EnsureSuccessStatusCode();
        var view = await (await api.PostAsJsonAsync($"/api/v1/incidents/{id}/workstreams", new { title = "Customer comms" })).JsonAsync();
        var streams = view.GetProperty("workstreams").EnumerateArray().ToList();
        streams.Select(w => w.GetProperty("number").GetInt32()).ShouldBe([1, 2]);
        streams[0].GetProperty("lead").GetString().ShouldBe(lead);
        streams[1].GetProperty("lead").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);

        (await api.PatchAsJsonAsync($"/api/v1/incidents/{id}/workstreams/2", new { lead = other })).EnsureSuccessStatusCode();
        view = await (await api.PatchAsJsonAsync($"/api/v1/incidents/{id}/workstreams/1", new { done = true })).JsonAsync();
        streams = [.. view.GetProperty("workstreams").EnumerateArray()];
        streams[0].GetProperty("done").GetBoolean().ShouldBeTrue();
        streams[0].GetProperty("doneAt").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.String);
        streams[1].GetProperty("lead").GetString().ShouldBe(other);
        streams[1].GetProperty("done").GetBoolean().ShouldBeFalse();

        var texts = view.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("text").GetString()).ToList();
        texts.ShouldContain($"Workstream 1 opened: Roll back payments-client (lead {lead})");
        texts.ShouldContain($"Workstream 2 (Customer comms): lead {other}");
        texts.ShouldContain("Workstream 1 (Roll back payments-client): done");
    }

    [Fact]
    public async Task Bad_workstream_requests_are_refused_and_change_nothing()
    {
        var (_, token) = await server.PersonAsync("wsbad");
        var api = server.Client(token);
        var id = (await server.DeclareAsync(api, "Refusals")).GetProperty("id").GetString()!;
        await (await api.PostAsJsonAsync($"/api/v1/incidents/{id}/workstreams", new { title = " " })).ShouldBeProblemAsync(422, "title");
        await (await api.PostAsJsonAsync($"/api/v1/incidents/{id}/workstreams", new { title = "x", lead = "nobody-here" })).ShouldBeProblemAsync(422, "lead");
        await (await api.PatchAsJsonAsync($"/api/v1/incidents/{id}/workstreams/7", new { done = true })).ShouldBeProblemAsync(404);
        (await api.PostAsJsonAsync($"/api/v1/incidents/{id}/workstreams", new { title = "Only one" })).EnsureSuccessStatusCode();
        (await api.PatchAsJsonAsync($"/api/v1/incidents/{id}/workstreams/1", new { done = true })).EnsureSuccessStatusCode();
        await (await api.PatchAsJsonAsync($"/api/v1/incidents/{id}/workstreams/1", new { done = true })).ShouldBeProblemAsync(409);
        await (await api.PatchAsJsonAsync($"/api/v1/incidents/{id}/workstreams/1", new { })).ShouldBeProblemAsync(409);

        var view = await (await api.GetAsync($"/api/v1/incidents/{id}")).JsonAsync();
        view.GetProperty("workstreams").GetArrayLength().ShouldBe(1);
        view.GetProperty("timeline").EnumerateArray().Count(e => e.GetProperty("kind").GetString()!.StartsWith("workstream", StringComparison.Ordinal)).ShouldBe(2);
    }
}
