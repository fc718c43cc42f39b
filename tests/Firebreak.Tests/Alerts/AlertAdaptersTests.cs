using System.Text.Json;
using Firebreak.Alerts;

namespace Firebreak.Tests.Alerts;

public class AlertAdaptersTests
{
    private static readonly DateTime Now = new(2026, 11, 24, 14, 0, 0, DateTimeKind.Utc);

    private static AlertmanagerWebhook Webhook(string json) => JsonSerializer.Deserialize(json, WireJson.Default.AlertmanagerWebhook)!;

    [Fact]
    public void An_alertmanager_payload_mixing_firing_and_resolved_alerts_resolves_per_fingerprint()
    {
        var hook = Webhook("""
            {"version":"4","groupKey":"{}:{alertname=\"InstanceDown\"}","status":"firing","alerts":[
              {"status":"firing","labels":{"alertname":"InstanceDown","instance":"a","severity":"critical","service":"checkout"},
               "annotations":{"summary":"a is down"},"startsAt":"2026-11-24T13:00:00Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"fa"},
              {"status":"resolved","labels":{"alertname":"InstanceDown","instance":"b"},"annotations":{},
               "startsAt":"2026-11-24T12:00:00Z","endsAt":"2026-11-24T13:30:00Z","fingerprint":"fb"}]}
            """);

        var parse = AlertAdapters.FromAlertmanager(hook, 7, Now);

        parse.Rejected.ShouldBeEmpty();
        var (firing, resolved) = (parse.Signals[0], parse.Signals[1]);
        firing.Action.ShouldBe(SignalAction.Trigger);
        firing.DedupKey.ShouldBe("fa");
        firing.Severity.ShouldBe("critical");
        firing.Service.ShouldBe("checkout");
        firing.Summary.ShouldBe("a is down");
        firing.EndsAt.ShouldBeNull("Alertmanager's zero time means no end");
        firing.Source.ShouldBe("alertmanager");
        resolved.Action.ShouldBe(SignalAction.Resolve);
        resolved.DedupKey.ShouldBe("fb");
        resolved.OccurredAt.ShouldBe(new DateTime(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc));
        resolved.Summary.ShouldBe("InstanceDown", "without a summary the alertname stands in");
    }

    [Fact]
    public void Grafana_payloads_are_recognised_and_keep_their_dashboard_link()
    {
        var hook = Webhook("""
            {"receiver":"fb","status":"firing","orgId":1,"version":"1","alerts":[{"status":"firing","labels":{"alertname":"High memory"},
             "annotations":{},"startsAt":"2026-11-24T13:00:00+02:00","fingerprint":"c6","dashboardURL":"https://grafana/d/1","values":{"B":44.2}}]}
            """);

        var signal = AlertAdapters.FromAlertmanager(hook, 1, Now).Signals.Single();

        signal.Source.ShouldBe("grafana");
        signal.Link.ShouldBe("https://grafana/d/1");
        signal.OccurredAt.ShouldBe(new DateTime(2026, 11, 24, 11, 0, 0, DateTimeKind.Utc));
        signal.AnnotationsJson!.ShouldContain("44.2");
    }

    [Fact]
    public void Alerts_without_labels_or_with_an_unknown_status_are_rejected_by_index_and_the_rest_kept()
    {
        var hook = Webhook("""
            {"version":"4","alerts":[{"status":"firing","labels":{}},{"status":"pending","labels":{"a":"b"}},
             {"status":"firing","labels":{"alertname":"X"}}]}
            """);

        var parse = AlertAdapters.FromAlertmanager(hook, 1, Now);

        parse.Rejected.Select(r => r.Index).ShouldBe([0, 1]);
        parse.Signals.Single().AlertName.ShouldBe("X");
        parse.Signals.Single().DedupKey.ShouldBe(Fingerprints.Of(new Dictionary<string, string> { ["alertname"] = "X" }));
    }

    [Fact]
    public void A_label_set_fingerprint_does_not_depend_on_label_order_and_differs_by_value()
    {
        var a = Fingerprints.Of(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" });
        var b = Fingerprints.Of(new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" });
        var c = Fingerprints.Of(new Dictionary<string, string> { ["a"] = "1", ["b"] = "3" });
        a.ShouldBe(b);
        a.ShouldNotBe(c);
        a.Length.ShouldBe(16);
    }

    [Fact]
    public void Alertmanager_api_alerts_whose_end_has_passed_are_resolved()
    {
        var alerts = new List<PostableAlert>
        {
            new() { Labels = new() { ["alertname"] = "Up" }, StartsAt = Now.AddMinutes(-10), EndsAt = Now.AddMinutes(3) },
            new() { Labels = new() { ["alertname"] = "Down" }, StartsAt = Now.AddMinutes(-10), EndsAt = Now.AddMinutes(-1) },
        };
        var parse = AlertAdapters.FromPostableAlerts(alerts, 1, Now);
        parse.Signals.Select(s => s.Action).ShouldBe([SignalAction.Trigger, SignalAction.Resolve]);
        parse.Signals[0].Source.ShouldBe("prometheus");
    }

    [Fact]
    public void PagerDuty_events_are_validated_as_PagerDuty_does()
    {
        var (signal, errors) = AlertAdapters.FromPagerDuty(new PagerDutyEvent { EventAction = "trigger", Payload = new PagerDutyPayload { Summary = "x", Severity = "bad" } }, 1, Now);
        signal.ShouldBeNull();
        errors.ShouldContain(e => e.Contains("payload.source"));
        errors.ShouldContain(e => e.Contains("payload.severity"));

        AlertAdapters.FromPagerDuty(new PagerDutyEvent { EventAction = "snooze" }, 1, Now).Errors.ShouldContain(e => e.Contains("event_action"));
        AlertAdapters.FromPagerDuty(new PagerDutyEvent { EventAction = "resolve" }, 1, Now).Errors.ShouldContain(e => e.Contains("dedup_key"));
    }

    [Fact]
    public void A_PagerDuty_trigger_without_a_dedup_key_gets_one_and_its_timestamp_is_read()
    {
        var (signal, errors) = AlertAdapters.FromPagerDuty(new PagerDutyEvent
        {
            EventAction = "trigger",
            Payload = new PagerDutyPayload { Summary = "Disk full", Source = "db-1", Severity = "critical", Component = "orders-db", Timestamp = "2015-07-17T08:42:58.315+0000" },
        }, 1, Now);
        errors.ShouldBeEmpty();
        signal!.DedupKey.Length.ShouldBe(32);
        signal.Service.ShouldBe("orders-db");
        signal.OccurredAt.ShouldBe(new DateTime(2015, 7, 17, 8, 42, 58, 315, DateTimeKind.Utc));
    }

    [Theory]
    [InlineData("P1", "critical")]
    [InlineData("P2", "error")]
    [InlineData(null, "warning")]
    [InlineData("P5", "info")]
    public void Opsgenie_priorities_map_to_severities(string? priority, string severity) =>
        AlertAdapters.FromOpsgenie(new OpsgenieAlert { Message = "m", Priority = priority }, 1, Now).Signal!.Severity.ShouldBe(severity);

    [Fact]
    public void Generic_alerts_without_a_dedup_key_are_never_merged_even_with_the_same_text()
    {
        var alerts = new List<GenericAlert> { new() { Summary = "same" }, new() { Summary = "same" } };
        var parse = AlertAdapters.FromGeneric(alerts, 1, Now);
        parse.Signals[0].DedupKey.ShouldNotBe(parse.Signals[1].DedupKey);
    }

    [Theory]
    [InlineData("critical", AlertTier.Page)]
    [InlineData("error", AlertTier.Page)]
    [InlineData("warning", AlertTier.Ticket)]
    [InlineData("info", AlertTier.Fyi)]
    public void The_default_tier_follows_severity(string severity, AlertTier tier) =>
        Severities.DefaultTier(severity).ShouldBe(tier);

    [Fact]
    public void Tier_rules_from_yaml_override_the_default_and_matchers_support_regex()
    {
        var rules = AlertRules.Parse("""
            grouping:
              by: [team]
              wait: 5s
              interval: 2m
            tiers:
              - match: ["team=~db.*", "severity=warning"]
                tier: page
            autoDeclare:
              - name: db-page
                match: ["team=dba"]
                severity: SEV1
            """);
        var signal = new AlertSignal
        {
            IntegrationId = 1, DedupKey = "k", Action = SignalAction.Trigger, Source = "generic", OccurredAt = Now, Summary = "s",
            Severity = "warning", Labels = new Dictionary<string, string> { ["team"] = "dba", ["severity"] = "warning" },
        };
        rules.TierOf(signal).ShouldBe(AlertTier.Page);
        rules.GroupKeyOf(signal).ShouldBe("team=dba");
        rules.Grouping.Wait.ShouldBe(TimeSpan.FromSeconds(5));
        rules.AutoDeclare.Single().Severity.ShouldBe(Firebreak.Incidents.Severity.Sev1);
    }

    [Fact]
    public void A_broken_rules_file_names_the_problem() =>
        Should.Throw<FormatException>(() => AlertRules.Parse("tiers:\n  - match: [\"team=~(\"]\n    tier: page\n"))
            .Message.ShouldContain("regular expression");
}
