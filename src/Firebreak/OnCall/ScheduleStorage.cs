using Microsoft.EntityFrameworkCore;

namespace Firebreak.OnCall;

internal static class ScheduleStorage
{
    public static void Map(ModelBuilder model)
    {
        model.Entity<Schedule>(s =>
        {
            s.ToTable("schedules");
            s.HasIndex(x => x.Name).IsUnique();
            s.HasIndex(x => x.CalendarSecret).IsUnique();
            s.Property(x => x.Name).HasMaxLength(64);
            s.Property(x => x.TimeZone).HasMaxLength(64);
            s.Property(x => x.CalendarSecret).HasMaxLength(64);
            s.Property(x => x.ManagedBy).HasMaxLength(8);
            s.HasMany(x => x.Layers).WithOne().HasForeignKey(l => l.ScheduleId);
            s.HasMany(x => x.Overrides).WithOne().HasForeignKey(o => o.ScheduleId);
        });
        model.Entity<ScheduleLayer>(l =>
        {
            l.ToTable("schedule_layers");
            l.Property(x => x.Name).HasMaxLength(100);
            l.Property(x => x.TimeZone).HasMaxLength(64);
            l.Property(x => x.Members).HasMaxLength(4000);
            l.Ignore(x => x.MemberHandles);
            // Local wall-clock time, deliberately not an instant: stored as ISO text so no provider shifts it to UTC.
            l.Property(x => x.HandoffAt).HasMaxLength(19).HasConversion(
                v => v.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                v => DateTime.SpecifyKind(DateTime.ParseExact(v, "yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Unspecified));
        });
        model.Entity<EscalationPolicy>(p =>
        {
            p.ToTable("escalation_policies");
            p.HasIndex(x => x.Name).IsUnique();
            p.Property(x => x.Name).HasMaxLength(64);
            p.Property(x => x.ManagedBy).HasMaxLength(8);
            p.Ignore(x => x.StepList);
        });
        model.Entity<ContactMethod>(c =>
        {
            c.ToTable("contact_methods");
            c.Property(x => x.Kind).HasMaxLength(16);
            c.Property(x => x.Address).HasMaxLength(2048);
            c.HasIndex(x => x.PersonId);
        });
        model.Entity<Page>(p =>
        {
            p.ToTable("pages");
            p.Property(x => x.Policy).HasMaxLength(64);
            p.Property(x => x.Summary).HasMaxLength(1024);
            p.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            p.Property(x => x.AcknowledgedBy).HasMaxLength(100);
            p.Property(x => x.AlertGroupKey).HasMaxLength(1024);
            p.HasIndex(x => x.Status);
        });
        model.Entity<PageEvent>(e =>
        {
            e.ToTable("page_events");
            e.Property(x => x.Kind).HasMaxLength(32);
            e.HasIndex(x => new { x.PageId, x.Id });
        });
        model.Entity<Notification>(n =>
        {
            n.ToTable("notifications");
            n.Property(x => x.Handle).HasMaxLength(32);
            n.Property(x => x.Kind).HasMaxLength(16);
            n.Property(x => x.Address).HasMaxLength(2048);
            n.Property(x => x.IdempotencyKey).HasMaxLength(64);
            n.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            n.HasIndex(x => new { x.Status, x.DueAt });
        });
        model.Entity<ScheduleOverride>(o =>
        {
            o.ToTable("schedule_overrides");
            o.Property(x => x.CreatedBy).HasMaxLength(100);
            o.HasOne(x => x.Person).WithMany().HasForeignKey(x => x.PersonId);
            o.HasIndex(x => new { x.ScheduleId, x.EndsAt });
        });
    }
}
