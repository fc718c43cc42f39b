using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Firebreak.Hosting;
using Firebreak.Identity;
using Firebreak.Storage;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.OnCall;

public sealed record StepSpec(IReadOnlyList<string>? Targets, string? Delay, string? Window = null, string? TimeZone = null);

public sealed record PolicySpec(string? Name, IReadOnlyList<StepSpec>? Steps, int Repeat = 0, string? Description = null);

public sealed record PolicyView(string Name, string? Description, IReadOnlyList<object> Steps, int Repeat, string ManagedBy);

public sealed record ContactMethodSpec(string? Kind, string? Address, string? Delay = null, string? Template = null);

public sealed record ContactMethodView(int Id, string Kind, string Address, string Delay);

public sealed record TriggerPageRequest(string? Policy, string? Summary, string? Incident = null);

public sealed record PageView(long Id, string Policy, string Summary, string Status, int Step, int Round, string? Incident, DateTime CreatedAt,
    DateTime? AcknowledgedAt, string? AcknowledgedBy, DateTime? NextStepAt, IReadOnlyList<PageEventView> Events, IReadOnlyList<NotificationView> Notifications);

public sealed record PageEventView(DateTime At, string Kind, string Text);

public sealed record NotificationView(string To, string Kind, string Status, int Attempts, DateTime? SentAt, string? LastError);

public static class PagingEndpoints
{
    public static readonly string[] ContactKinds = ["webhook", "slack", "teams", "email"];

    public static IEndpointRouteBuilder MapPaging(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Paging");
        api.MapGet("/escalation-policies", async (FirebreakDb db, CancellationToken ct) =>
            TypedResults.Ok((await db.Set<EscalationPolicy>().AsNoTracking().OrderBy(p => p.Name).ToListAsync(ct)).Select(ToView).ToList()));
        api.MapPost("/escalation-policies", CreatePolicy).WithSummary("Ordered steps: targets (schedule:, person:, team:) and the wait before the next step");
        api.MapGet("/people/{handle}/contact-methods", ListMethods);
        api.MapPost("/people/{handle}/contact-methods", AddMethod).WithSummary("How to reach someone: webhook, slack or teams URL, after an optional delay");
        api.MapPost("/pages", Trigger).WithSummary("Page through an escalation policy");
        api.MapGet("/pages", ListPages).WithSummary("Recent pages, newest first");
        api.MapGet("/pages/{id:long}", GetPage);
        api.MapPost("/pages/{id:long}/ack", (long id, ClaimsPrincipal user, PageEngine engine, FirebreakDb db, CancellationToken ct) => Act(id, "ack", Actor.From(user).Name, engine, db, ct));
        api.MapPost("/pages/{id:long}/resolve", (long id, ClaimsPrincipal user, PageEngine engine, FirebreakDb db, CancellationToken ct) => Act(id, "resolve", Actor.From(user).Name, engine, db, ct));
        api.MapPost("/pages/{id:long}/escalate", (long id, ClaimsPrincipal user, PageEngine engine, FirebreakDb db, CancellationToken ct) => Act(id, "escalate", Actor.From(user).Name, engine, db, ct));
        // The signed links in every notification: no sign-in, one page, one action, expiring.
        app.MapGet("/pages/{id:long}/{action}", Link).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> CreatePolicy(PolicySpec body, ClaimsPrincipal user, FirebreakDb db, TimeProvider clock, CancellationToken ct)
    {
        var (policy, field, error) = await ValidateAsync(db, body, ct);
        if (policy is null) return Refusal.Invalid(field!, error!).ToResult();
        if (await db.Set<EscalationPolicy>().AnyAsync(p => p.Name == policy.Name, ct)) return Refusal.Conflict($"A policy named '{policy.Name}' exists already.").ToResult();
        var now = clock.GetUtcNow().UtcDateTime;
        policy.CreatedAt = now;
        db.Set<EscalationPolicy>().Add(policy);
        db.Audit(Actor.From(user), "escalation-policy.create", policy.Name, now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/escalation-policies/{policy.Name}", ToView(policy));
    }

    /// <summary>Checks a policy; also used for policies declared in the catalog repository.</summary>
    public static async Task<(EscalationPolicy? Policy, string? Field, string? Error)> ValidateAsync(FirebreakDb db, PolicySpec spec, CancellationToken ct)
    {
        var name = spec.Name?.Trim().ToLowerInvariant() ?? "";
        if (!System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-z][a-z0-9-]{1,63}$")) return (null, "name", "A policy name is 2–64 characters: a lower-case letter, then letters, digits or '-'.");
        if (spec.Steps is not { Count: > 0 }) return (null, "steps", "A policy needs at least one step.");
        if (spec.Repeat is < 0 or > 10) return (null, "repeat", "Repeat the policy 0 to 10 times.");
        var steps = new List<EscalationStep>();
        for (var i = 0; i < spec.Steps.Count; i++)
        {
            var step = spec.Steps[i];
            if (step.Targets is not { Count: > 0 }) return (null, $"steps[{i}].targets", "A step needs at least one target.");
            foreach (var target in step.Targets)
            {
                var (kind, value) = target.Split(':', 2) is [var k, var v] ? (k, v) : ("", target);
                var known = kind switch
                {
                    "schedule" => await db.Set<Schedule>().AnyAsync(s => s.Name == value, ct),
                    "person" => await db.People.AnyAsync(p => p.Handle == value.ToLowerInvariant(), ct),
                    "team" => await db.Teams.AnyAsync(t => t.ShortName == value.ToUpperInvariant(), ct),
                    _ => false,
                };
                if (!known) return (null, $"steps[{i}].targets", $"'{target}' is not a known schedule:<name>, person:<handle> or team:<NAME>.");
            }
            var delay = TimeSpan.Zero;
            if (step.Delay is { } d && !Durations.TryParseOrZero(d, out delay))
                return (null, $"steps[{i}].delay", $"'{d}' is not a delay such as 5m or 30s.");
            if (step.Window is { } window && !DailyWindow.TryParse(window, out _))
                return (null, $"steps[{i}].window", $"'{window}' is not a daily window such as 09:00-18:00.");
            if (step.TimeZone is not null && !ScheduleRules.IsValidTimeZone(step.TimeZone)) return (null, $"steps[{i}].timeZone", $"'{step.TimeZone}' is not a time zone.");
            steps.Add(new EscalationStep([.. step.Targets], delay, step.Window, step.TimeZone));
        }
        return (new EscalationPolicy { Name = name, Description = spec.Description, Steps = JsonSerializer.Serialize(steps, PagingJson.Options), Repeat = spec.Repeat }, null, null);
    }

    private static async Task<IResult> ListMethods(string handle, ClaimsPrincipal user, FirebreakDb db, CancellationToken ct)
    {
        var person = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Handle == handle.ToLowerInvariant(), ct);
        if (person is null) return Refusal.NotFound($"No person '{handle}'.").ToResult();
        // Webhook URLs (Slack's above all) are secrets: only their owner and admins see them.
        var actor = Actor.From(user);
        if (!actor.IsAdmin && actor.PersonId != person.Id) return Refusal.Forbidden("Only the person (or an admin) can see their contact methods.").ToResult();
        var methods = await db.Set<ContactMethod>().AsNoTracking().Where(m => m.PersonId == person.Id).OrderBy(m => m.Delay).ToListAsync(ct);
        return TypedResults.Ok(methods.Select(m => new ContactMethodView(m.Id, m.Kind, m.Address, Durations.Humanize(m.Delay))).ToList());
    }

    private static async Task<IResult> AddMethod(string handle, ContactMethodSpec body, ClaimsPrincipal user, FirebreakDb db, TimeProvider clock, PagingOptions paging, CancellationToken ct)
    {
        var actor = Actor.From(user);
        var person = await db.People.FirstOrDefaultAsync(p => p.Handle == handle.ToLowerInvariant(), ct);
        if (person is null) return Refusal.NotFound($"No person '{handle}'.").ToResult();
        if (!actor.IsAdmin && actor.PersonId != person.Id) return Refusal.Forbidden("People set their own contact methods (admins: anyone's).").ToResult();
        if (body.Kind is null || !ContactKinds.Contains(body.Kind)) return Refusal.Invalid("kind", $"Kind must be one of {string.Join(", ", ContactKinds)}.").ToResult();
        if (body.Kind == "email")
        {
            if (paging.Smtp?.Host is null) return Refusal.Invalid("kind", "Email needs an SMTP server: set Firebreak:Paging:Smtp:Host (and Port, From).").ToResult();
            if (!MimeKit.MailboxAddress.TryParse(body.Address, out _) || body.Address!.Length > 320 || !body.Address.Contains('@'))
                return Refusal.Invalid("address", "That is not an email address.").ToResult();
        }
        else if (!Uri.TryCreate(body.Address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return Refusal.Invalid("address", "The address is the http(s) URL to post to.").ToResult();
        var delay = TimeSpan.Zero;
        if (body.Delay is { } d && !Durations.TryParseOrZero(d, out delay)) return Refusal.Invalid("delay", $"'{d}' is not a delay such as 5m.").ToResult();
        if (body.Template is { } template)
        {
            if (body.Kind != "webhook") return Refusal.Invalid("template", "Only generic webhooks take a body template.").ToResult();
            if (template.Length > 10_000) return Refusal.Invalid("template", "The template is longer than 10,000 characters.").ToResult();
            if (WebhookTemplates.Check(template) is { } error) return Refusal.Invalid("template", $"The template does not parse: {error}").ToResult();
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var method = new ContactMethod { PersonId = person.Id, Kind = body.Kind, Address = body.Address!, Delay = delay, CreatedAt = now, Template = body.Template };
        db.Set<ContactMethod>().Add(method);
        db.Audit(actor, "contact-method.add", person.Handle, now, body.Kind);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/people/{person.Handle}/contact-methods", new ContactMethodView(method.Id, method.Kind, method.Address, Durations.Humanize(delay)));
    }

    private static async Task<IResult> Trigger(TriggerPageRequest body, ClaimsPrincipal user, PageEngine engine, FirebreakDb db, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.Summary) || body.Summary.Length > 1024) return Refusal.Invalid("summary", "Say what the page is about (1–1024 characters).").ToResult();
        if (body.Policy is null || !await engine.CanPageAsync(body.Policy, ct)) return Refusal.Invalid("policy", $"No escalation policy or schedule '{body.Policy}'.").ToResult();
        int? incident = null;
        if (body.Incident is { } id)
        {
            incident = await Incidents.IncidentEndpoints.VisibleNumberAsync(db, Actor.From(user), id, ct);
            if (incident is null) return Refusal.Invalid("incident", $"No incident {id}.").ToResult();
        }
        var page = await engine.TriggerAsync(body.Policy!, body.Summary.Trim(), incident, null, Actor.From(user).Name, ct);
        return TypedResults.Created($"/api/v1/pages/{page.Id}", await ViewAsync(db, page.Id, ct));
    }

    private static async Task<IResult> ListPages(FirebreakDb db, CancellationToken ct)
    {
        var ids = await db.Set<Page>().AsNoTracking().OrderByDescending(p => p.Id).Take(50).Select(p => p.Id).ToListAsync(ct);
        var views = new List<PageView>();
        foreach (var id in ids) views.Add((await ViewAsync(db, id, ct))!);
        return TypedResults.Ok(views);
    }

    private static async Task<IResult> GetPage(long id, FirebreakDb db, CancellationToken ct) =>
        await ViewAsync(db, id, ct) is { } view ? TypedResults.Ok(view) : Refusal.NotFound($"No page {id}.").ToResult();

    private static async Task<IResult> Act(long id, string action, string by, PageEngine engine, FirebreakDb db, CancellationToken ct)
    {
        var page = action switch
        {
            "ack" => await engine.AcknowledgeAsync(id, by, ct),
            "resolve" => await engine.ResolveAsync(id, by, ct),
            _ => await engine.EscalateNowAsync(id, by, ct),
        };
        return page is null ? Refusal.NotFound($"No page {id}.").ToResult() : TypedResults.Ok(await ViewAsync(db, id, ct));
    }

    private static async Task<IResult> Link(long id, string action, string? token, PageEngine engine, FirebreakDb db, CancellationToken ct)
    {
        if (action is not ("ack" or "escalate") || !engine.LinkValid(id, action, token))
            return Refusal.Forbidden("This link is not valid (wrong page or action, or expired).").ToResult();
        var page = action == "ack" ? await engine.AcknowledgeAsync(id, "link", ct) : await engine.EscalateNowAsync(id, "link", ct);
        if (page is null) return Refusal.NotFound($"No page {id}.").ToResult();
        return TypedResults.Text($"Page {id}: {(action == "ack" ? "acknowledged" : "escalated")}. {page.Summary}", "text/plain");
    }

    public static async Task<PageView?> ViewAsync(FirebreakDb db, long id, CancellationToken ct)
    {
        var page = await db.Set<Page>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (page is null) return null;
        var events = await db.Set<PageEvent>().AsNoTracking().Where(e => e.PageId == id).OrderBy(e => e.Id).ToListAsync(ct);
        var notes = await db.Set<Notification>().AsNoTracking().Where(n => n.PageId == id).OrderBy(n => n.Id).ToListAsync(ct);
        return new PageView(page.Id, page.Policy, page.Summary, page.Status.ToString().ToLowerInvariant(), page.Step + 1, page.Round + 1,
            page.IncidentNumber is { } i ? Incidents.Incident.FormatId(i) : null, page.CreatedAt, page.AcknowledgedAt, page.AcknowledgedBy, page.NextStepAt,
            [.. events.Select(e => new PageEventView(e.At, e.Kind, e.Text))],
            [.. notes.Select(n => new NotificationView(n.Handle, n.Kind, n.Status.ToString().ToLowerInvariant(), n.Attempts, n.SentAt, n.LastError))]);
    }

    private static PolicyView ToView(EscalationPolicy p) =>
        new(p.Name, p.Description, [.. p.StepList.Select(s => (object)new { s.Targets, delay = Durations.Humanize(s.Delay), s.Window, s.TimeZone })], p.Repeat, p.ManagedBy);
}
