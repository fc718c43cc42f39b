using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Firebreak.Tests.Support;

namespace Firebreak.Tests.Catalog;

/// <summary>A server whose catalog is a real git repository in a temporary folder.</summary>
public sealed class CatalogServer : FirebreakServer
{
    public CatalogRepo Repo { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Firebreak:Catalog:Repo"] = Repo.Path,
        ["Firebreak:Catalog:SyncInterval"] = "01:00:00",
    };

    public async Task<JsonElement> SyncAsync(HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await Admin().PostAsync("/api/v1/catalog/sync", null);
        response.StatusCode.ShouldBe(expected, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }
}

[CollectionDefinition("catalog", DisableParallelization = true)]
public sealed class CatalogCollection : ICollectionFixture<CatalogServer>;

[Collection("catalog")]
public class CatalogSyncTests(CatalogServer server)
{
    [Fact]
    public async Task Sync_applies_the_catalog_at_a_commit_and_records_which()
    {
        var result = await server.SyncAsync();

        result.GetProperty("applied").GetBoolean().ShouldBeTrue();
        var status = await (await server.Admin().GetAsync("/api/v1/catalog")).JsonAsync();
        status.GetProperty("version").GetString().ShouldBe(result.GetProperty("version").GetString());
        status.GetProperty("version").GetString()!.Length.ShouldBe(40);
        var shop = await (await server.Admin().GetAsync("/api/v1/services/SVC-SHOP/detail")).JsonAsync();
        shop.GetProperty("team").GetString().ShouldBe("WEB");
        shop.GetProperty("tier").GetInt32().ShouldBe(1);
        shop.GetProperty("dependsOn").EnumerateArray().Select(d => d.GetString()).ShouldBe(["cart", "db"], ignoreOrder: true);
        shop.GetProperty("managedBy").GetString().ShouldBe("git");
        (await server.Admin().GetStringAsync("/api/v1/services/shop/runbook")).ShouldContain("## Known fixes");
        var team = (await (await server.Admin().GetAsync("/api/v1/teams")).JsonAsync()).EnumerateArray().Single(t => t.GetProperty("shortName").GetString() == "WEB");
        team.GetProperty("members").EnumerateArray().Select(m => m.GetString()).ShouldBe(["ana"]);
    }

    [Fact]
    public async Task A_bad_commit_is_refused_and_the_last_good_catalog_stays()
    {
        await server.SyncAsync();
        var good = (await (await server.Admin().GetAsync("/api/v1/catalog")).JsonAsync()).GetProperty("version").GetString();

        server.Repo.Service("cart", "WEB", 2, ["shop"]);   // shop → cart → shop
        server.Repo.Write("teams/WEB.yaml", "short_name: WEB\nname: Renamed web team\nmembers: [ana, bo]\n");
        server.Repo.Commit("a cycle and a rename");
        var refused = await server.SyncAsync(HttpStatusCode.UnprocessableEntity);

        refused.GetProperty("applied").GetBoolean().ShouldBeFalse();
        refused.GetProperty("findings").EnumerateArray().Select(f => f.GetString()).ShouldContain(f => f!.Contains("dependency cycle") && f.StartsWith("services/"));
        var status = await (await server.Admin().GetAsync("/api/v1/catalog")).JsonAsync();
        status.GetProperty("version").GetString().ShouldBe(good);
        status.GetProperty("lastAttemptApplied").GetBoolean().ShouldBeFalse();
        var teams = await (await server.Admin().GetAsync("/api/v1/teams")).JsonAsync();
        teams.EnumerateArray().Single(t => t.GetProperty("shortName").GetString() == "WEB").GetProperty("name").GetString().ShouldBe("Web team");

        server.Repo.Service("cart", "WEB", 2, ["db"]);
        server.Repo.Commit("fix the cycle");
        (await server.SyncAsync()).GetProperty("applied").GetBoolean().ShouldBeTrue();
        teams = await (await server.Admin().GetAsync("/api/v1/teams")).JsonAsync();
        teams.EnumerateArray().Single(t => t.GetProperty("shortName").GetString() == "WEB").GetProperty("name").GetString().ShouldBe("Renamed web team");
    }

    [Fact]
    public async Task Blast_radius_lists_what_depends_on_a_failing_service_and_the_tier_1_ones()
    {
        await server.SyncAsync();
        var blast = await (await server.Admin().GetAsync("/api/v1/services/db/blast-radius")).JsonAsync();
        blast.GetProperty("downstream").EnumerateArray().Select(d => d.GetProperty("service").GetString()).ShouldBe(["cart", "reports", "shop"], ignoreOrder: true);
        blast.GetProperty("tier1").EnumerateArray().Select(d => d.GetString()).ShouldBe(["shop"]);
        await (await server.Admin().GetAsync("/api/v1/services/nope/blast-radius")).ShouldBeProblemAsync(404);
    }

    [Fact]
    public async Task Context_names_who_to_call_what_to_try_and_where_to_look()
    {
        await server.SyncAsync();
        using var admin = server.Admin();
        var id = (await server.DeclareAsync(admin, "Cart errors", services: ["SVC-CART"])).GetProperty("id").GetString();

        var context = await (await admin.GetAsync($"/api/v1/incidents/{id}/context")).JsonAsync();

        context.GetProperty("service").GetString().ShouldBe("SVC-CART");
        context.GetProperty("who").GetProperty("team").GetString().ShouldBe("WEB");
        context.GetProperty("who").GetProperty("channel").GetString().ShouldBe("#web");
        context.GetProperty("tryFirst").GetString().ShouldBe("Restart cart pods");
        context.GetProperty("verify").GetProperty("dashboard").GetString().ShouldBe("https://grafana/d/cart");
        context.GetProperty("blastRadius").GetProperty("tier1").EnumerateArray().Select(x => x.GetString()).ShouldBe(["shop"]);
        context.GetProperty("catalogVersion").GetString()!.Length.ShouldBe(40);
    }

    [Fact]
    public async Task Changes_are_recorded_validated_and_ranked_for_an_incident()
    {
        await server.SyncAsync();
        using var admin = server.Admin();
        var now = DateTime.UtcNow;
        (await admin.PostAsJsonAsync("/api/v1/changes", new[]
        {
            new { service = "cart", kind = "deploy", version = (string?)"c-17", at = now.AddDays(-1).AddHours(-2) },
            new { service = "cart", kind = "deploy", version = (string?)"c-18", at = now.AddMinutes(-20) },
            new { service = "SVC-DB", kind = "migration", version = (string?)null, at = now.AddMinutes(-40) },
        })).StatusCode.ShouldBe(HttpStatusCode.Created);
        await (await admin.PostAsJsonAsync("/api/v1/changes", new { service = "ghost", kind = "deploy" })).ShouldBeProblemAsync(422, "service");
        await (await admin.PostAsJsonAsync("/api/v1/changes", new { service = "cart", kind = "yolo" })).ShouldBeProblemAsync(422, "kind");
        var id = (await server.DeclareAsync(admin, "Cart slow", services: ["cart"])).GetProperty("id").GetString();

        var ranked = await (await admin.GetAsync($"/api/v1/incidents/{id}/changes")).JsonAsync();

        var first = ranked[0];
        first.GetProperty("change").GetProperty("version").GetString().ShouldBe("c-18");
        first.GetProperty("rollbackCandidate").GetBoolean().ShouldBeTrue();
        first.GetProperty("rollBackTo").GetString().ShouldBe("c-17");
        ranked.EnumerateArray().ShouldContain(r => r.GetProperty("change").GetProperty("kind").GetString() == "migration" && r.GetProperty("relation").GetString() == "direct dependency");
        var landing = await (await admin.GetAsync($"/api/v1/incidents/{id}")).JsonAsync();
        landing.GetProperty("topChanges")[0].GetProperty("change").GetProperty("version").GetString().ShouldBe("c-18");
    }
}

[Collection("catalog")]
public class ScheduleAsCodeTests(CatalogServer server)
{
    [Fact]
    public async Task A_schedule_declared_in_the_catalog_is_synced_and_a_broken_one_is_refused_by_lint()
    {
        server.Repo.Write("schedules/web-primary.yaml",
            "name: web-primary\ntime_zone: Europe/Berlin\nlayers:\n  - name: weekly\n    rotation: weekly\n    handoff: 2026-11-02T09:00\n    members: [ana, bo]\n");
        server.Repo.Commit("web on-call");
        (await server.SyncAsync()).GetProperty("applied").GetBoolean().ShouldBeTrue();

        var schedule = await (await server.Admin().GetAsync("/api/v1/schedules/web-primary")).JsonAsync();
        schedule.GetProperty("managedBy").GetString().ShouldBe("git");
        (await (await server.Admin().GetAsync("/api/v1/schedules/web-primary/oncall?at=2026-11-03T10:00:00Z")).JsonAsync())
            .GetProperty("handle").GetString().ShouldBe("ana");

        server.Repo.Write("schedules/web-primary.yaml",
            "name: web-primary\ntime_zone: Europe/Atlantis\nlayers:\n  - name: weekly\n    rotation: 0h\n    handoff: 2026-11-02T09:00\n    members: [ana]\n");
        server.Repo.Commit("break the schedule");
        var refused = await server.SyncAsync(HttpStatusCode.UnprocessableEntity);
        refused.GetProperty("findings").EnumerateArray().Select(f => f.GetString()).ShouldContain(f => f!.StartsWith("schedules/web-primary.yaml:1: error: timeZone"));

        server.Repo.Write("schedules/web-primary.yaml",
            "name: web-primary\ntime_zone: Europe/Berlin\nlayers:\n  - name: weekly\n    rotation: weekly\n    handoff: 2026-11-02T09:00\n    members: [ana, bo]\n");
        server.Repo.Commit("fix the schedule");
        await server.SyncAsync();

        server.Repo.Write("escalation-policies/web-critical.yaml",
            "name: web-critical\nrepeat: 1\nsteps:\n  - targets: [\"schedule:web-primary\"]\n    delay: 5m\n  - targets: [\"team:DATA\"]\n    delay: 10m\n");
        server.Repo.Commit("web escalation");
        await server.SyncAsync();
        var policies = await (await server.Admin().GetAsync("/api/v1/escalation-policies")).JsonAsync();
        var policy = policies.EnumerateArray().Single(p => p.GetProperty("name").GetString() == "web-critical");
        policy.GetProperty("managedBy").GetString().ShouldBe("git");
        policy.GetProperty("steps").GetArrayLength().ShouldBe(2);

        server.Repo.Write("escalation-policies/web-critical.yaml", "name: web-critical\nsteps:\n  - targets: [\"schedule:nowhere\"]\n    delay: 5m\n");
        server.Repo.Commit("a policy paging nobody");
        (await server.SyncAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("findings").EnumerateArray()
            .ShouldContain(f => f.GetString()!.Contains("unknown target 'schedule:nowhere'"));
        server.Repo.Write("escalation-policies/web-critical.yaml",
            "name: web-critical\nrepeat: 1\nsteps:\n  - targets: [\"schedule:web-primary\"]\n    delay: 5m\n");
        server.Repo.Commit("fix the policy");
        await server.SyncAsync();
    }
}
