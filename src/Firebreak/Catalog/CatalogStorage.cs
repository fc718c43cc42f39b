using Microsoft.EntityFrameworkCore;

namespace Firebreak.Catalog;

internal static class CatalogStorage
{
    public static void Map(ModelBuilder model)
    {
        model.Entity<Service>(s =>
        {
            s.ToTable("services");
            s.HasIndex(x => x.ShortName).IsUnique();
            s.Property(x => x.ShortName).HasMaxLength(48);
            s.Property(x => x.Name).HasMaxLength(200);
            s.Property(x => x.Description).HasMaxLength(2000);
            s.HasOne(x => x.OwnerTeam).WithMany().HasForeignKey(x => x.OwnerTeamId);
            s.Ignore(x => x.CanonicalId);
            s.Property(x => x.EscalationRef).HasMaxLength(200);
            s.Property(x => x.ManagedBy).HasMaxLength(8);
            s.HasMany(x => x.DependsOn).WithOne().HasForeignKey(d => d.ServiceId);
        });
        model.Entity<ServiceDependency>(d =>
        {
            d.ToTable("service_dependencies");
            d.HasKey(x => new { x.ServiceId, x.DependsOnId });
            d.HasOne(x => x.DependsOnService).WithMany().HasForeignKey(x => x.DependsOnId).OnDelete(DeleteBehavior.Restrict);
        });
        model.Entity<AlertPlan>(p =>
        {
            p.ToTable("alert_plans");
            p.HasKey(x => x.AlertName);
            p.Property(x => x.AlertName).HasMaxLength(200);
        });
        model.Entity<RoutingRule>(r =>
        {
            r.ToTable("routing_rules");
            r.Property(x => x.Scenario).HasMaxLength(200);
            r.Property(x => x.TeamShortName).HasMaxLength(16);
        });
        model.Entity<CatalogVersion>(v =>
        {
            v.ToTable("catalog_versions");
            v.Property(x => x.Version).HasMaxLength(80);
            v.Property(x => x.Source).HasMaxLength(1000);
        });
    }
}
