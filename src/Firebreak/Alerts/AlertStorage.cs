using Microsoft.EntityFrameworkCore;

namespace Firebreak.Alerts;

internal static class AlertStorage
{
    public static void Map(ModelBuilder model)
    {
        model.Entity<Integration>(i =>
        {
            i.ToTable("integrations");
            i.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
            i.Property(x => x.Name).HasMaxLength(100);
            i.Property(x => x.KeyHash).HasMaxLength(64);
            i.Property(x => x.KeyPrefix).HasMaxLength(16);
            i.Property(x => x.SigningSecret).HasMaxLength(200);
            i.HasIndex(x => x.KeyHash).IsUnique();
        });
        // Column names are spelled out: the intake writer addresses them in hand-written SQL on both providers.
        model.Entity<Alert>(a =>
        {
            a.ToTable("alerts");
            a.Property(x => x.Id).HasColumnName("id");
            a.Property(x => x.IntegrationId).HasColumnName("integration_id");
            a.Property(x => x.DedupKey).HasColumnName("dedup_key").HasMaxLength(512);
            a.Property(x => x.Status).HasColumnName("status").HasMaxLength(16);
            a.Property(x => x.Tier).HasColumnName("tier").HasConversion<string>().HasMaxLength(8);
            a.Property(x => x.Severity).HasColumnName("severity").HasMaxLength(16);
            a.Property(x => x.Summary).HasColumnName("summary").HasMaxLength(1024);
            a.Property(x => x.Service).HasColumnName("service").HasMaxLength(100);
            a.Property(x => x.AlertName).HasColumnName("alert_name").HasMaxLength(200);
            a.Property(x => x.GroupKey).HasColumnName("group_key").HasMaxLength(1024);
            a.Property(x => x.Labels).HasColumnName("labels");
            a.Property(x => x.Annotations).HasColumnName("annotations");
            a.Property(x => x.Link).HasColumnName("link").HasMaxLength(2048);
            a.Property(x => x.Source).HasColumnName("source").HasMaxLength(16);
            a.Property(x => x.FirstSeenAt).HasColumnName("first_seen_at");
            a.Property(x => x.LastSeenAt).HasColumnName("last_seen_at");
            a.Property(x => x.OccurrenceAt).HasColumnName("occurrence_at");
            a.Property(x => x.Occurrences).HasColumnName("occurrences");
            a.Property(x => x.EndsAt).HasColumnName("ends_at");
            a.Property(x => x.AcknowledgedAt).HasColumnName("acknowledged_at");
            a.Property(x => x.ResolvedAt).HasColumnName("resolved_at");
            a.Property(x => x.SilenceId).HasColumnName("silence_id");
            a.Property(x => x.ChangedAt).HasColumnName("changed_at");
            a.HasIndex(x => new { x.IntegrationId, x.DedupKey }).IsUnique();
            a.HasIndex(x => x.GroupKey);
        });
        model.Entity<AlertGroup>(g =>
        {
            g.ToTable("alert_groups");
            g.Property(x => x.Id).HasColumnName("id");
            g.Property(x => x.GroupKey).HasColumnName("group_key").HasMaxLength(1024);
            g.Property(x => x.Title).HasColumnName("title").HasMaxLength(1024);
            g.Property(x => x.Service).HasColumnName("service").HasMaxLength(100);
            g.Property(x => x.FirstSeenAt).HasColumnName("first_seen_at");
            g.Property(x => x.LastChangeAt).HasColumnName("last_change_at");
            g.Property(x => x.ChangeSeq).HasColumnName("change_seq");
            g.Property(x => x.NeedsTriage).HasColumnName("needs_triage");
            g.Property(x => x.NotifiedAt).HasColumnName("notified_at");
            g.Property(x => x.IncidentNumber).HasColumnName("incident_number");
            g.Property(x => x.PageId).HasColumnName("page_id");
            g.HasIndex(x => x.GroupKey).IsUnique();
            g.HasIndex(x => x.NeedsTriage);
        });
        model.Entity<Silence>(s =>
        {
            s.ToTable("silences");
            s.Property(x => x.Matchers).HasMaxLength(4000);
            s.Property(x => x.CreatedBy).HasMaxLength(100);
            s.Property(x => x.Comment).HasMaxLength(2000);
            s.HasIndex(x => x.EndsAt);
        });
        model.Entity<ChangeEvent>(c =>
        {
            c.ToTable("change_events");
            c.Property(x => x.Summary).HasMaxLength(1024);
            c.Property(x => x.Source).HasMaxLength(512);
            c.Property(x => x.Service).HasMaxLength(100);
            c.HasIndex(x => x.OccurredAt);
            c.HasIndex(x => new { x.Service, x.OccurredAt });
            c.Property(x => x.Kind).HasMaxLength(16);
            c.Property(x => x.Version).HasMaxLength(200);
            c.Property(x => x.Commit).HasMaxLength(64);
            c.Property(x => x.Author).HasMaxLength(200);
            c.Property(x => x.Link).HasMaxLength(2048);
            c.Property(x => x.RecordedBy).HasMaxLength(100);
        });
    }
}
