using System.Text.Json;
using Firebreak.Identity;
using Firebreak.Storage;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.Catalog;

public sealed record CatalogOptions
{
    /// <summary>A git repository (path or clone URL) holding the catalog; unset means services are managed by hand.</summary>
    public string? Repo { get; init; }
    /// <summary>A folder inside the repository, if the catalog is not at its root.</summary>
    public string? Path { get; init; }
    public string? Branch { get; init; }
    public TimeSpan SyncInterval { get; init; } = TimeSpan.FromMinutes(5);
    public int MaxReviewAgeDays { get; init; } = 180;

    public CatalogSourceOptions? Source => Repo is null ? null : new CatalogSourceOptions(Repo, Path, Branch);
}

public sealed record CatalogSyncResult(bool Applied, string Version, string Source, IReadOnlyList<string> Findings, int Services, int Teams, int People);

/// <summary>
/// Applies a catalog repository to the store: lint first, and a catalog with errors is refused as a whole, so a
/// bad commit never replaces the last good catalog. Services the repository owns are created and updated; services
/// it no longer lists are kept (incidents refer to them) and stay as they were.
/// </summary>
public sealed class CatalogSync(FirebreakDb db, FirebreakOptionsAccessor options, CatalogOptions catalog, ServiceDirectory directory, TimeProvider clock,
    Comms.Drafts drafts)
{
    // One sync at a time in this process: the schedule and `catalog sync` may ask at once, and two syncs
    // creating the same people would collide on PostgreSQL's read-committed transactions.
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    public async Task<CatalogSyncResult> SyncAsync(Actor actor, CatalogSourceOptions? source = null, CancellationToken ct = default)
    {
        await OneAtATime.WaitAsync(ct);
        try
        {
            return await SyncOnceAsync(actor, source, ct);
        }
        finally
        {
            OneAtATime.Release();
        }
    }

    private async Task<CatalogSyncResult> SyncOnceAsync(Actor actor, CatalogSourceOptions? source, CancellationToken ct)
    {
        source ??= catalog.Source ?? throw new InvalidOperationException("No catalog repository is configured (Firebreak:Catalog:Repo).");
        var now = clock.GetUtcNow().UtcDateTime;
        IReadOnlyDictionary<string, string> files;
        string version, describe;
        try
        {
            (files, version, describe) = CatalogSource.Load(source, options.DataDir);
        }
        catch (Exception e) when (e is LibGit2Sharp.LibGit2SharpException or IOException or InvalidOperationException)
        {
            return await RecordAsync(actor, new CatalogSyncResult(false, "unreadable", source.Repository, [$"cannot read the catalog: {e.Message}"], 0, 0, 0), now, ct);
        }
        var snapshot = CatalogReader.Read(files, version);
        var findings = CatalogLint.Check(snapshot, new LintOptions(DateOnly.FromDateTime(now), TimeSpan.FromDays(catalog.MaxReviewAgeDays)));
        var text = findings.Select(f => f.ToString()).ToList();
        if (findings.Any(f => f.Severity == LintFinding.Error))
            return await RecordAsync(actor, new CatalogSyncResult(false, version, describe, text, 0, 0, 0), now, ct);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var people = await db.People.ToDictionaryAsync(p => p.Handle, ct);
        foreach (var p in snapshot.People)
        {
            if (!people.TryGetValue(p.Handle, out var person))
            {
                person = new Person { Handle = p.Handle, Name = p.Name, CreatedAt = now };
                db.People.Add(person);
                people[p.Handle] = person;
            }
            person.Name = p.Name;
            person.Email = p.Email;
        }
        foreach (var handle in snapshot.Teams.SelectMany(t => t.Members).Where(h => !people.ContainsKey(h) && Handles.IsValidPersonHandle(h)).Distinct())
        {
            var person = new Person { Handle = handle, Name = handle, CreatedAt = now };
            db.People.Add(person);
            people[handle] = person;
        }
        await db.SaveChangesAsync(ct);

        var teams = await db.Teams.Include(t => t.Members).ToDictionaryAsync(t => t.ShortName, ct);
        foreach (var t in snapshot.Teams)
        {
            if (!teams.TryGetValue(t.ShortName, out var team))
            {
                team = new Team { ShortName = t.ShortName, Name = t.Name, CreatedAt = now };
                db.Teams.Add(team);
                teams[t.ShortName] = team;
            }
            team.Name = t.Name;
            team.ChatChannel = t.Channel;
            team.EscalationRef = t.Escalation;
            team.Members.Clear();
            foreach (var handle in t.Members.Where(people.ContainsKey).Distinct()) team.Members.Add(new TeamMembership { Team = team, PersonId = people[handle].Id });
        }
        await db.SaveChangesAsync(ct);

        var services = await db.Services.Include(s => s.DependsOn).ToDictionaryAsync(s => s.ShortName, ct);
        foreach (var s in snapshot.Services)
        {
            if (!services.TryGetValue(s.ShortName, out var service))
            {
                service = new Service { ShortName = s.ShortName, Name = s.Name, CreatedAt = now };
                db.Services.Add(service);
                services[s.ShortName] = service;
            }
            service.Name = s.Name;
            service.Description = s.Description;
            service.OwnerTeam = s.Owner is null ? null : teams.GetValueOrDefault(s.Owner);
            service.Tier = s.Tier;
            service.EscalationRef = s.Escalation;
            service.Links = JsonSerializer.Serialize(s.Links);
            service.Slos = JsonSerializer.Serialize(s.Slos);
            service.Runbook = s.Runbook;
            service.LastReviewed = s.LastReviewed;
            service.ManagedBy = "git";
        }
        await db.SaveChangesAsync(ct);
        foreach (var s in snapshot.Services)
        {
            var service = services[s.ShortName];
            service.DependsOn.Clear();
            foreach (var dependency in s.DependsOn.Distinct()) service.DependsOn.Add(new ServiceDependency { ServiceId = service.Id, DependsOnId = services[dependency].Id });
        }
        var handles = people.Keys.ToHashSet(StringComparer.Ordinal);
        var schedules = await db.Set<OnCall.Schedule>().Include(x => x.Layers).ToDictionaryAsync(x => x.Name, ct);
        foreach (var (_, spec) in snapshot.Schedules)
        {
            OnCall.ScheduleRules.Validate(spec, handles, out var declared);
            if (declared is null) continue;
            if (schedules.TryGetValue(declared.Name, out var existing))
            {
                // Overrides and the calendar secret belong to the running schedule; the layers come from the repository.
                db.RemoveRange(existing.Layers);
                existing.Layers = declared.Layers;
                existing.TimeZone = declared.TimeZone;
                existing.Description = declared.Description;
                existing.ManagedBy = "git";
            }
            else
            {
                declared.ManagedBy = "git";
                declared.CreatedAt = now;
                db.Set<OnCall.Schedule>().Add(declared);
            }
        }
        await db.SaveChangesAsync(ct);
        foreach (var (_, spec) in snapshot.Policies)
        {
            var (declared, _, _) = await OnCall.PagingEndpoints.ValidateAsync(db, spec, ct);
            if (declared is null) continue;
            var existing = await db.Set<OnCall.EscalationPolicy>().FirstOrDefaultAsync(x => x.Name == declared.Name, ct);
            if (existing is null)
            {
                declared.ManagedBy = "git";
                declared.CreatedAt = now;
                db.Set<OnCall.EscalationPolicy>().Add(declared);
            }
            else
            {
                existing.Steps = declared.Steps;
                existing.Repeat = declared.Repeat;
                existing.Description = declared.Description;
                existing.ManagedBy = "git";
            }
        }
        db.Set<AlertPlan>().RemoveRange(await db.Set<AlertPlan>().ToListAsync(ct));
        db.Set<AlertPlan>().AddRange(snapshot.AlertPlans.GroupBy(p => p.AlertName).Select(g => new AlertPlan { AlertName = g.Key, Markdown = g.First().Markdown }));
        db.Set<RoutingRule>().RemoveRange(await db.Set<RoutingRule>().ToListAsync(ct));
        db.Set<RoutingRule>().AddRange(snapshot.Routing.Select(r => new RoutingRule { Scenario = r.Scenario, TeamShortName = r.Team, Keywords = string.Join(',', r.Keywords) }));
        await db.SaveChangesAsync(ct);
        var result = await RecordAsync(actor, new CatalogSyncResult(true, version, describe, text, snapshot.Services.Count, snapshot.Teams.Count, snapshot.People.Count), now, ct);
        await transaction.CommitAsync(ct);
        await directory.ReloadAsync(ct);
        drafts.ReplaceCatalogTemplates(snapshot.Templates.Select(t => (t.Audience, t.Text)));
        return result;
    }

    private async Task<CatalogSyncResult> RecordAsync(Actor actor, CatalogSyncResult result, DateTime now, CancellationToken ct)
    {
        db.Set<CatalogVersion>().Add(new CatalogVersion
        {
            Version = result.Version, Source = result.Source, SyncedAt = now, Applied = result.Applied,
            Findings = result.Findings.Count == 0 ? null : string.Join('\n', result.Findings),
        });
        db.Audit(actor, result.Applied ? "catalog.sync" : "catalog.sync.refused", result.Version, now, $"{result.Findings.Count} findings");
        await db.SaveChangesAsync(ct);
        return result;
    }
}

/// <summary>The data directory, for services that need it (the catalog clone lives there).</summary>
public sealed record FirebreakOptionsAccessor(string DataDir);

/// <summary>Pulls the configured catalog repository on a schedule (and once at start).</summary>
public sealed partial class CatalogSyncSchedule(IServiceScopeFactory scopes, CatalogOptions options, TimeProvider clock, ILogger<CatalogSyncSchedule> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Source is null) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var result = await scope.ServiceProvider.GetRequiredService<CatalogSync>().SyncAsync(Actor.Firebreak(null), ct: stoppingToken);
                if (!result.Applied) LogRefused(log, result.Version, string.Join("; ", result.Findings.Take(5)));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(log, e);
            }
            try { await Task.Delay(options.SyncInterval, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalog {Version} refused; the last good catalog stays: {Findings}")]
    private static partial void LogRefused(ILogger logger, string version, string findings);

    [LoggerMessage(Level = LogLevel.Error, Message = "Catalog sync failed")]
    private static partial void LogFailed(ILogger logger, Exception e);
}
