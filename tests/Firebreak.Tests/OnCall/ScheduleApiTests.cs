using System.Net;
using System.Net.Http.Json;
using Firebreak.Tests.Support;
using Ical.Net;

namespace Firebreak.Tests.OnCall;

public class ScheduleApiTests(FirebreakServer server) : IClassFixture<FirebreakServer>
{
    private async Task<(string Name, string A, string B)> ScheduleAsync(object? extraLayer = null)
    {
        var (a, _) = await server.PersonAsync("oa");
        var (b, _) = await server.PersonAsync("ob");
        var name = "sched-" + Guid.NewGuid().ToString("N")[..8];
        var layers = new List<object> { new { name = "primary", rotation = "weekly", handoff = "2026-11-02T09:00", members = new[] { a, b } } };
        if (extraLayer is not null) layers.Add(extraLayer);
        var response = await server.Admin().PostAsJsonAsync("/api/v1/schedules", new { name, timeZone = "Europe/Berlin", layers });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (name, a, b);
    }

    [Fact]
    public async Task Who_is_on_call_at_a_time_follows_the_rotation()
    {
        var (name, a, b) = await ScheduleAsync();
        var first = await (await server.Admin().GetAsync($"/api/v1/schedules/{name}/oncall?at=2026-11-03T10:00:00Z")).JsonAsync();
        first.GetProperty("handle").GetString().ShouldBe(a);
        first.GetProperty("until").GetDateTime().ToUniversalTime().ShouldBe(new DateTime(2026, 11, 9, 8, 0, 0, DateTimeKind.Utc));
        var next = await (await server.Admin().GetAsync($"/api/v1/schedules/{name}/oncall?at=2026-11-10T10:00:00Z")).JsonAsync();
        next.GetProperty("handle").GetString().ShouldBe(b);
    }

    [Fact]
    public async Task Overrides_cover_a_span_and_overlapping_or_inverted_ones_are_refused()
    {
        var (name, a, _) = await ScheduleAsync();
        var (cover, _) = await server.PersonAsync("cov");
        var start = DateTime.UtcNow.AddDays(1);
        (await server.Admin().PostAsJsonAsync($"/api/v1/schedules/{name}/overrides", new { handle = cover, start, end = start.AddHours(8) })).StatusCode.ShouldBe(HttpStatusCode.Created);

        var during = await (await server.Admin().GetAsync($"/api/v1/schedules/{name}/oncall?at={start.AddHours(1):O}")).JsonAsync();
        during.GetProperty("handle").GetString().ShouldBe(cover);
        during.GetProperty("source").GetString().ShouldBe("override");
        await (await server.Admin().PostAsJsonAsync($"/api/v1/schedules/{name}/overrides", new { handle = a, start = start.AddHours(4), end = start.AddHours(12) })).ShouldBeProblemAsync(409);
        await (await server.Admin().PostAsJsonAsync($"/api/v1/schedules/{name}/overrides", new { handle = a, start = start.AddDays(3), end = start.AddDays(2) })).ShouldBeProblemAsync(422, "end");
        await (await server.Admin().PostAsJsonAsync($"/api/v1/schedules/{name}/overrides", new { handle = "nobody", start, end = start.AddHours(1) })).ShouldBeProblemAsync(422, "handle");
    }

    [Fact]
    public async Task Bad_schedules_are_refused_naming_each_field()
    {
        var problem = await (await server.Admin().PostAsJsonAsync("/api/v1/schedules", new
        {
            name = "bad-" + Guid.NewGuid().ToString("N")[..6], timeZone = "Mars/Olympus",
            layers = new[] { new { name = "x", rotation = "0h", handoff = "someday", members = new[] { "ghost" }, window = "09:00-09:00" } },
        })).ShouldBeProblemAsync(422);
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        fields.ShouldBe(["timeZone", "layers[0].rotation", "layers[0].handoff", "layers[0].members", "layers[0].window"], ignoreOrder: true);
        await (await server.Admin().GetAsync("/api/v1/schedules/none-such/oncall")).ShouldBeProblemAsync(404);
    }

    [Fact]
    public async Task A_schedule_with_a_gap_is_allowed_and_the_gap_is_reported()
    {
        var (a, _) = await server.PersonAsync("gp");
        var name = "gappy-" + Guid.NewGuid().ToString("N")[..6];
        (await server.Admin().PostAsJsonAsync("/api/v1/schedules", new
        {
            name, timeZone = "UTC",
            layers = new[] { new { name = "office", rotation = "daily", handoff = "2026-11-02T09:00", members = new[] { a }, window = "09:00-17:00" } },
        })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var gaps = await (await server.Admin().GetAsync($"/api/v1/schedules/{name}/gaps?days=2")).JsonAsync();
        gaps.GetArrayLength().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task The_calendar_feed_parses_as_iCalendar_with_a_token_and_at_its_secret_url()
    {
        var (name, a, b) = await ScheduleAsync();
        var withToken = await server.Admin().GetAsync($"/api/v1/schedules/{name}/ical");
        withToken.Content.Headers.ContentType!.MediaType.ShouldBe("text/calendar");
        var calendar = Calendar.Load(await withToken.Content.ReadAsStringAsync())!;
        calendar.Events.Count.ShouldBeGreaterThan(5);
        calendar.Events.Select(e => e.Summary).ShouldContain($"On call: {a} ({name})");
        calendar.Events.Select(e => e.Summary).ShouldContain($"On call: {b} ({name})");

        var url = (await (await server.Admin().GetAsync($"/api/v1/schedules/{name}")).JsonAsync()).GetProperty("calendarUrl").GetString()!;
        var anonymous = await server.Client().GetStringAsync(new Uri(url).PathAndQuery);
        Calendar.Load(anonymous)!.Events.Count.ShouldBe(calendar.Events.Count);
        (await server.Client().GetAsync("/ical/schedules/not-the-secret.ics")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var personal = Calendar.Load(await server.Admin().GetStringAsync($"/api/v1/people/{a}/ical"))!;
        personal.Events.ShouldAllBe(e => e.Summary!.Contains(a));
        var personalUrl = (await (await server.Admin().GetAsync($"/api/v1/people/{a}/ical-url")).JsonAsync()).GetProperty("url").GetString()!;
        Calendar.Load(await server.Client().GetStringAsync(new Uri(personalUrl).PathAndQuery))!.Events.Count.ShouldBe(personal.Events.Count);
    }
}
