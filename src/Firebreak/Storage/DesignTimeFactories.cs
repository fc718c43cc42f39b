using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Firebreak.Storage;

// Used only by `dotnet ef migrations add`; the connection strings are never opened.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteFirebreakDb>
{
    public SqliteFirebreakDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteFirebreakDb>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresFirebreakDb>
{
    public PostgresFirebreakDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresFirebreakDb>()
            .UseNpgsql("Host=localhost;Database=design", n => n.MigrationsHistoryTable("__ef_migrations_history"))
            .Options);
}
