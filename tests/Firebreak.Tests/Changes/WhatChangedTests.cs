using Firebreak.Changes;

namespace Firebreak.Tests.Changes;

public class WhatChangedTests
{
    private static readonly DateTime Impact = new(2026, 11, 24, 14, 0, 0, DateTimeKind.Utc);
    private static int _id;

    private static ChangeView Change(string service, string kind, TimeSpan before, string? version = null) =>
        new(++_id, kind, $"{kind} {service} {version}", service, version, null, "dev", null, Impact - before, "api");

    [Fact]
    public void A_recent_deploy_of_the_failing_service_is_the_rollback_candidate_with_the_version_before_it()
    {
        var history = new List<ChangeView>
        {
            Change("checkout", "deploy", TimeSpan.FromDays(3), "v41"),
            Change("checkout", "deploy", TimeSpan.FromHours(20), "v42"),
            Change("checkout", "deploy", TimeSpan.FromMinutes(12), "v43"),
            Change("payments", "deploy", TimeSpan.FromMinutes(5), "p7"),
            Change("checkout", "config", TimeSpan.FromHours(6)),
            Change("db", "migration", TimeSpan.FromMinutes(30)),
            Change("search", "deploy", TimeSpan.FromMinutes(1), "s1"),
        };
        var distances = new Dictionary<string, int> { ["checkout"] = 0, ["payments"] = 1, ["db"] = 2 };

        var ranked = WhatChanged.Rank(Impact, distances, history);

        ranked.ShouldNotContain(r => r.Change.Service == "search", "unrelated services are left out");
        ranked.ShouldNotContain(r => r.Change.Version == "v41", "older than the 24-hour window");
        ranked[0].Change.Version.ShouldBe("v43");
        ranked[0].RollbackCandidate.ShouldBeTrue();
        ranked[0].RollBackTo.ShouldBe("v42");
        ranked.Count(r => r.RollbackCandidate).ShouldBe(1);
        ranked.Single(r => r.Change.Version == "p7").Relation.ShouldBe("direct dependency");
        ranked.Single(r => r.Change.Version == "p7").RollbackCandidate.ShouldBeFalse("only the failing service's own deploy is rolled back first");
        ranked.IndexOf(ranked.Single(r => r.Change.Kind == "config")).ShouldBeGreaterThan(ranked.IndexOf(ranked.Single(r => r.Change.Kind == "migration")));
    }

    [Fact]
    public void A_deploy_long_before_impact_is_listed_but_not_a_rollback_candidate()
    {
        var ranked = WhatChanged.Rank(Impact, new Dictionary<string, int> { ["checkout"] = 0 }, [Change("checkout", "deploy", TimeSpan.FromHours(5), "v9")]);
        ranked.Single().RollbackCandidate.ShouldBeFalse();
    }

    [Fact]
    public void Changes_after_impact_began_are_left_out_beyond_a_few_minutes_of_slack()
    {
        var ranked = WhatChanged.Rank(Impact, new Dictionary<string, int> { ["checkout"] = 0 },
            [Change("checkout", "flag", -TimeSpan.FromMinutes(2)), Change("checkout", "flag", -TimeSpan.FromMinutes(30))]);
        ranked.Single().BeforeImpact.ShouldBe(-TimeSpan.FromMinutes(2));
    }
}
