using Microsoft.EntityFrameworkCore;

namespace Firebreak.Identity;

internal static class IdentityStorage
{
    public static void Map(ModelBuilder model)
    {
        model.Entity<Person>(p =>
        {
            p.ToTable("people");
            p.HasIndex(x => x.Handle).IsUnique();
            p.Property(x => x.Handle).HasMaxLength(32);
            p.Property(x => x.Name).HasMaxLength(200);
            p.Property(x => x.Email).HasMaxLength(320);
            p.Property(x => x.CalendarSecret).HasMaxLength(64);
            p.HasIndex(x => x.CalendarSecret).IsUnique();
        });
        model.Entity<Team>(t =>
        {
            t.ToTable("teams");
            t.HasIndex(x => x.ShortName).IsUnique();
            t.Property(x => x.ShortName).HasMaxLength(16);
            t.Property(x => x.Name).HasMaxLength(200);
        });
        model.Entity<TeamMembership>(m =>
        {
            m.ToTable("team_memberships");
            m.HasKey(x => new { x.TeamId, x.PersonId });
            m.HasOne(x => x.Team).WithMany(t => t.Members).HasForeignKey(x => x.TeamId);
            m.HasOne(x => x.Person).WithMany(p => p.Teams).HasForeignKey(x => x.PersonId);
        });
        model.Entity<ApiToken>(t =>
        {
            t.ToTable("api_tokens");
            t.HasIndex(x => x.Hash).IsUnique();
            t.Property(x => x.Hash).HasMaxLength(64);
            t.Property(x => x.Prefix).HasMaxLength(16);
            t.Property(x => x.Name).HasMaxLength(100);
            t.Property(x => x.Integration).HasMaxLength(100);
            t.HasOne(x => x.Person).WithMany().HasForeignKey(x => x.PersonId);
        });
        model.Entity<AuditEntry>(a =>
        {
            a.ToTable("audit_entries");
            a.HasIndex(x => x.At);
            a.Property(x => x.Actor).HasMaxLength(100);
            a.Property(x => x.Action).HasMaxLength(64);
            a.Property(x => x.Target).HasMaxLength(200);
        });
    }
}
