using Firebreak.Catalog;
using Firebreak.Hosting;
using Firebreak.Identity;
using Firebreak.Incidents;
using Firebreak.Storage;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.Demo;

/// <summary>
/// A small, realistic organisation for <c>serve --demo</c>: teams, people, services and a handful of past
/// incidents with full timelines. The incidents are played through <see cref="IncidentCommands"/> on a
/// clock set in the past, so their records are exactly what a real response would have produced.
/// Seeded once: a database that already has teams or incidents is left alone.
/// </summary>
public sealed class DemoSeed(FirebreakDb db, TimeProvider clock)
{
    private static readonly (string Short, string Name)[] DemoTeams =
    [
        ("API", "API platform"), ("PAY", "Payments"), ("DBA", "Database reliability"),
        ("INFRA", "Infrastructure and networking"), ("SEC", "Security"), ("IDENT", "Identity"),
    ];

    private static readonly (string Handle, string Name, string Team)[] DemoPeople =
    [
        ("jtsimmons", "John T. Simmons", "API"), ("apatel", "Anika Patel", "API"), ("mkowalski", "Marta Kowalski", "PAY"),
        ("dokafor", "David Okafor", "PAY"), ("lchen", "Li Chen", "DBA"), ("sgarcia", "Sofia Garcia", "DBA"),
        ("rnakamura", "Ren Nakamura", "INFRA"), ("ebrown", "Emma Brown", "INFRA"), ("hmuller", "Hanna Müller", "SEC"),
        ("oadeyemi", "Olu Adeyemi", "IDENT"),
    ];

    private static readonly (string Short, string Name, string Team, int Tier, string Description)[] DemoServices =
    [
        ("checkout", "Checkout API", "API", 1, "Takes orders and payment intents from the web and mobile apps."),
        ("payments", "Payments gateway", "PAY", 1, "Talks to card processors; idempotent charge and refund."),
        ("orders-db", "Orders database", "DBA", 1, "PostgreSQL primary with two streaming replicas."),
        ("search", "Product search", "API", 2, "Search and autocomplete over the product catalogue."),
        ("edge", "Edge and CDN", "INFRA", 1, "TLS termination, CDN and the public load balancers."),
        ("login", "Login and sessions", "IDENT", 1, "Sign-in, MFA and session tokens."),
        ("notifications", "Notifications", "API", 3, "Order emails and push notifications."),
    ];

    public async Task SeedAsync(CancellationToken ct = default)
    {
        if (await db.Teams.AnyAsync(ct) || await db.Incidents.AnyAsync(ct)) return;
        var now = clock.GetUtcNow().UtcDateTime;
        var system = Actor.Firebreak(null);

        var teams = DemoTeams.ToDictionary(t => t.Short, t => new Team { ShortName = t.Short, Name = t.Name, CreatedAt = now });
        db.Teams.AddRange(teams.Values);
        foreach (var (handle, name, team) in DemoPeople)
        {
            var person = new Person { Handle = handle, Name = name, Email = $"{handle}@example.com", CreatedAt = now };
            person.Teams.Add(new TeamMembership { Team = teams[team] });
            db.People.Add(person);
        }
        foreach (var (shortName, name, team, tier, description) in DemoServices)
            db.Services.Add(new Service { ShortName = shortName, Name = name, OwnerTeam = teams[team], Tier = tier, Description = description, CreatedAt = now });
        db.Audit(system, "demo.seed", "organisation", now, $"{DemoTeams.Length} teams, {DemoPeople.Length} people, {DemoServices.Length} services");
        await db.SaveChangesAsync(ct);

        var people = await db.People.ToDictionaryAsync(p => p.Handle, ct);
        var story = new Story(db, now, people, ct);
        await PaymentsClientRollback(story.At(TimeSpan.FromDays(-21)));
        await ReplicaLag(story.At(TimeSpan.FromDays(-14)));
        await ExpiredCertificate(story.At(TimeSpan.FromDays(-9)));
        await SearchLatency(story.At(TimeSpan.FromDays(-3)));
        await LoginFailures(story.At(TimeSpan.FromMinutes(-25)));
        db.ChangeTracker.Clear();
    }

    private static async Task PaymentsClientRollback(Story s)
    {
        var id = await s.Declare("jtsimmons", "Checkout API 5xx after payments client upgrade", "SEV2", ["checkout", "payments"],
            "About 18% of checkout requests failed with 502 for 47 minutes after the payments client library was upgraded.",
            startedAgo: TimeSpan.FromMinutes(9));
        await s.Do("jtsimmons", c => c.AssignRoleAsync(s.Actor("jtsimmons"), id, new("commander", "jtsimmons")), 2);
        await s.Do("jtsimmons", c => c.AssignRoleAsync(s.Actor("jtsimmons"), id, new("sme", "mkowalski")), 1);
        await s.Do("jtsimmons", c => c.ChangeStatusAsync(s.Actor("jtsimmons"), id, new("investigating")), 1);
        await s.Do("jtsimmons", c => c.LogAsync(s.Actor("jtsimmons"), id, new("5xx rate on checkout went from 0.1% to 18% at 14:02, matching the payments-client 4.2.0 deploy", "fact")), 3);
        await s.Do("mkowalski", c => c.LogAsync(s.Actor("mkowalski"), id, new("The new client's connection pool default (10) is too small for checkout's concurrency", "hypothesis")), 4);
        await s.Do("jtsimmons", c => c.PostUpdateAsync(s.Actor("jtsimmons"), id, new("About one in five checkouts fails with 502 since 14:02.", "Rolling back the payments client to 4.1.3.", "Payments on-call to confirm processor health.", "15m")), 2);
        await s.Do("jtsimmons", c => c.LogAsync(s.Actor("jtsimmons"), id, new("Roll back first, investigate the pool size after", "decision")), 1);
        await s.Do("apatel", c => c.LogAsync(s.Actor("apatel"), id, new("Rolled back checkout to release 2026.10.31-2 (payments-client 4.1.3)", "action")), 9);
        await s.Do("jtsimmons", c => c.ChangeStatusAsync(s.Actor("jtsimmons"), id, new("mitigated", "5xx back to baseline after rollback")), 6);
        await s.Do("mkowalski", c => c.LogAsync(s.Actor("mkowalski"), id, new("Confirmed: pool exhaustion in the client's metrics; max pool size default changed from 100 to 10 in 4.2.0", "fact")), 12);
        await s.Do("jtsimmons", c => c.PostUpdateAsync(s.Actor("jtsimmons"), id, new("Checkout has been healthy for 20 minutes after the rollback.", "Monitoring; root cause identified.", "Nothing.")), 10);
        await s.Do("jtsimmons", c => c.ChangeStatusAsync(s.Actor("jtsimmons"), id, new("resolved")), 10);
        await s.Do("jtsimmons", c => c.AddActionItemAsync(s.Actor("jtsimmons"), id, new("Pin the payments client's pool size in checkout's config", "mkowalski", s.DueIn(14))), 30);
        await s.Do("jtsimmons", c => c.AddActionItemAsync(s.Actor("jtsimmons"), id, new("Canary payments-client upgrades on 5% of traffic", "apatel", s.DueIn(30))), 1);
        await s.Do("jtsimmons", c => c.CompleteActionItemAsync(s.Actor("jtsimmons"), id, s.LastActionItemId - 1), 60 * 24 * 3);
        await s.Do("jtsimmons", c => c.ChangeStatusAsync(s.Actor("jtsimmons"), id, new("closed", "Postmortem reviewed")), 60);
    }

    private static async Task ReplicaLag(Story s)
    {
        var id = await s.Declare("lchen", "Orders replica lag shows customers stale order status", "SEV3", ["orders-db"],
            "Replica lag reached 11 minutes; order history pages read from the replica showed old statuses.",
            startedAgo: TimeSpan.FromMinutes(35));
        await s.Do("lchen", c => c.AssignRoleAsync(s.Actor("lchen"), id, new("commander", "lchen")), 1);
        await s.Do("lchen", c => c.ChangeStatusAsync(s.Actor("lchen"), id, new("investigating")), 1);
        await s.Do("sgarcia", c => c.LogAsync(s.Actor("sgarcia"), id, new("A nightly analytics query holds a long transaction on replica-2", "hypothesis")), 8);
        await s.Do("sgarcia", c => c.LogAsync(s.Actor("sgarcia"), id, new("Cancelled the analytics query (pid 48211); lag falling", "action")), 6);
        await s.Do("lchen", c => c.ChangeStatusAsync(s.Actor("lchen"), id, new("mitigated")), 5);
        await s.Do("lchen", c => c.ChangeStatusAsync(s.Actor("lchen"), id, new("resolved", "Lag under 1s for 30 minutes")), 35);
        await s.Do("lchen", c => c.AddActionItemAsync(s.Actor("lchen"), id, new("Alert on replica lag above 60s", "sgarcia", s.DueIn(10))), 20);
        await s.Do("lchen", c => c.AddActionItemAsync(s.Actor("lchen"), id, new("Move analytics to a dedicated replica with hot_standby_feedback off", "lchen", s.DueIn(45))), 1);
        await s.Do("lchen", c => c.ChangeStatusAsync(s.Actor("lchen"), id, new("closed")), 60 * 24);
    }

    private static async Task ExpiredCertificate(Story s)
    {
        var id = await s.Declare("rnakamura", "TLS certificate for the public API expired", "SEV1", ["edge", "checkout"],
            "The certificate on the public API load balancer expired at 00:00 UTC; mobile apps could not connect.",
            startedAgo: TimeSpan.FromMinutes(22));
        await s.Do("rnakamura", c => c.AssignRoleAsync(s.Actor("rnakamura"), id, new("commander", "ebrown")), 1);
        await s.Do("ebrown", c => c.AssignRoleAsync(s.Actor("ebrown"), id, new("comms", "apatel")), 1);
        await s.Do("ebrown", c => c.AssignRoleAsync(s.Actor("ebrown"), id, new("sme", "hmuller")), 1);
        await s.Do("ebrown", c => c.ChangeStatusAsync(s.Actor("ebrown"), id, new("investigating")), 1);
        await s.Do("hmuller", c => c.LogAsync(s.Actor("hmuller"), id, new("Certificate expired 00:00 UTC; auto-renewal failed silently 30 days ago (DNS challenge token rotated)", "fact")), 4);
        await s.Do("apatel", c => c.PostUpdateAsync(s.Actor("apatel"), id, new("The mobile apps and API clients cannot connect: our certificate expired.", "Issuing and deploying a new certificate.", "Security to approve the emergency issuance.", "15m")), 2);
        await s.Do("hmuller", c => c.LogAsync(s.Actor("hmuller"), id, new("Issued a new certificate manually and deployed it to the load balancers", "action")), 11);
        await s.Do("ebrown", c => c.ChangeStatusAsync(s.Actor("ebrown"), id, new("resolved", "Handshakes succeeding, error rate at baseline")), 8);
        await s.Do("ebrown", c => c.AddActionItemAsync(s.Actor("ebrown"), id, new("Alert 21 days before any certificate expires", "hmuller", s.DueIn(7))), 15);
        await s.Do("ebrown", c => c.AddActionItemAsync(s.Actor("ebrown"), id, new("Fail loudly when ACME renewal fails", "rnakamura", s.DueIn(21))), 1);
    }

    private static async Task SearchLatency(Story s)
    {
        var id = await s.Declare("apatel", "Search p99 latency above 2 seconds", "SEV3", ["search"],
            startedAgo: TimeSpan.FromMinutes(15));
        await s.Do("apatel", c => c.AssignRoleAsync(s.Actor("apatel"), id, new("commander", "apatel")), 1);
        await s.Do("apatel", c => c.ChangeStatusAsync(s.Actor("apatel"), id, new("investigating")), 1);
        await s.Do("apatel", c => c.LogAsync(s.Actor("apatel"), id, new("A re-index job started at the same time as the latency rise", "hypothesis")), 5);
        await s.Do("apatel", c => c.LogAsync(s.Actor("apatel"), id, new("Paused the re-index job", "action")), 4);
        await s.Do("apatel", c => c.ChangeStatusAsync(s.Actor("apatel"), id, new("resolved", "p99 back to 300ms")), 12);
    }

    private static async Task LoginFailures(Story s)
    {
        var id = await s.Declare("oadeyemi", "Elevated login failures for EU customers", "SEV2", ["login"],
            "MFA verification fails for about 7% of EU sign-ins.", startedAgo: TimeSpan.FromMinutes(6));
        await s.Do("oadeyemi", c => c.AssignRoleAsync(s.Actor("oadeyemi"), id, new("commander", "oadeyemi")), 1);
        await s.Do("oadeyemi", c => c.AssignRoleAsync(s.Actor("oadeyemi"), id, new("scribe", "dokafor")), 1);
        await s.Do("oadeyemi", c => c.ChangeStatusAsync(s.Actor("oadeyemi"), id, new("investigating")), 1);
        await s.Do("oadeyemi", c => c.LogAsync(s.Actor("oadeyemi"), id, new("Only the SMS second factor fails; authenticator apps work", "fact")), 6);
        await s.Do("oadeyemi", c => c.LogAsync(s.Actor("oadeyemi"), id, new("The EU SMS provider is throttling us", "hypothesis")), 3);
        await s.Do("oadeyemi", c => c.PostUpdateAsync(s.Actor("oadeyemi"), id, new("About 7% of EU sign-ins fail at the SMS code step.", "Checking the SMS provider's status and our send quota.", "A contact at the SMS provider.", "15m")), 2);
    }

    /// <summary>Plays commands at chosen moments: each step advances the story clock by some minutes.</summary>
    private sealed class Story(FirebreakDb db, DateTime realNow, Dictionary<string, Person> people, CancellationToken ct)
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
            var commands = new IncidentCommands(db, _clock);
            var view = Check(await commands.DeclareAsync(Actor(handle),
                new DeclareIncidentRequest(title, severity, services, summary, StartedAt: _clock.Now - startedAgo, DetectedAt: _clock.Now - startedAgo / 2), ct));
            return view.Id;
        }

        public async Task Do(string handle, Func<IncidentCommands, Task<Outcome<IncidentView>>> command, int minutesLater)
        {
            _clock.Now = _clock.Now.AddMinutes(minutesLater);
            if (_clock.Now > realNow) _clock.Now = realNow;
            var view = Check(await command(new IncidentCommands(db, _clock)));
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
