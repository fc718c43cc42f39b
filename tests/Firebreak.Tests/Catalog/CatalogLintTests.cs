using Firebreak.Catalog;

namespace Firebreak.Tests.Catalog;

public class CatalogLintTests
{
    private static readonly LintOptions Today = new(new DateOnly(2026, 11, 24), TimeSpan.FromDays(180));

    private static Dictionary<string, string> Good() => new()
    {
        ["people.yaml"] = "people:\n  - { handle: ana, name: Ana }\n",
        ["teams/WEB.yaml"] = "short_name: WEB\nname: Web\nmembers: [ana]\n",
        ["services/shop/service.yaml"] = "id: SVC-SHOP\nname: Shop\nowner: WEB\ntier: 2\ndepends_on: []\nlast_reviewed: 2026-11-01\n",
    };

    private static List<LintFinding> Lint(Dictionary<string, string> files) => CatalogLint.Check(CatalogReader.Read(files, "test"), Today);

    [Fact]
    public void The_example_catalog_shipped_with_firebreak_is_clean()
    {
        var folder = Firebreak.Demo.DemoSeed.FindExampleCatalog();
        folder.ShouldNotBeNull();
        var findings = CatalogLint.Check(CatalogReader.Read(CatalogSource.FromFolder(folder).Files, "example"), Today);
        findings.ShouldBeEmpty(string.Join("\n", findings));
    }

    [Fact]
    public void A_clean_catalog_has_no_findings() => Lint(Good()).ShouldBeEmpty();

    [Fact]
    public void Missing_or_unknown_owners_and_dependencies_are_errors_with_their_line()
    {
        var files = Good();
        files["services/cart/service.yaml"] = "id: SVC-CART\nname: Cart\ntier: 2\ndepends_on: [shop, ghost]\n";
        files["services/shop/service.yaml"] = "id: SVC-SHOP\nname: Shop\n\nowner: NOBODY\ntier: 2\n";

        var findings = Lint(files);

        findings.ShouldContain(f => f.ToString() == "services/cart/service.yaml:1: error: no owner: every service needs an owning team");
        findings.ShouldContain(f => f.ToString() == "services/cart/service.yaml:4: error: depends on unknown service 'ghost'");
        findings.ShouldContain(f => f.ToString() == "services/shop/service.yaml:4: error: owner 'NOBODY' is not a team in teams/");
    }

    [Fact]
    public void A_dependency_cycle_is_an_error_naming_the_cycle()
    {
        var files = Good();
        files["services/a/service.yaml"] = "id: SVC-A\nowner: WEB\ntier: 3\ndepends_on: [b]\nlast_reviewed: 2026-11-01\n";
        files["services/b/service.yaml"] = "id: SVC-B\nowner: WEB\ntier: 3\ndepends_on: [c]\nlast_reviewed: 2026-11-01\n";
        files["services/c/service.yaml"] = "id: SVC-C\nowner: WEB\ntier: 3\ndepends_on: [a]\nlast_reviewed: 2026-11-01\n";
        Lint(files).Single(f => f.Message.StartsWith("dependency cycle")).ToString()
            .ShouldBe("services/a/service.yaml:4: error: dependency cycle: a → b → c → a");
    }

    [Fact]
    public void A_tier_1_service_needs_a_runbook_with_the_four_sections()
    {
        var files = Good();
        files["services/shop/service.yaml"] = "id: SVC-SHOP\nowner: WEB\ntier: 1\nlast_reviewed: 2026-11-01\n";
        Lint(files).ShouldContain(f => f.Message == "tier-1 service without a runbook.md");

        files["services/shop/runbook.md"] = "# Shop\n\n## Symptoms\n- slow\n\n## Known fixes\n- restart\n";
        var messages = Lint(files).Select(f => f.ToString()).ToList();
        messages.ShouldContain("services/shop/runbook.md:1: error: runbook has no 'what to check' section");
        messages.ShouldContain("services/shop/runbook.md:1: error: runbook has no 'escalation' section");
        messages.ShouldNotContain(m => m.Contains("how to tell"));
    }

    [Fact]
    public void Broken_relative_links_are_reported_with_their_line()
    {
        var files = Good();
        files["alert-plans/Down.md"] = "# Down\n\nSee [the runbook](../services/shop/runbook.md) and [the shop](../services/shop/service.yaml).\n";
        Lint(files).Single().ToString().ShouldBe("alert-plans/Down.md:3: error: broken relative link '../services/shop/runbook.md'");
    }

    [Fact]
    public void A_stale_review_is_a_warning_because_stale_docs_are_unsafe()
    {
        var files = Good();
        files["services/shop/service.yaml"] = "id: SVC-SHOP\nowner: WEB\ntier: 2\nlast_reviewed: 2025-01-10\n";
        var finding = Lint(files).Single();
        finding.Severity.ShouldBe(LintFinding.Warning);
        finding.Line.ShouldBe(4);
        finding.Message.ShouldContain("stale");
    }

    [Fact]
    public void Malformed_yaml_is_reported_with_file_and_line()
    {
        var files = Good();
        files["teams/OPS.yaml"] = "short_name: OPS\nname: Ops\nmembers: [ana\nchannel: x\n";
        var finding = Lint(files).Single(f => f.File == "teams/OPS.yaml");
        finding.Severity.ShouldBe(LintFinding.Error);
        finding.Message.ShouldStartWith("malformed YAML");
        finding.Line.ShouldBeGreaterThan(1);
    }

    [Fact]
    public void Downstream_services_are_found_nearest_first_and_upstream_stops_at_its_depth()
    {
        var graph = new Dictionary<string, IReadOnlyList<string>>
        {
            ["shop"] = ["cart", "db"], ["cart"] = ["db"], ["db"] = [], ["reports"] = ["db"], ["mobile"] = ["shop"],
        };
        CatalogGraph.Downstream(graph, "db").ShouldBe([("cart", 1), ("reports", 1), ("shop", 1), ("mobile", 2)]);
        CatalogGraph.Upstream(graph, "mobile").ShouldBe([("shop", 1), ("cart", 2), ("db", 2)]);
        CatalogGraph.Cycles(graph).ShouldBeEmpty();
    }

    [Fact]
    public void The_first_step_is_read_from_a_runbook_section() =>
        MarkdownSections.FirstItemUnder("# X\n\n## What to check\n1. the `pool` metric\n2. other\n\n## Known fixes\n- Roll back\n", "known fixes")
            .ShouldBe("Roll back");
}
