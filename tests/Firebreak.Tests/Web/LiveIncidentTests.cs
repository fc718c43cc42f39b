using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Firebreak.Tests.Support;

namespace Firebreak.Tests.Web;

public sealed class LiveIncidentTests(FirebreakServer server) : IClassFixture<FirebreakServer>
{
    private static JsonElement Frame(ServerSentEvent e) => JsonDocument.Parse(e.Data).RootElement;

    private async Task<(string Id, long LastEvent, string Token)> IncidentAsync(bool isPrivate = false)
    {
        var (_, token) = await server.PersonAsync("live");
        var incident = await server.DeclareAsync(server.Client(token), "Live incident", isPrivate: isPrivate);
        return (incident.GetProperty("id").GetString()!, incident.GetProperty("timeline").EnumerateArray().Last().GetProperty("id").GetInt64(), token);
    }

    [Fact]
    public async Task Every_open_page_receives_a_change_made_through_the_api_with_the_new_state()
    {
        var (id, last, token) = await IncidentAsync();
        var viewers = new List<EventStream>();
        for (var n = 0; n < 5; n++) viewers.Add(await EventStream.OpenAsync(server.Client(token), $"/incidents/{id}/live?after={last}"));

        (await server.Client(token).PostAsJsonAsync($"/api/v1/incidents/{id}/updates",
            new { condition = "Checkout fails for card payments", action = "Rolling back", need = "Nobody" })).EnsureSuccessStatusCode();

        foreach (var viewer in viewers)
        {
            var frame = Frame(await viewer.NextAsync("incident"));
            frame.GetProperty("entries").GetString()!.ShouldContain("Checkout fails for card payments");
            frame.GetProperty("state").GetString()!.ShouldContain("Checkout fails for card payments");
            frame.GetProperty("last").GetInt64().ShouldBeGreaterThan(last);
            await viewer.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_reconnecting_page_gets_exactly_what_it_missed()
    {
        var (id, last, token) = await IncidentAsync();
        var api = server.Client(token);
        (await api.PostAsJsonAsync($"/api/v1/incidents/{id}/log", new { kind = "fact", text = "missed one" })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync($"/api/v1/incidents/{id}/log", new { kind = "fact", text = "missed two" })).EnsureSuccessStatusCode();

        // EventSource resends the id of the last event it saw; the stale ?after= in its URL no longer counts.
        await using var stream = await EventStream.OpenAsync(api, $"/incidents/{id}/live?after=0", lastEventId: last.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var catchUp = Frame(await stream.NextAsync("incident"));
        var entries = catchUp.GetProperty("entries").GetString()!;
        entries.ShouldContain("missed one");
        entries.ShouldContain("missed two");
        entries.ShouldNotContain("Declared");
        entries.IndexOf("missed two", StringComparison.Ordinal).ShouldBeLessThan(entries.IndexOf("missed one", StringComparison.Ordinal), "newest first");
    }

    [Fact]
    public async Task A_page_claiming_to_have_seen_the_future_does_not_hold_back_anyone_else()
    {
        var (id, last, token) = await IncidentAsync();
        await using var liar = await EventStream.OpenAsync(server.Client(token), $"/incidents/{id}/live?after=999999999");
        await using var honest = await EventStream.OpenAsync(server.Client(token), $"/incidents/{id}/live?after={last}");
        (await server.Client(token).PostAsJsonAsync($"/api/v1/incidents/{id}/log", new { kind = "note", text = "after the lie" })).EnsureSuccessStatusCode();
        Frame(await honest.NextAsync("incident")).GetProperty("entries").GetString()!.ShouldContain("after the lie");
        Frame(await liar.NextAsync("incident")).GetProperty("entries").GetString()!.ShouldContain("after the lie");
    }

    [Fact]
    public async Task A_private_incident_streams_only_to_its_members()
    {
        var (id, last, token) = await IncidentAsync(isPrivate: true);
        var (_, outsider) = await server.PersonAsync("nosy");
        var refused = await server.Client(outsider).GetAsync($"/incidents/{id}/live?after={last}");
        refused.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await using var member = await EventStream.OpenAsync(server.Client(token), $"/incidents/{id}/live?after={last}");
        (await server.Client(token).PostAsJsonAsync($"/api/v1/incidents/{id}/log", new { kind = "note", text = "members only" })).EnsureSuccessStatusCode();
        Frame(await member.NextAsync("incident")).GetProperty("entries").GetString()!.ShouldContain("members only");
    }

    [Fact]
    public async Task The_dashboard_stream_says_when_any_incident_changed()
    {
        var (_, token) = await server.PersonAsync("board");
        await using var board = await EventStream.OpenAsync(server.Client(token), "/live/dashboard");
        await server.DeclareAsync(server.Client(token), "Dashboard should hear this");
        (await board.NextAsync("dashboard")).Data.ShouldBe("changed");
    }

    [Fact]
    public async Task Stopping_the_server_ends_open_streams_instead_of_waiting_for_the_browsers_to_leave()
    {
        var own = new FirebreakServer();
        await own.InitializeAsync();
        try
        {
            var (_, token) = await own.PersonAsync("stop");
            await using var board = await EventStream.OpenAsync(own.Client(token), "/live/dashboard");
            var stopping = System.Diagnostics.Stopwatch.StartNew();
            await own.StopAsync();
            // The host's shutdown timeout is 30 s; a stream that held shutdown would use all of it.
            stopping.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(15));
        }
        finally
        {
            await own.DisposeAsync();
        }
    }
}
