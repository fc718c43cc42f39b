using Firebreak.Catalog;
using Firebreak.Hosting;
using Firebreak.Identity;
using Firebreak.Incidents;
using Firebreak.Storage;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.Demo;

/// <summary>
/// A small, realistic organisation for <c>serve --demo</c>: the example catalog (teams, people, services,
/// runbooks, alert plans, routing) synced from examples/catalog, a change history, and a handful of past
/// incidents with full timelines. The incidents are played through <see cref="IncidentCommands"/> on a
/// clock set in the past, so their records are exactly what a real response would have produced.
/// Seeded once: a database that already has incidents is left alone.
/// </summary>
public sealed class DemoSeed(FirebreakDb db, TimeProvider clock, CatalogSync catalogSync, CatalogOptions catalog, IncidentChangeSignal changed, Comms.UpdateCadence cadence,
    Comms.StatusPublisher statusPage)
{
    /// <summary>examples/catalog, looked for above the working directory and above the program (a clone's layout).</summary>
    public static string? FindExampleCatalog()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "examples", "catalog");
                if (File.Exists(Path.Combine(candidate, "people.yaml"))) return candidate;
            }
        }
        return null;
    }

    public async Task SeedAsync(CancellationToken ct = default)
    {
        if (await db.Incidents.AnyAsync(ct)) return;
        var now = clock.GetUtcNow().UtcDateTime;
        var system = Actor.Firebreak(null);
        if (catalog.Source is null)
            throw new InvalidOperationException("--demo needs the example catalog (examples/catalog) or Firebreak:Catalog:Repo.");
        var synced = await catalogSync.SyncAsync(system, ct: ct);
        if (!synced.Applied)
            throw new InvalidOperationException("The demo catalog did not pass lint: " + string.Join("; ", synced.Findings));
        db.Audit(system, "demo.seed", "incidents", now, $"catalog {synced.Version[..Math.Min(10, synced.Version.Length)]}");
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();

        var people = await db.People.ToDictionaryAsync(p => p.Handle, ct);
        await SeedChangesAsync(now, ct);
        var story = new Story(db, changed, cadence, now, people, ct);
        await PaymentsClientRollback(story.At(TimeSpan.FromDays(-21)));
        await ReplicaLag(story.At(TimeSpan.FromDays(-14)));
        await ExpiredCertificate(story.At(TimeSpan.FromDays(-9)));
        await SearchLatency(story.At(TimeSpan.FromDays(-3)));
        await LoginFailures(story.At(TimeSpan.FromMinutes(-25)));
        db.ChangeTracker.Clear();
        await SeedStatusPageAsync(now, ct);
    }

    /// <summary>A public status page with 90 days of history (the outages of the stories above) and INC-5 published.</summary>
    private async Task SeedStatusPageAsync(DateTime now, CancellationToken ct)
    {
        var admin = Actor.Firebreak(null);
        foreach (var (key, name, service) in new[] { ("web", "Website and app", "edge"), ("checkout", "Checkout", "checkout"), ("payments", "Card payments", "payments"),
            ("login", "Sign-in", "login"), ("search", "Search", "search"), ("notifications", "Email and push notifications", "notifications") })
        {
            var added = await statusPage.UpsertComponentAsync(admin, new Comms.ComponentRequest(key, name, Service: service), ct);
            if (added.Refusal is { } refused) throw new InvalidOperationException($"Demo status page refused: {refused.Detail}");
        }
        var components = await db.Set<Comms.StatusComponent>().ToDictionaryAsync(c => c.Key, ct);
        foreach (var c in components.Values) c.CreatedAt = now.AddDays(-120);
        await db.Set<Comms.ComponentStatusChange>().ExecuteDeleteAsync(ct);
        void Outage(string key, TimeSpan ago, TimeSpan lasted, Comms.ComponentStatus status)
        {
            db.Add(new Comms.ComponentStatusChange { ComponentId = components[key].Id, Status = status, At = now - ago });
            db.Add(new Comms.ComponentStatusChange { ComponentId = components[key].Id, Status = Comms.ComponentStatus.Operational, At = now - ago + lasted });
        }
        foreach (var c in components.Values) db.Add(new Comms.ComponentStatusChange { ComponentId = c.Id, Status = Comms.ComponentStatus.Operational, At = now.AddDays(-120) });
        Outage("checkout", TimeSpan.FromDays(21), TimeSpan.FromMinutes(47), Comms.ComponentStatus.MajorOutage);
        Outage("payments", TimeSpan.FromDays(21), TimeSpan.FromMinutes(52), Comms.ComponentStatus.PartialOutage);
        Outage("web", TimeSpan.FromDays(9), TimeSpan.FromHours(2), Comms.ComponentStatus.PartialOutage);
        Outage("search", TimeSpan.FromDays(3), TimeSpan.FromHours(5), Comms.ComponentStatus.DegradedPerformance);
        Outage("notifications", TimeSpan.FromDays(40), TimeSpan.FromHours(3), Comms.ComponentStatus.UnderMaintenance);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();

        var published = await statusPage.PublishAsync(admin, "INC-5", new Comms.PublishRequest("Some customers in Europe cannot sign in", "investigating",
            "Some customers in Europe cannot finish signing in with a text message code. Authenticator apps work. We are working on it.",
            new Dictionary<string, string> { ["login"] = "partial_outage" }), ct);
        if (published.Refusal is { } failed) throw new InvalidOperationException($"Demo status page refused: {failed.Detail}");
    }

    /// <summary>A plausible deploy and config history, so "what changed" has something to rank in the demo.</summary>
    private async Task SeedChangesAsync(DateTime now, CancellationToken ct)
    {
        var changes = new List<Alerts.ChangeEvent>();
        void Add(string service, string kind, string summary, string? version, TimeSpan ago, string author) => changes.Add(new Alerts.ChangeEvent
        {
            Service = service, Kind = kind, Summary = summary, Version = version, OccurredAt = now - ago, ReceivedAt = now - ago,
            Author = author, Source = "demo", RecordedBy = "firebreak",
        });
        Add("login", "deploy", "Deploy login 2026.11.23-4", "2026.11.23-4", TimeSpan.FromHours(26), "oadeyemi");
        Add("login", "deploy", "Deploy login 2026.11.24-1: new SMS provider client", "2026.11.24-1", TimeSpan.FromMinutes(47), "oadeyemi");
        Add("login", "flag", "Flag login.sms.rate_limit lowered to 50/s", null, TimeSpan.FromMinutes(95), "dokafor");
        Add("edge", "config", "CDN cache rules for /static updated", null, TimeSpan.FromHours(3), "rnakamura");
        Add("checkout", "deploy", "Deploy checkout 2026.11.22-2", "2026.11.22-2", TimeSpan.FromDays(2), "jtsimmons");
        db.Set<Alerts.ChangeEvent>().AddRange(changes);
        await db.SaveChangesAsync(ct);
    }

    private static async Task PaymentsClientRollback(Story s)
    {
        var id = await s.Declare("jtsimmons", "Checkout API 5xx after payments client upgrade", "SEV2", ["checkout", "payments"],
            "About 18% of checkout requests failed with 502 for 47 minutes after the payments client library was upgraded.",
            startedAgo: TimeSpan.FromMinutes(9));
        await s.Do("jtsimmons", (c, a) => c.AssignRoleAsync(a, id, new("commander", "jtsimmons")), 2);
        await s.Do("jtsimmons", (c, a) => c.AssignRoleAsync(a, id, new("sme", "mkowalski")), 1);
        await s.Do("jtsimmons", (c, a) => c.ChangeStatusAsync(a, id, new("investigating")), 1);
        await s.Do("jtsimmons", (c, a) => c.LogAsync(a, id, new("5xx rate on checkout went from 0.1% to 18% at 14:02, matching the payments-client 4.2.0 deploy", "fact")), 3);
        await s.Do("mkowalski", (c, a) => c.LogAsync(a, id, new("The new client's connection pool default (10) is too small for checkout's concurrency", "hypothesis")), 4);
        await s.Do("jtsimmons", (c, a) => c.PostUpdateAsync(a, id, new("About one in five checkouts fails with 502 since 14:02.", "Rolling back the payments client to 4.1.3.", "Payments on-call to confirm processor health.", "15m")), 2);
        await s.Do("jtsimmons", (c, a) => c.LogAsync(a, id, new("Roll back first, investigate the pool size after", "decision")), 1);
        await s.Do("apatel", (c, a) => c.LogAsync(a, id, new("Rolled back checkout to release 2026.10.31-2 (payments-client 4.1.3)", "action")), 9);
        await s.Do("jtsimmons", (c, a) => c.ChangeStatusAsync(a, id, new("mitigated", "5xx back to baseline after rollback")), 6);
        await s.Do("mkowalski", (c, a) => c.LogAsync(a, id, new("Confirmed: pool exhaustion in the client's metrics; max pool size default changed from 100 to 10 in 4.2.0", "fact")), 12);
        await s.Do("jtsimmons", (c, a) => c.PostUpdateAsync(a, id, new("Checkout has been healthy for 20 minutes after the rollback.", "Monitoring; root cause identified.", "Nothing.")), 10);
        await s.Do("jtsimmons", (c, a) => c.ChangeStatusAsync(a, id, new("resolved")), 10);
        await s.Do("jtsimmons", (c, a) => c.AddActionItemAsync(a, id, new("Pin the payments client's pool size in checkout's config", "mkowalski", s.DueIn(14))), 30);
        await s.Do("jtsimmons", (c, a) => c.AddActionItemAsync(a, id, new("Canary payments-client upgrades on 5% of traffic", "apatel", s.DueIn(30))), 1);
        await s.Do("jtsimmons", (c, a) => c.CompleteActionItemAsync(a, id, s.LastActionItemId - 1), 60 * 24 * 3);
        await s.Do("jtsimmons", (c, a) => c.ChangeStatusAsync(a, id, new("closed", "Postmortem reviewed")), 60);
    }

    private static async Task ReplicaLag(Story s)
    {
        var id = await s.Declare("lchen", "Orders replica lag shows customers stale order status", "SEV3", ["orders-db"],
            "Replica lag reached 11 minutes; order history pages read from the replica showed old statuses.",
            startedAgo: TimeSpan.FromMinutes(35));
        await s.Do("lchen", (c, a) => c.AssignRoleAsync(a, id, new("commander", "lchen")), 1);
        await s.Do("lchen", (c, a) => c.ChangeStatusAsync(a, id, new("investigating")), 1);
        await s.Do("sgarcia", (c, a) => c.LogAsync(a, id, new("A nightly analytics query holds a long transaction on replica-2", "hypothesis")), 8);
        await s.Do("sgarcia", (c, a) => c.LogAsync(a, id, new("Cancelled the analytics query (pid 48211); lag falling", "action")), 6);
        await s.Do("lchen", (c, a) => c.ChangeStatusAsync(a, id, new("mitigated")), 5);
        await s.Do("lchen", (c, a) => c.ChangeStatusAsync(a, id, new("resolved", "Lag under 1s for 30 minutes")), 35);
        await s.Do("lchen", (c, a) => c.AddActionItemAsync(a, id, new("Alert on replica lag above 60s", "sgarcia", s.DueIn(10))), 20);
        await s.Do("lchen", (c, a) => c.AddActionItemAsync(a, id, new("Move analytics to a dedicated replica with hot_standby_feedback off", "lchen", s.DueIn(45))), 1);
        await s.Do("lchen", (c, a) => c.ChangeStatusAsync(a, id, new("closed")), 60 * 24);
    }

    private static async Task ExpiredCertificate(Story s)
    {
        var id = await s.Declare("rnakamura", "TLS certificate for the public API expired", "SEV1", ["edge", "checkout"],
            "The certificate on the public API load balancer expired at 00:00 UTC; mobile apps could not connect.",
            startedAgo: TimeSpan.FromMinutes(22));
        await s.Do("rnakamura", (c, a) => c.AssignRoleAsync(a, id, new("commander", "ebrown")), 1);
        await s.Do("ebrown", (c, a) => c.AssignRoleAsync(a, id, new("comms", "apatel")), 1);
        await s.Do("ebrown", (c, a) => c.AssignRoleAsync(a, id, new("sme", "hmuller")), 1);
        await s.Do("ebrown", (c, a) => c.ChangeStatusAsync(a, id, new("investigating")), 1);
        await s.Do("hmuller", (c, a) => c.LogAsync(a, id, new("Certificate expired 00:00 UTC; auto-renewal failed silently 30 days ago (DNS challenge token rotated)", "fact")), 4);
        await s.Do("apatel", (c, a) => c.PostUpdateAsync(a, id, new("The mobile apps and API clients cannot connect: our certificate expired.", "Issuing and deploying a new certificate.", "Security to approve the emergency issuance.", "15m")), 2);
        await s.Do("hmuller", (c, a) => c.LogAsync(a, id, new("Issued a new certificate manually and deployed it to the load balancers", "action")), 11);
        await s.Do("ebrown", (c, a) => c.ChangeStatusAsync(a, id, new("resolved", "Handshakes succeeding, error rate at baseline")), 8);
        await s.Do("ebrown", (c, a) => c.AddActionItemAsync(a, id, new("Alert 21 days before any certificate expires", "hmuller", s.DueIn(7))), 15);
        await s.Do("ebrown", (c, a) => c.AddActionItemAsync(a, id, new("Fail loudly when ACME renewal fails", "rnakamura", s.DueIn(21))), 1);
    }

    private static async Task SearchLatency(Story s)
    {
        var id = await s.Declare("apatel", "Search p99 latency above 2 seconds", "SEV3", ["search"],
            startedAgo: TimeSpan.FromMinutes(15));
        await s.Do("apatel", (c, a) => c.AssignRoleAsync(a, id, new("commander", "apatel")), 1);
        await s.Do("apatel", (c, a) => c.ChangeStatusAsync(a, id, new("investigating")), 1);
        await s.Do("apatel", (c, a) => c.LogAsync(a, id, new("A re-index job started at the same time as the latency rise", "hypothesis")), 5);
        await s.Do("apatel", (c, a) => c.LogAsync(a, id, new("Paused the re-index job", "action")), 4);
        await s.Do("apatel", (c, a) => c.ChangeStatusAsync(a, id, new("resolved", "p99 back to 300ms")), 12);
    }

    private static async Task LoginFailures(Story s)
    {
        var id = await s.Declare("oadeyemi", "Elevated login failures for EU customers", "SEV2", ["login"],
            "MFA verification fails for about 7% of EU sign-ins.", startedAgo: TimeSpan.FromMinutes(6));
        await s.Do("oadeyemi", (c, a) => c.AssignRoleAsync(a, id, new("commander", "oadeyemi")), 1);
        await s.Do("oadeyemi", (c, a) => c.AssignRoleAsync(a, id, new("scribe", "dokafor")), 1);
        await s.Do("oadeyemi", (c, a) => c.ChangeStatusAsync(a, id, new("investigating")), 1);
        await s.Do("oadeyemi", (c, a) => c.LogAsync(a, id, new("Only the SMS second factor fails; authenticator apps work", "fact")), 6);
        await s.Do("oadeyemi", (c, a) => c.LogAsync(a, id, new("The EU SMS provider is throttling us", "hypothesis")), 3);
        await s.Do("oadeyemi", (c, a) => c.OpenWorkstreamAsync(a, id, new("Fail over EU SMS to the backup provider", "dokafor")), 1);
        await s.Do("oadeyemi", (c, a) => c.OpenWorkstreamAsync(a, id, new("Support macro for affected customers")), 1);
        await s.Do("oadeyemi", (c, a) => c.PostUpdateAsync(a, id, new("About 7% of EU sign-ins fail at the SMS code step.", "Checking the SMS provider's status and our send quota.", "A contact at the SMS provider.", "15m")), 2);
    }

    /// <summary>Plays commands at chosen moments: each step advances the story clock by some minutes.</summary>
    private sealed class Story(FirebreakDb db, IncidentChangeSignal changed, Comms.UpdateCadence cadence, DateTime realNow, Dictionary<string, Person> people, CancellationToken ct)
    {
        private readonly StoryClock _clock = new();

        public int LastActionItemId { get; private set; }

        public Story At(TimeSpan fromNow)
        {
            _clock.Now = realNow + fromNow;
            return this;
        }

        public Actor Actor(string handle) => new(people[handle].Id, handle, false, 0);

        public string DueIn(int days) => DateOnly.FromDateTime(_clock.Now.AddDays(days)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        public async Task<string> Declare(string handle, string title, string severity, string[] services, string? summary = null,
            TimeSpan startedAgo = default)
        {
            var commands = new IncidentCommands(db, _clock, changed, cadence);
            var view = Check(await commands.DeclareAsync(Actor(handle),
                new DeclareIncidentRequest(title, severity, services, summary, StartedAt: _clock.Now - startedAgo, DetectedAt: _clock.Now - startedAgo / 2), ct));
            return view.Id;
        }

        public async Task Do(string handle, Func<IncidentCommands, Actor, Task<Outcome<IncidentView>>> command, int minutesLater)
        {
            _clock.Now = _clock.Now.AddMinutes(minutesLater);
            if (_clock.Now > realNow) _clock.Now = realNow;
            var view = Check(await command(new IncidentCommands(db, _clock, changed, cadence), Actor(handle)));
            LastActionItemId = view.ActionItems.Count == 0 ? LastActionItemId : view.ActionItems.Max(a => a.Id);
        }

        private static IncidentView Check(Outcome<IncidentView> outcome) =>
            outcome.Refusal is { } refusal ? throw new InvalidOperationException($"Demo story refused: {refusal.Detail}") : outcome.Value!;
    }

    private sealed class StoryClock : TimeProvider
    {
        public DateTime Now { get; set; }

        public override DateTimeOffset GetUtcNow() => new(Now, TimeSpan.Zero);
    }
}
