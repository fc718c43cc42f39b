using System.Globalization;
using System.Text.Json;

namespace Firebreak.Alerts;

/// <summary>The signals a payload carried, and the alerts in it that could not be accepted (by index).</summary>
public sealed record IntakeParse(List<AlertSignal> Signals, List<RejectedAlert> Rejected)
{
    public static IntakeParse Empty() => new([], []);
}

/// <summary>Turns each sender's payload into <see cref="AlertSignal"/>s. Pure functions: no I/O, no clock but the one given.</summary>
public static class AlertAdapters
{
    public static IntakeParse FromAlertmanager(AlertmanagerWebhook hook, int integrationId, DateTime now)
    {
        var result = IntakeParse.Empty();
        if (hook.Alerts is null) return result;
        var grafana = hook.OrgId is not null || hook.Version == "1";
        for (var i = 0; i < hook.Alerts.Count; i++)
        {
            var alert = hook.Alerts[i];
            if (alert.Labels is not { Count: > 0 } labels)
            {
                result.Rejected.Add(new RejectedAlert(i, "labels are required"));
                continue;
            }
            SignalAction action;
            if (alert.Status == "firing") action = SignalAction.Trigger;
            else if (alert.Status == "resolved") action = SignalAction.Resolve;
            else
            {
                result.Rejected.Add(new RejectedAlert(i, "status must be firing or resolved"));
                continue;
            }
            var fingerprint = string.IsNullOrWhiteSpace(alert.Fingerprint) ? Fingerprints.Of(labels) : alert.Fingerprint.Trim();
            if (fingerprint.Length > AlertSignal.MaxDedupKey)
            {
                result.Rejected.Add(new RejectedAlert(i, "fingerprint is too long"));
                continue;
            }
            var annotations = alert.Annotations ?? [];
            if (grafana)
            {
                annotations = new Dictionary<string, string>(annotations);
                if (!string.IsNullOrEmpty(alert.DashboardUrl)) annotations["dashboardURL"] = alert.DashboardUrl;
                if (!string.IsNullOrEmpty(alert.SilenceUrl)) annotations["silenceURL"] = alert.SilenceUrl;
                if (alert.Values is { Count: > 0 } values) annotations["values"] = JsonSerializer.Serialize(values, WireJson.Default.DictionaryStringString.Options);
            }
            var startsAt = Instant(alert.StartsAt) ?? now;
            result.Signals.Add(new AlertSignal
            {
                IntegrationId = integrationId,
                DedupKey = fingerprint,
                Action = action,
                Source = grafana ? "grafana" : "alertmanager",
                OccurredAt = startsAt,
                EndsAt = Instant(alert.EndsAt),
                Summary = SummaryOf(labels, annotations),
                Severity = Severities.Normalize(labels.GetValueOrDefault("severity")),
                Service = labels.GetValueOrDefault("service"),
                AlertName = labels.GetValueOrDefault("alertname"),
                SenderGroupKey = hook.GroupKey,
                Labels = labels,
                AnnotationsJson = AnnotationsJson(annotations),
                Link = grafana && !string.IsNullOrEmpty(alert.DashboardUrl) ? alert.DashboardUrl : alert.GeneratorUrl,
            });
        }
        return result;
    }

    /// <summary>
    /// Alertmanager API v2: an alert whose endsAt has passed is resolved; otherwise it fires until its
    /// (rolling) endsAt, which Prometheus keeps pushing forward while the rule holds.
    /// </summary>
    public static IntakeParse FromPostableAlerts(List<PostableAlert> alerts, int integrationId, DateTime now)
    {
        var result = IntakeParse.Empty();
        for (var i = 0; i < alerts.Count; i++)
        {
            var alert = alerts[i];
            if (alert?.Labels is not { Count: > 0 } labels)
            {
                result.Rejected.Add(new RejectedAlert(i, "labels are required"));
                continue;
            }
            var endsAt = Instant(alert.EndsAt);
            var resolved = endsAt is { } end && end <= now;
            var annotations = alert.Annotations ?? [];
            result.Signals.Add(new AlertSignal
            {
                IntegrationId = integrationId,
                DedupKey = Fingerprints.Of(labels),
                Action = resolved ? SignalAction.Resolve : SignalAction.Trigger,
                Source = "prometheus",
                OccurredAt = Instant(alert.StartsAt) ?? now,
                EndsAt = endsAt,
                Summary = SummaryOf(labels, annotations),
                Severity = Severities.Normalize(labels.GetValueOrDefault("severity")),
                Service = labels.GetValueOrDefault("service"),
                AlertName = labels.GetValueOrDefault("alertname"),
                Labels = labels,
                AnnotationsJson = AnnotationsJson(annotations),
                Link = alert.GeneratorUrl,
            });
        }
        return result;
    }

    /// <summary>PagerDuty Events API v2. Returns the errors PagerDuty would give, or the signal.</summary>
    public static (AlertSignal? Signal, List<string> Errors) FromPagerDuty(PagerDutyEvent e, int integrationId, DateTime now)
    {
        var errors = new List<string>();
        var action = e.EventAction switch
        {
            "trigger" => SignalAction.Trigger,
            "acknowledge" => SignalAction.Acknowledge,
            "resolve" => SignalAction.Resolve,
            _ => (SignalAction?)null,
        };
        if (action is null) errors.Add("'event_action' is invalid (must be one of: trigger, acknowledge, resolve)");
        if (e.DedupKey is { Length: > 255 }) errors.Add("'dedup_key' is too long (max 255 characters)");
        if (action is SignalAction.Acknowledge or SignalAction.Resolve && string.IsNullOrWhiteSpace(e.DedupKey))
            errors.Add("'dedup_key' is required for acknowledge and resolve events");
        var payload = e.Payload;
        if (action == SignalAction.Trigger)
        {
            if (payload is null) errors.Add("'payload' is missing or null");
            else
            {
                if (string.IsNullOrWhiteSpace(payload.Summary)) errors.Add("'payload.summary' is missing or blank");
                else if (payload.Summary.Length > 1024) errors.Add("'payload.summary' is too long (max 1024 characters)");
                if (string.IsNullOrWhiteSpace(payload.Source)) errors.Add("'payload.source' is missing or blank");
                if (!Severities.IsPagerDutySeverity(payload.Severity))
                    errors.Add("'payload.severity' is invalid (must be one of: critical, error, warning, info)");
                if (payload.Timestamp is not null && ParseTimestamp(payload.Timestamp) is null)
                    errors.Add("'payload.timestamp' is not a valid ISO 8601 timestamp");
            }
        }
        if (errors.Count > 0) return (null, errors);

        var dedupKey = string.IsNullOrWhiteSpace(e.DedupKey) ? Guid.NewGuid().ToString("N") : e.DedupKey.Trim();
        if (action != SignalAction.Trigger)
        {
            return (UpdateOnly(integrationId, dedupKey, action!.Value, "pagerduty", now), errors);
        }
        var labels = new Dictionary<string, string> { ["source"] = payload!.Source!, ["severity"] = payload.Severity! };
        if (!string.IsNullOrEmpty(payload.Component)) labels["component"] = payload.Component;
        if (!string.IsNullOrEmpty(payload.Group)) labels["group"] = payload.Group;
        if (!string.IsNullOrEmpty(payload.Class)) labels["class"] = payload.Class;
        var annotations = new Dictionary<string, string>();
        if (payload.CustomDetails is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } details)
            annotations["custom_details"] = details.GetRawText();
        if (e.Links is { Count: > 0 } links)
            annotations["links"] = string.Join('\n', links.Where(l => l.Href is not null).Select(l => $"{l.Text} {l.Href}".Trim()));
        if (!string.IsNullOrEmpty(e.Client)) annotations["client"] = e.Client;
        var service = payload.Component;
        if (service is null && payload.CustomDetails is { ValueKind: JsonValueKind.Object } cd && cd.TryGetProperty("service", out var s) && s.ValueKind == JsonValueKind.String)
            service = s.GetString();
        return (new AlertSignal
        {
            IntegrationId = integrationId,
            DedupKey = dedupKey,
            Action = SignalAction.Trigger,
            Source = "pagerduty",
            // Each trigger is an occurrence: PagerDuty counts repeated triggers on an open alert.
            OccurredAt = ParseTimestamp(payload.Timestamp) ?? now,
            Summary = payload.Summary!.Trim(),
            Severity = payload.Severity!,
            Service = service,
            AlertName = payload.Class,
            Labels = labels,
            AnnotationsJson = AnnotationsJson(annotations),
            Link = e.Links?.FirstOrDefault()?.Href ?? e.ClientUrl,
        }, errors);
    }

    public static (AlertSignal? Signal, string? Error) FromOpsgenie(OpsgenieAlert alert, int integrationId, DateTime now)
    {
        if (string.IsNullOrWhiteSpace(alert.Message)) return (null, "message is required");
        if (alert.Alias is { Length: > AlertSignal.MaxDedupKey }) return (null, "alias is longer than 512 characters");
        var severity = alert.Priority switch
        {
            null or "" or "P3" => Severities.Warning,
            "P1" => Severities.Critical,
            "P2" => Severities.Error,
            "P4" or "P5" => Severities.Info,
            _ => null,
        };
        if (severity is null) return (null, "priority must be one of P1, P2, P3, P4, P5");
        var labels = new Dictionary<string, string> { ["priority"] = string.IsNullOrEmpty(alert.Priority) ? "P3" : alert.Priority };
        if (!string.IsNullOrEmpty(alert.Entity)) labels["entity"] = alert.Entity;
        if (!string.IsNullOrEmpty(alert.Source)) labels["source"] = alert.Source;
        if (alert.Tags is { Count: > 0 } tags) labels["tags"] = string.Join(',', tags);
        var details = alert.Details ?? [];
        var annotations = new Dictionary<string, string>(details);
        if (!string.IsNullOrEmpty(alert.Description)) annotations["description"] = alert.Description;
        if (!string.IsNullOrEmpty(alert.Note)) annotations["note"] = alert.Note;
        return (new AlertSignal
        {
            IntegrationId = integrationId,
            DedupKey = string.IsNullOrWhiteSpace(alert.Alias) ? Guid.NewGuid().ToString("N") : alert.Alias.Trim(),
            Action = SignalAction.Trigger,
            Source = "opsgenie",
            OccurredAt = now,
            Summary = AlertSignal.Truncate(alert.Message.Trim(), AlertSignal.MaxSummary),
            Severity = severity,
            Service = details.GetValueOrDefault("service") ?? alert.Entity,
            AlertName = details.GetValueOrDefault("alertname"),
            Labels = labels,
            AnnotationsJson = AnnotationsJson(annotations),
        }, null);
    }

    public static AlertSignal OpsgenieAction(string alias, SignalAction action, int integrationId, DateTime now) =>
        UpdateOnly(integrationId, alias, action, "opsgenie", now);

    public static IntakeParse FromGeneric(IReadOnlyList<GenericAlert> alerts, int integrationId, DateTime now)
    {
        var result = IntakeParse.Empty();
        for (var i = 0; i < alerts.Count; i++)
        {
            var alert = alerts[i];
            if (alert is null)
            {
                result.Rejected.Add(new RejectedAlert(i, "an alert object is required"));
                continue;
            }
            var action = alert.Action?.Trim().ToLowerInvariant() switch
            {
                null or "" or "trigger" or "firing" => SignalAction.Trigger,
                "acknowledge" or "ack" => SignalAction.Acknowledge,
                "resolve" or "resolved" or "close" => SignalAction.Resolve,
                _ => (SignalAction?)null,
            };
            if (action is null)
            {
                result.Rejected.Add(new RejectedAlert(i, "action must be trigger, acknowledge or resolve"));
                continue;
            }
            var dedupKey = (alert.DedupKey ?? alert.Dedup)?.Trim();
            if (dedupKey is { Length: > AlertSignal.MaxDedupKey })
            {
                result.Rejected.Add(new RejectedAlert(i, "dedupKey is longer than 512 characters"));
                continue;
            }
            if (action != SignalAction.Trigger)
            {
                if (string.IsNullOrEmpty(dedupKey))
                {
                    result.Rejected.Add(new RejectedAlert(i, "dedupKey is required to acknowledge or resolve"));
                    continue;
                }
                result.Signals.Add(UpdateOnly(integrationId, dedupKey, action.Value, "generic", now));
                continue;
            }
            if (string.IsNullOrWhiteSpace(alert.Summary))
            {
                result.Rejected.Add(new RejectedAlert(i, "summary is required"));
                continue;
            }
            var severity = Severities.Normalize(alert.Severity);
            var labels = new Dictionary<string, string>(alert.Labels ?? []) { ["severity"] = severity };
            if (!string.IsNullOrWhiteSpace(alert.Service)) labels["service"] = alert.Service.Trim();
            var annotations = new Dictionary<string, string>();
            if (alert.Details is { } details && details.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
                annotations["details"] = details.ValueKind == JsonValueKind.String ? details.GetString()! : details.GetRawText();
            result.Signals.Add(new AlertSignal
            {
                IntegrationId = integrationId,
                // Without a dedup key every trigger is its own alert: alerts are never merged because their text matches.
                DedupKey = string.IsNullOrEmpty(dedupKey) ? Guid.NewGuid().ToString("N") : dedupKey,
                Action = SignalAction.Trigger,
                Source = "generic",
                OccurredAt = Instant(alert.Timestamp) ?? now,
                Summary = AlertSignal.Truncate(alert.Summary.Trim(), AlertSignal.MaxSummary),
                Severity = severity,
                Service = labels.GetValueOrDefault("service"),
                AlertName = labels.GetValueOrDefault("alertname"),
                Labels = labels,
                AnnotationsJson = AnnotationsJson(annotations),
                Link = alert.Link,
            });
        }
        return result;
    }

    /// <summary>An acknowledge or resolve by key: it touches an open alert and carries nothing else.</summary>
    private static AlertSignal UpdateOnly(int integrationId, string dedupKey, SignalAction action, string source, DateTime now) => new()
    {
        IntegrationId = integrationId, DedupKey = dedupKey, Action = action, Source = source, OccurredAt = now,
        Summary = "", Severity = Severities.Info, Labels = new Dictionary<string, string>(), UpdateOnly = true,
    };

    private static string? AnnotationsJson(Dictionary<string, string> annotations) =>
        annotations.Count == 0 ? null : JsonSerializer.Serialize(annotations, WireJson.Default.DictionaryStringString);

    private static string SummaryOf(IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> annotations)
    {
        var text = annotations.GetValueOrDefault("summary") ?? annotations.GetValueOrDefault("description")
            ?? labels.GetValueOrDefault("alertname") ?? "alert";
        return AlertSignal.Truncate(text, AlertSignal.MaxSummary);
    }

    /// <summary>Alertmanager's zero time (0001-01-01) means "not set".</summary>
    private static DateTime? Instant(DateTimeOffset? value) =>
        value is { } v && v.Year > 1 ? v.UtcDateTime : null;

    /// <summary>PagerDuty writes offsets without a colon (<c>+0000</c>); both forms are ISO 8601.</summary>
    public static DateTime? ParseTimestamp(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)) return parsed.UtcDateTime;
        string[] formats = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzz00", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'+0000'"];
        var normalized = text.Length > 5 && (text[^5] == '+' || text[^5] == '-') ? text[..^2] + ":" + text[^2..] : text;
        return DateTimeOffset.TryParseExact(normalized, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out parsed)
            ? parsed.UtcDateTime
            : null;
    }
}
