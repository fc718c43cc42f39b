using System.Net.Http.Json;
using Firebreak.Postmortems;
using Firebreak.Tests.Support;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Firebreak.Tests.Postmortems;

public class PostmortemDraftTests(FirebreakServer server) : IClassFixture<FirebreakServer>
{
    [Fact]
    public async Task The_draft_has_the_ten_sections_in_order_with_timeline_and_action_items_from_the_record()
    {
        var (owner, _) = await server.PersonAsync("own");
        using var admin = server.Admin();
        var id = (await server.DeclareAsync(admin, "Orders replica lag")).GetProperty("id").GetString();
        await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/log", new { text = "Replica-2 lag reached 11 minutes", kind = "fact" });
        await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/log", new { text = "Cancelled the analytics query", kind = "action" });
        await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/status", new { status = "resolved" });
        await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/actions", new { title = "Alert on replica lag above 60s", owner, due = "2026-12-15" });

        var response = await admin.GetAsync($"/api/v1/incidents/{id}/postmortem");
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/markdown");
        var markdown = await response.Content.ReadAsStringAsync();
        var document = Markdown.Parse(markdown, new MarkdownPipelineBuilder().UsePipeTables().Build());

        var sections = document.Descendants<HeadingBlock>().Where(h => h.Level == 2).Select(Text).ToList();
        sections.ShouldBe(PostmortemDraft.Sections);
        Text(document.Descendants<HeadingBlock>().First(h => h.Level == 1)).ShouldBe($"Postmortem: {id} — Orders replica lag");
        markdown.ShouldContain("| Replica-2 lag reached 11 minutes |");
        markdown.ShouldContain("- Resolved: ");
        markdown.ShouldContain($"| Alert on replica lag above 60s | @{owner} | 2026-12-15 | open |");
        markdown.ShouldContain("Cancelled the analytics query");
        markdown.ShouldContain(PostmortemDraft.Placeholder, customMessage: "the parts only people can write are marked");
    }

    [Fact]
    public async Task Record_text_cannot_inject_html_or_break_the_tables()
    {
        using var admin = server.Admin();
        var id = (await server.DeclareAsync(admin, "<script>alert(1)</script> down")).GetProperty("id").GetString();
        await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/log", new { text = "a | b\n## Fake heading <img src=x onerror=alert(1)>" });

        var markdown = await admin.GetStringAsync($"/api/v1/incidents/{id}/postmortem");

        markdown.ShouldNotContain("<script>");
        markdown.ShouldNotContain("<img");
        var html = Markdown.ToHtml(markdown, new MarkdownPipelineBuilder().UsePipeTables().Build());
        html.ShouldNotContain("<script>");
        html.ShouldNotContain("<img");
        Markdown.Parse(markdown).Descendants<HeadingBlock>().Count(h => h.Level == 2).ShouldBe(PostmortemDraft.Sections.Length);
    }

    private static string Text(HeadingBlock heading) =>
        string.Concat(heading.Inline!.Descendants<LiteralInline>().Select(l => l.Content.ToString()));
}
