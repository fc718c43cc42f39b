using Firebreak.Catalog;
using Firebreak.Identity;
using Firebreak.Incidents;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.Storage;

/// <summary>
/// The one unit of work over Firebreak's tables. Each module maps its own entities
/// (see the <c>*Storage</c> classes); this class only gathers them.
/// </summary>
public abstract class FirebreakDb(DbContextOptions options) : DbContext(options)
{
    public DbSet<Person> People => Set<Person>();
    public DbSet<Team> Teams => Set<Team>();
    public DbSet<TeamMembership> TeamMemberships => Set<TeamMembership>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Service> Services => Set<Service>();
    public DbSet<Incident> Incidents => Set<Incident>();
    public DbSet<TimelineEvent> TimelineEvents => Set<TimelineEvent>();
    public DbSet<ActionItem> ActionItems => Set<ActionItem>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every instant is stored as UTC; reading it back marks it UTC so JSON carries the 'Z'
        // and Npgsql accepts it for timestamptz columns.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        IdentityStorage.Map(modelBuilder);
        CatalogStorage.Map(modelBuilder);
        IncidentStorage.Map(modelBuilder);
        Alerts.AlertStorage.Map(modelBuilder);
        OnCall.ScheduleStorage.Map(modelBuilder);
        Comms.CommsStorage.Map(modelBuilder);
    }
}

/// <summary>SQLite schema and migrations (the embedded default).</summary>
public sealed class SqliteFirebreakDb(DbContextOptions<SqliteFirebreakDb> options) : FirebreakDb(options);

/// <summary>PostgreSQL schema and migrations (the scale-out store).</summary>
public sealed class PostgresFirebreakDb(DbContextOptions<PostgresFirebreakDb> options) : FirebreakDb(options);
