using Microsoft.EntityFrameworkCore;

namespace Firebreak.Incidents;

internal static class IncidentStorage
{
    public static void Map(ModelBuilder model)
    {
        model.Entity<Incident>(i =>
        {
            i.ToTable("incidents");
            i.HasKey(x => x.Number);
            i.Property(x => x.Number).ValueGeneratedOnAdd();
            i.Property(x => x.Title).HasMaxLength(300);
            i.Property(x => x.Summary).HasMaxLength(10_000);
            i.Property(x => x.Severity).HasConversion<int>();
            i.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            i.Property(x => x.Version).IsConcurrencyToken();
            i.HasIndex(x => x.Status);
            i.HasIndex(x => x.DeclaredAt);
            i.HasOne(x => x.DeclaredBy).WithMany().HasForeignKey(x => x.DeclaredById).OnDelete(DeleteBehavior.Restrict);
            i.HasMany(x => x.Services).WithOne().HasForeignKey(x => x.IncidentNumber);
            i.HasMany(x => x.Roles).WithOne().HasForeignKey(x => x.IncidentNumber);
            i.HasMany(x => x.Members).WithOne().HasForeignKey(x => x.IncidentNumber);
            i.Ignore(x => x.Id);
            i.Ignore(x => x.IsActive);
        });
        model.Entity<IncidentServiceLink>(s =>
        {
            s.ToTable("incident_services");
            s.HasKey(x => new { x.IncidentNumber, x.ServiceId });
            s.HasOne(x => x.Service).WithMany().HasForeignKey(x => x.ServiceId);
        });
        model.Entity<RoleAssignment>(r =>
        {
            r.ToTable("incident_roles");
            r.HasKey(x => new { x.IncidentNumber, x.Role, x.PersonId });
            r.Property(x => x.Role).HasConversion<string>().HasMaxLength(16);
            r.HasOne(x => x.Person).WithMany().HasForeignKey(x => x.PersonId);
        });
        model.Entity<IncidentMember>(m =>
        {
            m.ToTable("incident_members");
            m.HasKey(x => new { x.IncidentNumber, x.PersonId });
            m.HasOne(x => x.Person).WithMany().HasForeignKey(x => x.PersonId);
        });
        model.Entity<TimelineEvent>(e =>
        {
            e.ToTable("timeline_events");
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(32);
            e.Property(x => x.Actor).HasMaxLength(100);
            e.Property(x => x.Text).HasMaxLength(20_000);
            e.HasIndex(x => new { x.IncidentNumber, x.Id });
            e.HasOne<Incident>().WithMany().HasForeignKey(x => x.IncidentNumber);
        });
        model.Entity<ActionItem>(a =>
        {
            a.ToTable("action_items");
            a.Property(x => x.Title).HasMaxLength(500);
            a.HasIndex(x => x.IncidentNumber);
            a.HasOne<Incident>().WithMany().HasForeignKey(x => x.IncidentNumber);
            a.HasOne(x => x.Owner).WithMany().HasForeignKey(x => x.OwnerId);
        });
    }
}
