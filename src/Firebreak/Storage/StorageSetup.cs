using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Firebreak.Storage;

public enum StorageProvider { Sqlite, Postgres }

public sealed record StorageTarget(StorageProvider Provider, string ConnectionString)
{
    /// <summary>
    /// A connection string with <c>Host=</c> is PostgreSQL; anything else (or nothing) is the SQLite
    /// file under the data directory.
    /// </summary>
    public static StorageTarget Resolve(string? db, string dataDir)
    {
        if (!string.IsNullOrWhiteSpace(db))
        {
            if (db.Contains("Host=", StringComparison.OrdinalIgnoreCase)
                || db.StartsWith("postgres", StringComparison.OrdinalIgnoreCase))
            {
                return new StorageTarget(StorageProvider.Postgres, db);
            }
            return new StorageTarget(StorageProvider.Sqlite, db);
        }
        var file = Path.Combine(Path.GetFullPath(dataDir), "firebreak.db");
        return new StorageTarget(StorageProvider.Sqlite, new SqliteConnectionStringBuilder
        {
            DataSource = file,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString());
    }

    public string Describe() => Provider switch
    {
        StorageProvider.Postgres => "PostgreSQL",
        _ => $"SQLite ({new SqliteConnectionStringBuilder(ConnectionString).DataSource})",
    };
}

public static class StorageSetup
{
    /// <summary>Options are built once (singleton): rebuilding them per request showed up in intake profiles.</summary>
    public static IServiceCollection AddFirebreakStorage(this IServiceCollection services, StorageTarget target)
    {
        services.AddSingleton(target);
        if (target.Provider == StorageProvider.Postgres)
        {
            services.AddDbContext<FirebreakDb, PostgresFirebreakDb>(o => o.UsePostgres(target.ConnectionString),
                ServiceLifetime.Scoped, ServiceLifetime.Singleton);
        }
        else
        {
            services.AddDbContext<FirebreakDb, SqliteFirebreakDb>(o => o.UseSqliteDurably(target.ConnectionString),
                ServiceLifetime.Scoped, ServiceLifetime.Singleton);
        }
        return services;
    }

    internal static DbContextOptionsBuilder UsePostgres(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql =>
            npgsql.MigrationsHistoryTable("__ef_migrations_history"));

    internal static DbContextOptionsBuilder UseSqliteDurably(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString).AddInterceptors(SqliteDurability.Instance);

    /// <summary>Applies pending migrations; the database (and for SQLite its folder) is created if missing.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var target = services.GetRequiredService<StorageTarget>();
        if (target.Provider == StorageProvider.Sqlite)
        {
            var file = new SqliteConnectionStringBuilder(target.ConnectionString).DataSource;
            var folder = Path.GetDirectoryName(Path.GetFullPath(file));
            if (folder is not null) Directory.CreateDirectory(folder);
        }
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirebreakDb>();
        await db.Database.MigrateAsync(ct);
        if (target.Provider == StorageProvider.Sqlite)
        {
            // WAL is a property of the database file, so setting it once is enough.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
    }
}

/// <summary>
/// synchronous=FULL is per connection: in WAL mode the default (NORMAL) can lose the last commits on
/// power loss, and a 2xx from Firebreak promises that what it acknowledged is on disk.
/// </summary>
internal sealed class SqliteDurability : DbConnectionInterceptor
{
    public static readonly SqliteDurability Instance = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) =>
        Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;";
        command.ExecuteNonQuery();
    }
}
