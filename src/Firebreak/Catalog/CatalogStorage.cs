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
        });
    }
}
