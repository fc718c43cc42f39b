using Fluid;

namespace Firebreak.OnCall;

/// <summary>
/// Liquid templates (Fluid) for generic webhook bodies, so a page can be posted in whatever shape the receiver
/// wants. Variables: <c>page</c> (id, summary, policy, step, round), <c>incident</c>, <c>to</c>, <c>acknowledge_url</c>,
/// <c>escalate_url</c>, <c>idempotency_key</c>, and <c>context</c> (service, try_first, team, on_call).
/// </summary>
public static class WebhookTemplates
{
    private static readonly FluidParser Parser = new();

    /// <summary>The parse error (with its line and column), or null when the template is valid.</summary>
    public static string? Check(string template) => Parser.TryParse(template, out _, out var error) ? null : error;

    public static string Render(string template, Page page, Notification n, Catalog.ContextView? context, string ack, string escalate)
    {
        if (!Parser.TryParse(template, out var parsed, out var error)) throw new InvalidOperationException("template: " + error);
        var values = new TemplateContext();
        values.SetValue("page", new Dictionary<string, object?>
        {
            ["id"] = page.Id, ["summary"] = page.Summary, ["policy"] = page.Policy, ["step"] = page.Step + 1, ["round"] = page.Round + 1,
        });
        values.SetValue("incident", page.IncidentNumber is { } i ? Incidents.Incident.FormatId(i) : null);
        values.SetValue("to", n.Handle);
        values.SetValue("acknowledge_url", ack);
        values.SetValue("escalate_url", escalate);
        values.SetValue("idempotency_key", n.IdempotencyKey);
        values.SetValue("context", new Dictionary<string, object?>
        {
            ["service"] = context?.Service, ["try_first"] = context?.TryFirst, ["team"] = context?.Who.Team, ["on_call"] = context?.Who.OnCall,
        });
        return parsed.Render(values);
    }
}
