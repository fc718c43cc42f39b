using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Firebreak.Web;

/// <summary>
/// Markdown from runbooks, postmortems and people rendered inert: raw HTML is escaped, and links or images
/// that are not http(s), mailto or relative lose their target.
/// </summary>
public static class SafeMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseTaskLists()
        .UseAutoLinks()
        .Build();

    public static string ToHtml(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (!IsSafe(link.Url)) link.Url = "#";
        }
        foreach (var link in document.Descendants<AutolinkInline>())
        {
            if (!IsSafe(link.Url)) link.Url = "#";
        }
        return document.ToHtml(Pipeline);
    }

    private static bool IsSafe(string? url)
    {
        if (string.IsNullOrEmpty(url)) return true;
        if (Display.SafeHref(url) is not null) return true;
        // Relative links (#anchor, ./file.md, /path) have no scheme.
        return !url.Contains(':', StringComparison.Ordinal);
    }
}
