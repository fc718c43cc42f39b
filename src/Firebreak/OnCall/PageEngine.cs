using System.Text.Json;
using Firebreak.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Firebreak.OnCall;

/// <summary>Where people reach this Firebreak from (for acknowledge links); configured, or the address it listens on.</summary>
public sealed class PublicUrl(string? configured)
{
    public string Value { get; set; } = configured?.TrimEnd('/') ?? "http://127.0.0.1:5080";
    public bool Configured { get; } = configured is not null;
}

/// <summary>
/// Starts pages and walks them through their escalation policy. Every step is a persisted Quartz job, so an
/// escalation survives restarts; each step runs once (a step already taken is skipped if its job runs again).
/// </summary>
public sealed class PageEngine(FirebreakDb db, ISchedulerFactory schedulers, TimeProvider clock, IDataProtectionProvider protection, PublicUrl publicUrl,
    Incidents.IncidentCommands commands, OutboxSignal outbox)
{
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromHours(24);

    private ITimeLimitedDataProtector Links => protection.CreateProtector("firebreak.page-links").ToTimeLimitedDataProtector();

    public async Task<Page> TriggerAsync(string policyName, string summary, int? incident, string? alertGroup, string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var page = new Page { Policy = policyName, Summary = summary, Status = PageStatus.Triggered, Step = -1, Round = 0, IncidentNumber = incident, AlertGroupKey = alertGroup, CreatedAt = now, NextStepAt = now };
        db.Set<Page>().Add(page);
        await db.SaveChangesAsync(ct);
        db.Set<PageEvent>().Add(new PageEvent { PageId = page.Id, At = now, Kind = "triggered", Text = $"Paged through {policyName} by {actor}: {summary}" });
        await db.SaveChangesAsync(ct);
        await ScheduleStepAsync(page.Id, 0, 0, now, ct);
        return page;
    }

    public async Task ScheduleStepAsync(long pageId, int round, int step, DateTime at, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var job = JobBuilder.Create<EscalateJob>().WithIdentity($"page-{pageId}-r{round}-s{step}", "pages")
            .UsingJobData("page", pageId).UsingJobData("round", round).UsingJobData("step", step).Build();
        var trigger = TriggerBuilder.Create().WithIdentity($"page-{pageId}-r{round}-s{step}", "pages").StartAt(new DateTimeOffset(at, TimeSpan.Zero))
            .Build();
        // A trigger missed while Firebreak was down fires at once on start (Quartz's default for one-shot triggers).
        await scheduler.ScheduleJob(job, trigger, cancellationToken: ct);
    }

    /// <summary>Runs one step: notifies its targets through the outbox and schedules the next step.</summary>
    public async Task RunStepAsync(long pageId, int round, int step, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var page = await db.Set<Page>().FirstOrDefaultAsync(p => p.Id == pageId, ct);
        if (page is null || page.Status != PageStatus.Triggered) return;
        // Already taken (a job that ran twice, e.g. recovered after a crash): do nothing.
        if (page.Round > round || (page.Round == round && page.Step >= step)) return;
        var (steps, repeat) = await StepsAsync(page.Policy, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (steps.Count == 0 || step >= steps.Count)
        {
            db.Set<PageEvent>().Add(new PageEvent { PageId = page.Id, At = now, Kind = "stuck", Text = $"Escalation policy '{page.Policy}' has no step {step + 1}; nobody more to notify." });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return;
        }
        var current = steps[step];
        var people = current.Applies(now) ? await ResolveTargetsAsync(current.Targets, now, ct) : [];
        var methods = await db.Set<ContactMethod>().AsNoTracking().Where(m => people.Select(p => p.Id).Contains(m.PersonId)).ToListAsync(ct);
        foreach (var person in people)
        {
            foreach (var method in methods.Where(m => m.PersonId == person.Id))
            {
                db.Set<Notification>().Add(new Notification
                {
                    PageId = page.Id, PersonId = person.Id, Handle = person.Handle, Kind = method.Kind, Address = method.Address,
                    IdempotencyKey = $"page-{page.Id}-r{round}-s{step}-{person.Handle}-{method.Id}", Template = method.Template, Status = NotificationStatus.Pending,
                    DueAt = now + method.Delay, CreatedAt = now,
                });
            }
        }
        var who = !current.Applies(now) ? $"nobody (the step applies only {current.Window} {current.TimeZone ?? "UTC"})"
            : people.Count == 0 ? "nobody (no one is on call for these targets)" : string.Join(", ", people.Select(p => p.Handle));
        db.Set<PageEvent>().Add(new PageEvent { PageId = page.Id, At = now, Kind = "step", Text = $"Step {step + 1} (round {round + 1}): notifying {who}" });
        page.Round = round;
        page.Step = step;

        var (nextRound, nextStep) = step + 1 < steps.Count ? (round, step + 1) : (round + 1, 0);
        if (nextRound > repeat)
        {
            page.NextStepAt = null;
            db.Set<PageEvent>().Add(new PageEvent { PageId = page.Id, At = now, Kind = "exhausted", Text = "Last step of the last round; nobody more to escalate to." });
        }
        // A step that does not apply now wastes no time: the next one follows at once.
        else page.NextStepAt = current.Applies(now) ? now + current.Delay : now;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        outbox.Wake();
        if (page.NextStepAt is { } next) await ScheduleStepAsync(page.Id, nextRound, nextStep, next, ct);
        await OnIncidentAsync(page, $"Page {page.Id}, step {step + 1}: notifying {who}", ct);
    }

    /// <summary>
    /// A policy's steps; a name that is a schedule rather than a policy pages whoever is on call there, every five
    /// minutes, three times (so a team's escalation reference can name its schedule directly).
    /// </summary>
    public async Task<(IReadOnlyList<EscalationStep> Steps, int Repeat)> StepsAsync(string name, CancellationToken ct)
    {
        if (await db.Set<EscalationPolicy>().AsNoTracking().FirstOrDefaultAsync(p => p.Name == name, ct) is { } policy) return (policy.StepList, policy.Repeat);
        if (await db.Set<Schedule>().AnyAsync(s => s.Name == name, ct)) return ([new EscalationStep([$"schedule:{name}"], TimeSpan.FromMinutes(5))], 2);
        return ([], 0);
    }

    public async Task<bool> CanPageAsync(string name, CancellationToken ct) => (await StepsAsync(name, ct)).Steps.Count > 0;

    /// <summary>What paging did goes on the incident's timeline too.</summary>
    private async Task OnIncidentAsync(Page page, string text, CancellationToken ct)
    {
        if (page.IncidentNumber is not { } number) return;
        await commands.RecordAlertsAsync(await Identity.AdminBootstrap.AutomationAsync(db, ct), Incidents.Incident.FormatId(number),
            Incidents.TimelineEventKind.Paged, text, new { page = page.Id }, ct);
    }

    private async Task<List<Identity.Person>> ResolveTargetsAsync(IReadOnlyList<string> targets, DateTime now, CancellationToken ct)
    {
        var handles = new List<string>();
        foreach (var target in targets)
        {
            var (kind, name) = target.Split(':', 2) is [var k, var n] ? (k, n) : ("person", target);
            switch (kind)
            {
                case "schedule":
                    var schedule = await db.WithShifts().FirstOrDefaultAsync(s => s.Name == name, ct);
                    if (schedule is not null && Rotation.OnCallAt(schedule, now)?.Handle is { } onCall) handles.Add(onCall);
                    break;
                case "team":
                    handles.AddRange(await db.Teams.AsNoTracking().Where(t => t.ShortName == name.ToUpperInvariant())
                        .SelectMany(t => t.Members).Select(m => m.Person!.Handle).ToListAsync(ct));
                    break;
                default:
                    handles.Add(name.ToLowerInvariant());
                    break;
            }
        }
        var distinct = handles.Distinct().ToList();
        return await db.People.AsNoTracking().Where(p => distinct.Contains(p.Handle)).ToListAsync(ct);
    }

    public async Task<Page?> AcknowledgeAsync(long pageId, string by, CancellationToken ct) => await ChangeAsync(pageId, PageStatus.Acknowledged, by, ct);

    public async Task<Page?> ResolveAsync(long pageId, string by, CancellationToken ct) => await ChangeAsync(pageId, PageStatus.Resolved, by, ct);

    private async Task<Page?> ChangeAsync(long pageId, PageStatus to, string by, CancellationToken ct)
    {
        var page = await db.Set<Page>().FirstOrDefaultAsync(p => p.Id == pageId, ct);
        if (page is null) return null;
        if (page.Status >= to) return page;
        var now = clock.GetUtcNow().UtcDateTime;
        page.Status = to;
        page.NextStepAt = null;
        if (to == PageStatus.Acknowledged) (page.AcknowledgedAt, page.AcknowledgedBy) = (now, by);
        else page.ResolvedAt = now;
        // Notifications not yet sent stop with the escalation.
        await db.Set<Notification>().Where(n => n.PageId == pageId && n.Status == NotificationStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.Status, NotificationStatus.Failed).SetProperty(n => n.LastError, "cancelled: page " + to.ToString().ToLowerInvariant()), ct);
        db.Set<PageEvent>().Add(new PageEvent { PageId = page.Id, At = now, Kind = to.ToString().ToLowerInvariant(), Text = $"{to} by {by}" });
        await db.SaveChangesAsync(ct);
        await OnIncidentAsync(page, $"Page {page.Id} {to.ToString().ToLowerInvariant()} by {by}", ct);
        return page;
    }

    /// <summary>Skips the wait: the next step now.</summary>
    public async Task<Page?> EscalateNowAsync(long pageId, string by, CancellationToken ct)
    {
        var page = await db.Set<Page>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == pageId, ct);
        if (page is null || page.Status != PageStatus.Triggered) return page;
        var steps = (await StepsAsync(page.Policy, ct)).Steps.Count;
        var (round, step) = page.Step + 1 < steps ? (page.Round, page.Step + 1) : (page.Round + 1, 0);
        db.Set<PageEvent>().Add(new PageEvent { PageId = page.Id, At = clock.GetUtcNow().UtcDateTime, Kind = "escalated", Text = $"Escalated now by {by}" });
        await db.SaveChangesAsync(ct);
        await RunStepAsync(page.Id, round, step, ct);
        return page;
    }

    /// <summary>A link that acknowledges (or escalates) one page without signing in, valid for a day.</summary>
    public string Link(long pageId, string action) =>
        $"{publicUrl.Value}/pages/{pageId}/{action}?token={Uri.EscapeDataString(Links.Protect($"{pageId}:{action}", LinkLifetime))}";

    public bool LinkValid(long pageId, string action, string? token)
    {
        if (string.IsNullOrEmpty(token)) return false;
        try { return Links.Unprotect(token) == $"{pageId}:{action}"; }
        catch (System.Security.Cryptography.CryptographicException) { return false; }
    }
}

/// <summary>The persisted timer for one escalation step.</summary>
[DisallowConcurrentExecution]
public sealed class EscalateJob(IServiceScopeFactory scopes) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var data = context.MergedJobDataMap;
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PageEngine>().RunStepAsync(data.GetLong("page"), data.GetInt("round"), data.GetInt("step"), cancellationToken);
    }
}

/// <summary>A distinct Quartz instance id per running node, as clustering on PostgreSQL requires.</summary>
public sealed class NodeInstanceId : Quartz.Extensibility.IInstanceIdGenerator
{
    public ValueTask<string> GenerateInstanceId(CancellationToken cancellationToken) =>
        ValueTask.FromResult($"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
}
