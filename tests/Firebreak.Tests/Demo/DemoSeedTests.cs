using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Firebreak.Tests.Support;

namespace Firebreak.Tests.Demo;

public class DemoSeedTests(DemoServer server) : IClassFixture<DemoServer>
{
    [Fact]
    public async Task The_demo_has_teams_people_services_and_past_incidents_with_full_timelines()
    {
        using var admin = server.Admin();
        (await (await admin.GetAsync("/api/v1/teams")).JsonAsync()).GetArrayLength().ShouldBeGreaterThanOrEqualTo(5);
        (await (await admin.GetAsync("/api/v1/people")).JsonAsync()).EnumerateArray()
            .ShouldContain(p => p.GetProperty("handle").GetString() == "jtsimmons");
        (await (await admin.GetAsync("/api/v1/services")).JsonAsync()).EnumerateArray()
            .ShouldContain(s => s.GetProperty("id").GetString() == "SVC-CHECKOUT");

        var incidents = await (await admin.GetAsync("/api/v1/incidents")).JsonAsync();
        incidents.EnumerateArray().Select(i => i.GetProperty("status").GetString()).ShouldContain("closed");
        incidents.EnumerateArray().Select(i => i.GetProperty("status").GetString()).ShouldContain("investigating");

        var first = await (await admin.GetAsync("/api/v1/incidents/INC-1")).JsonAsync();
        first.GetProperty("timeline").GetArrayLength().ShouldBeGreaterThan(10);
        first.GetProperty("times").GetProperty("declaredAt").GetDateTime().ShouldBeLessThan(DateTime.UtcNow.AddDays(-7));
        first.GetProperty("actionItems").GetArrayLength().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Seeding_twice_adds_nothing()
    {
        using var admin = server.Admin();
        var before = (await (await admin.GetAsync("/api/v1/incidents")).JsonAsync()).GetArrayLength();
        await using (var scope = server.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<Firebreak.Demo.DemoSeed>().SeedAsync();
        (await (await admin.GetAsync("/api/v1/incidents")).JsonAsync()).GetArrayLength().ShouldBe(before);
    }
}

public class DemoPagingTests(Firebreak.Tests.Support.DemoServer server) : IClassFixture<Firebreak.Tests.Support.DemoServer>
{
    [Fact]
    public async Task A_demo_page_is_delivered_to_the_demo_inbox_through_the_example_escalation_policy()
    {
        using var admin = server.Admin();
        (await admin.PostAsJsonAsync("/api/v1/pages", new { policy = "checkout-critical", summary = "Demo: checkout 5xx" })).EnsureSuccessStatusCode();

        var inbox = await Firebreak.Tests.Support.FirebreakServer.EventuallyAsync(async () => await (await admin.GetAsync("/api/v1/demo/inbox")).JsonAsync(),
            m => m.GetArrayLength() > 0, "a message in the demo inbox", seconds: 20);
        var first = inbox[0];
        first.GetProperty("body").GetProperty("page").GetProperty("summary").GetString().ShouldBe("Demo: checkout 5xx");
        var onCall = (await (await admin.GetAsync("/api/v1/schedules/api-primary/oncall")).JsonAsync()).GetProperty("handle").GetString();
        first.GetProperty("to").GetString().ShouldBe(onCall);
    }
}
