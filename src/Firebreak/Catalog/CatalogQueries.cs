using System.Text;
using Firebreak.Storage;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.Catalog;

public static class CatalogQueries
{
    /// <summary>Service short name → the short names it depends on.</summary>
    public static async Task<Dictionary<string, IReadOnlyList<string>>> DependencyGraphAsync(FirebreakDb db, CancellationToken ct)
    {
        var services = await db.Services.AsNoTracking().Include(s => s.DependsOn).ThenInclude(d => d.DependsOnService).ToListAsync(ct);
        return services.ToDictionary(s => s.ShortName, s => (IReadOnlyList<string>)[.. s.DependsOn.Select(d => d.DependsOnService!.ShortName)], StringComparer.Ordinal);
    }
}

/// <summary>Pulls the first actionable line out of a runbook or alert plan, for the five-second view.</summary>
public static class MarkdownSections
{
    /// <summary>The first list item (as plain text) under the first heading that contains one of the keywords.</summary>
    public static string? FirstItemUnder(string? markdown, params string[] keywords)
    {
        if (string.IsNullOrWhiteSpace(markdown)) return null;
        var document = Markdown.Parse(markdown);
        var inSection = false;
        foreach (var block in document)
        {
            if (block is HeadingBlock heading)
            {
                var title = Text(heading.Inline).ToLowerInvariant();
                inSection = keywords.Any(k => title.Contains(k, StringComparison.Ordinal));
                continue;
            }
            if (inSection && block is ListBlock list && list.FirstOrDefault() is ListItemBlock item)
                return string.Join(' ', item.Descendants<ParagraphBlock>().Select(p => Text(p.Inline))).Trim();
            if (inSection && block is ParagraphBlock paragraph) return Text(paragraph.Inline).Trim();
        }
        return null;
    }

    private static string Text(ContainerInline? inline)
    {
        if (inline is null) return "";
        var text = new StringBuilder();
        foreach (var node in inline.Descendants<Inline>())
        {
            switch (node)
            {
                case LiteralInline literal: text.Append(literal.Content.ToString()); break;
                case CodeInline code: text.Append(code.Content); break;
                case LineBreakInline: text.Append(' '); break;
            }
        }
        return text.ToString();
    }
}
