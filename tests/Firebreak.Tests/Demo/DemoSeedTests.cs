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
