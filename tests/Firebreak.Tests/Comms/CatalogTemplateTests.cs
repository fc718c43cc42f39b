using System.Net;
using System.Net.Http.Json;
using Firebreak.Tests.Catalog;
using Firebreak.Tests.Support;

namespace Firebreak.Tests.Comms;

/// <summary>Draft templates as code: kept in the catalog repository, linted and applied with it (a catalog server of its own).</summary>
public sealed class CatalogTemplateTests(CatalogServer server) : IClassFixture<CatalogServer>
{
    [Fact]
    public async Task A_template_in_the_catalog_repository_is_used_after_sync_and_a_broken_one_never_lands()
    {
        server.Repo.Write("comms/templates/exec.liquid", "For the board: {{ incident.id }} is {{ incident.severity }}.");
        server.Repo.Commit("exec template");
        await server.SyncAsync();
        var id = (await server.DeclareAsync(server.Admin(), "Board-level trouble", severity: 1)).GetProperty("id").GetString()!;
        var draft = await (await server.Admin().GetAsync($"/api/v1/incidents/{id}/drafts/exec")).JsonAsync();
        draft.GetProperty("text").GetString().ShouldBe($"For the board: {id} is SEV1.\n");
        draft.GetProperty("template").GetString().ShouldBe("catalog comms/templates/exec.liquid");

        server.Repo.Write("comms/templates/exec.liquid", "line one\nline two {% if incident.id %}\nnever closed\n");
        server.Repo.Write("comms/templates/investors.liquid", "Hello");
        server.Repo.Commit("broken template and an unknown audience");
        var refused = await server.SyncAsync(HttpStatusCode.UnprocessableEntity);
        var findings = refused.GetProperty("findings").EnumerateArray().Select(f => f.GetString()!).ToList();
        findings.ShouldContain(f => f.StartsWith("comms/templates/exec.liquid:", StringComparison.Ordinal) && f.Contains("does not parse"));
        findings.ShouldContain(f => f.StartsWith("comms/templates/investors.liquid:1: error", StringComparison.Ordinal));
        (await (await server.Admin().GetAsync($"/api/v1/incidents/{id}/drafts/exec")).JsonAsync()).GetProperty("text").GetString().ShouldBe($"For the board: {id} is SEV1.\n");

        File.Delete(Path.Combine(server.Repo.Path, "comms/templates/investors.liquid"));
        File.Delete(Path.Combine(server.Repo.Path, "comms/templates/exec.liquid"));
        server.Repo.Commit("back to the built-in templates");
        await server.SyncAsync();
        (await (await server.Admin().GetAsync($"/api/v1/incidents/{id}/drafts/exec")).JsonAsync()).GetProperty("template").GetString().ShouldBe("built-in exec.liquid");
    }
}
