using System.Globalization;
using Firebreak.Hosting;
using Firebreak.Incidents;
using Fluid;

namespace Firebreak.Comms;

public sealed record DraftView(string Incident, string Audience, string Text, string Template, IReadOnlyList<LintFinding> Findings);

public sealed record PostDraftRequest(string? Text = null, bool Force = false);

/// <summary>
/// First drafts of every update, written from the incident record with Liquid templates (Fluid): one per
/// audience. Firebreak ships a template for each. Templates as code: the catalog repository's
/// <c>comms/templates/&lt;audience&gt;.liquid</c> replaces it when the catalog syncs (linted first, so a broken one
/// never lands), and a file of the same name in <c>&lt;data&gt;/comms/templates</c> replaces both on this node.
/// A template that does not parse is reported with its line and column, and nothing is drafted from it.
/// </summary>
public sealed partial class Drafts(string dataDir)
{
    /// <summary>Where templates live in the catalog repository.</summary>
    public const string CatalogFolder = "comms/templates";

    private string LocalDir => Path.Combine(dataDir, "comms", "templates");
    private string FromCatalogDir => Path.Combine(dataDir, "comms", "catalog-templates");

    public static readonly string[] Audiences = ["responders", "exec", "customer", "support"];
    /// <summary>Audiences outside the company: their drafts are linted for internals and blame.</summary>
    public static bool IsCustomerFacing(string audience) => audience is "customer";

    private static readonly FluidParser Parser = new();

    public static string? Normalise(string? audience) => audience?.Trim().ToLowerInvariant() switch
    {
        "responders" or "responder" or "can" => "responders",
        "exec" or "execs" or "executive" or "executives" => "exec",
        "customer" or "customers" or "public" => "customer",
        "support" => "support",
        _ => null,
    };

    /// <summary>Where a template comes from and its text: the override file if there is one, else the built-in.</summary>
    public (string Source, string Text) TemplateFor(string audience)
    {
        if (Path.Combine(LocalDir, audience + ".liquid") is var local && File.Exists(local)) return (local, File.ReadAllText(local));
        if (Path.Combine(FromCatalogDir, audience + ".liquid") is var synced && File.Exists(synced))
            return ($"catalog {CatalogFolder}/{audience}.liquid", File.ReadAllText(synced));
        using var stream = typeof(Drafts).Assembly.GetManifestResourceStream($"Firebreak.Comms.Templates.{audience}.liquid")
            ?? throw new InvalidOperationException($"No built-in template for {audience}.");
        using var reader = new StreamReader(stream);
        return ("built-in " + audience + ".liquid", reader.ReadToEnd());
    }

    public Outcome<DraftView> Draft(IncidentView incident, string audience, DraftContext context)
    {
        var (source, text) = TemplateFor(audience);
        if (!Parser.TryParse(text, out var template, out var error))
            return Refusal.Invalid("template", $"The template {source} does not parse: {error}");
        string rendered;
        try
        {
            rendered = template.Render(Values(incident, context), NullEncoder.Default).Trim() + "\n";
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            return Refusal.Invalid("template", $"The template {source} failed while rendering: {e.Message}");
        }
        var findings = IsCustomerFacing(audience) ? CustomerLint.Check(rendered) : [];
        return new DraftView(incident.Id, audience, rendered, source, findings);
    }

    /// <summary>
    /// Posts a text to an audience: refused if empty or too long, and for customers if the lint flags it (unless
    /// forced); then recorded on the incident's timeline.
    /// </summary>
    public static async Task<Outcome<DraftView>> PostAsync(IncidentCommands commands, Identity.Actor actor, string incidentId, string audience,
        string? text, string template, bool force, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(text)) return Refusal.Invalid("text", "The text to post is empty.");
        if (text.Length > IncidentCommands.MaxText) return Refusal.Invalid("text", $"The text is longer than {IncidentCommands.MaxText} characters.");
        var findings = IsCustomerFacing(audience) ? CustomerLint.Check(text) : [];
        if (findings.Count > 0 && !force) return Refusal.Invalid("text", CustomerLint.Explain(findings) + " Edit it, or post with force.");
        var posted = new DraftView(incidentId, audience, text.Trim() + "\n", template, findings);
        var outcome = await commands.RecordAsync(actor, incidentId, TimelineEventKind.CommsPosted, $"Posted to {audience}: {text.Trim()}",
            new { audience, text = posted.Text }, "incident.comms.post", null, ct);
        return outcome.Refusal is { } refused ? refused : posted with { Incident = outcome.Value!.Id };
    }

    /// <summary>The parse error of a template text with its position, or null when it parses.</summary>
    public static string? Check(string text) => Parser.TryParse(text, out _, out var error) ? null : error;

    /// <summary>The line a Fluid parse error points at ("… at (3:15)"), or 1.</summary>
    public static int LineOf(string error) =>
        ErrorPosition().Match(error) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 1;

    /// <summary>Makes the synced catalog's templates the ones in force: those it no longer has fall back to the built-in.</summary>
    public void ReplaceCatalogTemplates(IEnumerable<(string Audience, string Text)> templates)
    {
        Directory.CreateDirectory(FromCatalogDir);
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (audience, text) in templates.Where(t => Audiences.Contains(t.Audience)))
        {
            var file = Path.Combine(FromCatalogDir, audience + ".liquid");
            File.WriteAllText(file + ".tmp", text);
            File.Move(file + ".tmp", file, overwrite: true);
            keep.Add(file);
        }
        foreach (var stale in Directory.GetFiles(FromCatalogDir, "*.liquid").Where(f => !keep.Contains(f))) File.Delete(stale);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\((\d+):\d+\)")]
    private static partial System.Text.RegularExpressions.Regex ErrorPosition();

    private static TemplateContext Values(IncidentView i, DraftContext c)
    {
        var values = new TemplateContext();
        var commander = i.Roles.FirstOrDefault(r => r.Role == "commander");
        var comms = i.Roles.FirstOrDefault(r => r.Role == "comms");
        var services = i.Services.Select(s => s.Name).ToList();
        values.SetValue("incident", new Dictionary<string, object?>
        {
            ["id"] = i.Id, ["title"] = i.Title, ["severity"] = i.Severity, ["severity_meaning"] = i.SeverityMeaning, ["status"] = i.Status,
            ["summary"] = i.Summary, ["age"] = Durations.Humanize((i.Times.ResolvedAt ?? c.Now) - i.Times.StartedAt),
            ["started_at"] = i.Times.StartedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
            ["services"] = services, ["commander"] = commander?.Name, ["comms_lead"] = comms?.Name,
        });
        values.SetValue("update", i.LatestUpdate is { } u
            ? new Dictionary<string, object?> { ["condition"] = u.Condition, ["action"] = u.Action, ["need"] = u.Need, ["author"] = u.Author }
            : null);
        values.SetValue("facts", i.Facts.Select(f => f.Text).ToList());
        values.SetValue("hypotheses", i.Hypotheses.Select(f => f.Text).ToList());
        values.SetValue("decisions", i.Decisions.Select(f => f.Text).ToList());
        values.SetValue("workstreams", i.Workstreams.Select(w => new Dictionary<string, object?> { ["title"] = w.Title, ["lead"] = w.Lead, ["done"] = w.Done }).ToList());
        var due = i.NextUpdateDueAt;
        values.SetValue("next_update", new Dictionary<string, object?>
        {
            ["time"] = due?.ToString("HH:mm 'UTC'", CultureInfo.InvariantCulture),
            ["overdue"] = due < c.Now,
            ["text"] = due is { } d ? (d >= c.Now ? $"in {Durations.Humanize(d - c.Now)} ({d.ToString("HH:mm", CultureInfo.InvariantCulture)} UTC)" : $"overdue since {d.ToString("HH:mm", CultureInfo.InvariantCulture)} UTC") : "when there is news",
        });
        values.SetValue("public", new Dictionary<string, object?>
        {
            ["title"] = c.PublicTitle ?? "Service disruption",
            ["affected"] = c.PublicComponents.Count > 0 ? string.Join(", ", c.PublicComponents) : "some of our services",
        });
        values.SetValue("link", c.Link);
        return values;
    }
}

/// <summary>What a draft can use beyond the incident: its public face (if published), the time, its link.</summary>
public sealed record DraftContext(DateTime Now, string Link, string? PublicTitle, IReadOnlyList<string> PublicComponents);
