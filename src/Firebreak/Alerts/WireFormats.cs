using System.Text.Json;
using System.Text.Json.Serialization;

namespace Firebreak.Alerts;

// The senders' own payloads, field for field (see shared/reference/wire-formats.md). Unknown fields are
// ignored so that newer senders keep working; required fields are checked when normalising.

/// <summary>Alertmanager webhook (version 4) and Grafana's superset of it (version 1 with orgId).</summary>
public sealed class AlertmanagerWebhook
{
    [JsonPropertyName("version")] public string? Version { get; set; }
    [JsonPropertyName("groupKey")] public string? GroupKey { get; set; }
    [JsonPropertyName("status")] public string? Status { get; set; }
    [JsonPropertyName("receiver")] public string? Receiver { get; set; }
    [JsonPropertyName("groupLabels")] public Dictionary<string, string>? GroupLabels { get; set; }
    [JsonPropertyName("commonLabels")] public Dictionary<string, string>? CommonLabels { get; set; }
    [JsonPropertyName("commonAnnotations")] public Dictionary<string, string>? CommonAnnotations { get; set; }
    [JsonPropertyName("externalURL")] public string? ExternalUrl { get; set; }
    [JsonPropertyName("truncatedAlerts")] public int TruncatedAlerts { get; set; }
    [JsonPropertyName("orgId")] public long? OrgId { get; set; }
    [JsonPropertyName("title")] public string? Title { get; set; }
    [JsonPropertyName("state")] public string? State { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    [JsonPropertyName("alerts")] public List<AlertmanagerAlert>? Alerts { get; set; }
}

public sealed class AlertmanagerAlert
{
    [JsonPropertyName("status")] public string? Status { get; set; }
    [JsonPropertyName("labels")] public Dictionary<string, string>? Labels { get; set; }
    [JsonPropertyName("annotations")] public Dictionary<string, string>? Annotations { get; set; }
    [JsonPropertyName("startsAt")] public DateTimeOffset? StartsAt { get; set; }
    [JsonPropertyName("endsAt")] public DateTimeOffset? EndsAt { get; set; }
    [JsonPropertyName("generatorURL")] public string? GeneratorUrl { get; set; }
    [JsonPropertyName("fingerprint")] public string? Fingerprint { get; set; }
    // Grafana's additions.
    [JsonPropertyName("dashboardURL")] public string? DashboardUrl { get; set; }
    [JsonPropertyName("silenceURL")] public string? SilenceUrl { get; set; }
    [JsonPropertyName("panelURL")] public string? PanelUrl { get; set; }
    [JsonPropertyName("values")] public Dictionary<string, JsonElement>? Values { get; set; }
}

/// <summary>One element of Alertmanager API v2's <c>POST /api/v2/alerts</c> array (what Prometheus sends).</summary>
public sealed class PostableAlert
{
    [JsonPropertyName("labels")] public Dictionary<string, string>? Labels { get; set; }
    [JsonPropertyName("annotations")] public Dictionary<string, string>? Annotations { get; set; }
    [JsonPropertyName("startsAt")] public DateTimeOffset? StartsAt { get; set; }
    [JsonPropertyName("endsAt")] public DateTimeOffset? EndsAt { get; set; }
    [JsonPropertyName("generatorURL")] public string? GeneratorUrl { get; set; }
}

/// <summary>PagerDuty Events API v2 alert event.</summary>
public sealed class PagerDutyEvent
{
    [JsonPropertyName("routing_key")] public string? RoutingKey { get; set; }
    [JsonPropertyName("event_action")] public string? EventAction { get; set; }
    [JsonPropertyName("dedup_key")] public string? DedupKey { get; set; }
    [JsonPropertyName("payload")] public PagerDutyPayload? Payload { get; set; }
    [JsonPropertyName("links")] public List<PagerDutyLink>? Links { get; set; }
    [JsonPropertyName("images")] public List<JsonElement>? Images { get; set; }
    [JsonPropertyName("client")] public string? Client { get; set; }
    [JsonPropertyName("client_url")] public string? ClientUrl { get; set; }
}

public sealed class PagerDutyPayload
{
    [JsonPropertyName("summary")] public string? Summary { get; set; }
    [JsonPropertyName("source")] public string? Source { get; set; }
    [JsonPropertyName("severity")] public string? Severity { get; set; }
    [JsonPropertyName("timestamp")] public string? Timestamp { get; set; }
    [JsonPropertyName("component")] public string? Component { get; set; }
    [JsonPropertyName("group")] public string? Group { get; set; }
    [JsonPropertyName("class")] public string? Class { get; set; }
    [JsonPropertyName("custom_details")] public JsonElement? CustomDetails { get; set; }
}

public sealed class PagerDutyLink
{
    [JsonPropertyName("href")] public string? Href { get; set; }
    [JsonPropertyName("text")] public string? Text { get; set; }
}

/// <summary>PagerDuty change event (<c>/v2/change/enqueue</c>).</summary>
public sealed class PagerDutyChangeEvent
{
    [JsonPropertyName("routing_key")] public string? RoutingKey { get; set; }
    [JsonPropertyName("payload")] public PagerDutyPayload? Payload { get; set; }
    [JsonPropertyName("links")] public List<PagerDutyLink>? Links { get; set; }
}

/// <summary>Opsgenie Alert API v2 create request.</summary>
public sealed class OpsgenieAlert
{
    [JsonPropertyName("message")] public string? Message { get; set; }
    [JsonPropertyName("alias")] public string? Alias { get; set; }
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("priority")] public string? Priority { get; set; }
    [JsonPropertyName("tags")] public List<string>? Tags { get; set; }
    [JsonPropertyName("details")] public Dictionary<string, string>? Details { get; set; }
    [JsonPropertyName("entity")] public string? Entity { get; set; }
    [JsonPropertyName("source")] public string? Source { get; set; }
    [JsonPropertyName("user")] public string? User { get; set; }
    [JsonPropertyName("note")] public string? Note { get; set; }
}

/// <summary>Opsgenie close/acknowledge body.</summary>
public sealed class OpsgenieAction
{
    [JsonPropertyName("source")] public string? Source { get; set; }
    [JsonPropertyName("user")] public string? User { get; set; }
    [JsonPropertyName("note")] public string? Note { get; set; }
}

/// <summary>
/// Firebreak's generic format, for anything that can POST JSON:
/// <c>{"summary": "...", "severity": "critical|error|warning|info", "service": "checkout", "dedupKey": "...",
/// "details": {...}, "action": "trigger|acknowledge|resolve", "labels": {...}, "link": "..."}</c>.
/// GoAlert's <c>dedup</c> and <c>action: "close"</c> are accepted too.
/// </summary>
public sealed class GenericAlert
{
    [JsonPropertyName("summary")] public string? Summary { get; set; }
    [JsonPropertyName("severity")] public string? Severity { get; set; }
    [JsonPropertyName("service")] public string? Service { get; set; }
    [JsonPropertyName("dedupKey")] public string? DedupKey { get; set; }
    [JsonPropertyName("dedup")] public string? Dedup { get; set; }
    [JsonPropertyName("details")] public JsonElement? Details { get; set; }
    [JsonPropertyName("action")] public string? Action { get; set; }
    [JsonPropertyName("labels")] public Dictionary<string, string>? Labels { get; set; }
    [JsonPropertyName("link")] public string? Link { get; set; }
    [JsonPropertyName("timestamp")] public DateTimeOffset? Timestamp { get; set; }
}

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(AlertmanagerWebhook))]
[JsonSerializable(typeof(List<PostableAlert>))]
[JsonSerializable(typeof(PagerDutyEvent))]
[JsonSerializable(typeof(PagerDutyChangeEvent))]
[JsonSerializable(typeof(OpsgenieAlert))]
[JsonSerializable(typeof(OpsgenieAction))]
[JsonSerializable(typeof(GenericAlert))]
[JsonSerializable(typeof(List<GenericAlert>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(IntakeAccepted))]
[JsonSerializable(typeof(PagerDutyAccepted))]
[JsonSerializable(typeof(PagerDutyError))]
[JsonSerializable(typeof(OpsgenieAccepted))]
internal sealed partial class WireJson : JsonSerializerContext;

/// <summary>What Firebreak's own intake endpoints answer: the dedup keys stored, and what was rejected.</summary>
public sealed record IntakeAccepted(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("accepted")] int Accepted,
    [property: JsonPropertyName("dedupKeys")] IReadOnlyList<string> DedupKeys,
    [property: JsonPropertyName("rejected")] IReadOnlyList<RejectedAlert> Rejected);

public sealed record RejectedAlert(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("reason")] string Reason);

public sealed record PagerDutyAccepted(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("dedup_key")] string? DedupKey);

public sealed record PagerDutyError(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("errors")] IReadOnlyList<string> Errors);

public sealed record OpsgenieAccepted(
    [property: JsonPropertyName("result")] string Result,
    [property: JsonPropertyName("took")] double Took,
    [property: JsonPropertyName("requestId")] string RequestId);
