using Microsoft.EntityFrameworkCore;

namespace Firebreak.Comms;

internal static class CommsStorage
{
    public static void Map(ModelBuilder model)
    {
        model.Entity<Delivery>(d =>
        {
            d.ToTable("deliveries");
            d.Property(x => x.Purpose).HasMaxLength(32);
            d.Property(x => x.Kind).HasMaxLength(16);
            d.Property(x => x.Address).HasMaxLength(2048);
            d.Property(x => x.Subject).HasMaxLength(300);
            d.Property(x => x.IdempotencyKey).HasMaxLength(128);
            d.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            d.HasIndex(x => x.IdempotencyKey).IsUnique();
            d.HasIndex(x => new { x.Status, x.DueAt });
        });
        model.Entity<StatusComponent>(c =>
        {
            c.ToTable("status_components");
            c.Property(x => x.Key).HasMaxLength(64);
            c.Property(x => x.Name).HasMaxLength(200);
            c.Property(x => x.Description).HasMaxLength(1000);
            c.Property(x => x.Status).HasConversion<string>().HasMaxLength(32);
            c.HasIndex(x => x.Key).IsUnique();
            c.HasOne(x => x.Service).WithMany().HasForeignKey(x => x.ServiceId).OnDelete(DeleteBehavior.SetNull);
        });
        model.Entity<ComponentStatusChange>(c =>
        {
            c.ToTable("component_status_changes");
            c.Property(x => x.Status).HasConversion<string>().HasMaxLength(32);
            c.HasIndex(x => new { x.ComponentId, x.At });
            c.HasOne<StatusComponent>().WithMany().HasForeignKey(x => x.ComponentId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<PublicIncident>(p =>
        {
            p.ToTable("public_incidents");
            p.Property(x => x.Title).HasMaxLength(300);
            p.Property(x => x.Status).HasMaxLength(32);
            p.Property(x => x.Impact).HasConversion<string>().HasMaxLength(16);
            p.HasIndex(x => x.IncidentNumber);
            p.HasIndex(x => x.UpdatedAt);
            p.HasMany(x => x.Components).WithOne().HasForeignKey(x => x.PublicIncidentId).OnDelete(DeleteBehavior.Cascade);
            p.HasMany(x => x.Updates).WithOne().HasForeignKey(x => x.PublicIncidentId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<PublicIncidentComponent>(p =>
        {
            p.ToTable("public_incident_components");
            p.HasKey(x => new { x.PublicIncidentId, x.ComponentId });
            p.HasOne(x => x.Component).WithMany().HasForeignKey(x => x.ComponentId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<PublicUpdate>(u =>
        {
            u.ToTable("public_updates");
            u.Property(x => x.Status).HasMaxLength(32);
            u.Property(x => x.Body).HasMaxLength(5000);
            u.HasIndex(x => x.CreatedAt);
        });
        model.Entity<Subscriber>(s =>
        {
            s.ToTable("status_subscribers");
            s.Property(x => x.Kind).HasMaxLength(16);
            s.Property(x => x.Address).HasMaxLength(2048);
            s.Property(x => x.ConfirmTokenHash).HasMaxLength(64);
            s.Property(x => x.UnsubscribeToken).HasMaxLength(64);
            s.HasIndex(x => new { x.Kind, x.Address }).IsUnique();
            s.HasIndex(x => x.UnsubscribeToken).IsUnique();
        });
    }
}
