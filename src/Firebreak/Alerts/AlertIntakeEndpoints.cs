using System.Buffers;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Firebreak.Catalog;
using Firebreak.Hosting;
using Firebreak.Storage;
using Microsoft.AspNetCore.Mvc;

namespace Firebreak.Alerts;

/// <summary>What every intake handler needs, gathered so handlers take one parameter.</summary>
public sealed class AlertIntake(IntegrationKeys keys, AlertQueue queue, IntakeOptions options, AlertRules rules,
    SilenceSet silences, ServiceDirectory services, TimeProvider clock, IServiceScopeFactory scopes)
{
    public IntegrationKeys Keys => keys;
    public IntakeOptions Options => options;
    public IServiceScopeFactory Scopes => scopes;
    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Classifies, groups and checks silences for each signal, then waits until they are committed.</summary>
    public async Task<StoreOutcome> StoreAsync(List<AlertSignal> signals, CancellationToken ct)
    {
        if (signals.Count == 0) return StoreOutcome.Stored;
        if (silences.IsStale) await silences.ReloadAsync(ct);
        await services.RefreshIfStaleAsync(ct);
        var now = Now;
        foreach (var signal in signals)
        {
            if (signal.UpdateOnly) continue;
            if (services.Find(signal.Service) is { } service) signal.Service = service.ShortName;
            signal.Tier = rules.TierOf(signal);
            signal.GroupKey = rules.GroupKeyOf(signal);
            signal.SilenceId = silences.Match(signal.Labels, now);
            signal.LabelsJson = JsonSerializer.Serialize(signal.Labels as Dictionary<string, string> ?? new Dictionary<string, string>(signal.Labels), WireJson.Default.DictionaryStringString);
        }
        var write = queue.TryEnqueue(signals);
        if (write is null) return StoreOutcome.Overloaded;
        try
        {
            await write.Stored.Task.WaitAsync(ct);
            return StoreOutcome.Stored;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return StoreOutcome.Failed;
        }
    }
}

public enum StoreOutcome { Stored, Overloaded, Failed }

/// <summary>
/// Drop-in intake for the senders teams already run: Alertmanager and Grafana webhooks, Alertmanager's own
/// API (for Prometheus and vmalert), PagerDuty Events v2, Opsgenie Alert API v2, and a generic JSON shape.
/// Each answers 2xx only after the alerts are committed to disk.
/// </summary>
public static class AlertIntakeEndpoints
{
    public static IEndpointRouteBuilder MapAlertIntake(this IEndpointRouteBuilder app)
    {
        var intake = app.MapGroup("").WithTags("Alert intake").AllowAnonymous();
        intake.MapPost("/integrations/alertmanager", Webhook).WithSummary("Alertmanager webhook receiver (version 4); key as Bearer token");
        intake.MapPost("/integrations/alertmanager/{key}", Webhook).WithSummary("Alertmanager webhook receiver, key in the URL");
        intake.MapPost("/integrations/grafana", Webhook).WithSummary("Grafana alerting webhook; key as Bearer token; X-Grafana-Alerting-Signature checked when a secret is set");
        intake.MapPost("/integrations/grafana/{key}", Webhook).WithSummary("Grafana alerting webhook, key in the URL");
        intake.MapPost("/api/v2/alerts", AlertmanagerApi).WithSummary("Alertmanager API v2: Prometheus/vmalert send here as to an Alertmanager; an alertmanager key as Bearer (or Basic password)");
        intake.MapPost("/v2/enqueue", PagerDuty).WithSummary("PagerDuty Events API v2; routing_key is a pagerduty integration key");
        intake.MapPost("/v2/change/enqueue", PagerDutyChange).WithSummary("PagerDuty change events, kept for \"what changed\"");
        intake.MapPost("/v2/alerts", OpsgenieCreate).WithSummary("Opsgenie Alert API v2 create; Authorization: GenieKey <key>");
        intake.MapPost("/v2/alerts/{identifier}/close", (HttpContext http, string identifier, AlertIntake s) => OpsgenieAction(http, identifier, SignalAction.Resolve, s))
            .WithSummary("Opsgenie close by alias");
        intake.MapPost("/v2/alerts/{identifier}/acknowledge", (HttpContext http, string identifier, AlertIntake s) => OpsgenieAction(http, identifier, SignalAction.Acknowledge, s))
            .WithSummary("Opsgenie acknowledge by alias");
        intake.MapPost("/api/v1/alerts", Generic).WithSummary("Generic JSON alert (object or array); a generic key as Bearer token");
        intake.MapPost("/integrations/generic/{key}", Generic).WithSummary("Generic JSON alert, key in the URL");
        return app;
    }

    private static async Task<IResult> Webhook(HttpContext http, AlertIntake s)
    {
        var integration = await s.Keys.FindAsync(RouteKey(http) ?? Bearer(http), http.RequestAborted);
        if (integration is null) return Problem(401, "Unknown integration key", "Send an alertmanager or grafana integration key as a Bearer token (firebreak integration create alertmanager).");
        if (integration.Kind is not (IntegrationKind.Alertmanager or IntegrationKind.Grafana))
            return Problem(403, "Wrong kind of key", $"This key belongs to a {integration.Kind} integration.");
        var (body, refused) = await ReadBodyAsync(http, s.Options.MaxBodyBytes);
        if (refused is not null) return refused;
        using var owned = body;
        if (integration.SigningSecret is { Length: > 0 } secret && !GrafanaSignatureValid(http, owned!.Span, secret))
            return Problem(401, "Bad signature", "X-Grafana-Alerting-Signature does not match the body.");
        if (!TryParse(owned!.Span, WireJson.Default.AlertmanagerWebhook, out var hook, out var error)) return error!;
        if (hook!.Alerts is null) return Invalid("alerts", "alerts is required");
        var parse = AlertAdapters.FromAlertmanager(hook, integration.Id, s.Now);
        return await StoreAndAnswerAsync(http, s, parse, StatusCodes.Status200OK);
    }

    private static async Task<IResult> AlertmanagerApi(HttpContext http, AlertIntake s)
    {
        var integration = await s.Keys.FindAsync(Bearer(http) ?? BasicPassword(http), http.RequestAborted);
        if (integration is null) return Problem(401, "Unknown integration key", "Send an alertmanager integration key as a Bearer token or Basic password.");
        if (integration.Kind != IntegrationKind.Alertmanager)
            return Problem(403, "Wrong kind of key", $"This key belongs to a {integration.Kind} integration; POST /api/v2/alerts takes an alertmanager key.");
        var (body, refused) = await ReadBodyAsync(http, s.Options.MaxBodyBytes);
        if (refused is not null) return refused;
        using var owned = body;
        if (!TryParse(owned!.Span, WireJson.Default.ListPostableAlert, out var alerts, out var error)) return error!;
        var parse = AlertAdapters.FromPostableAlerts(alerts ?? [], integration.Id, s.Now);
        return await StoreAndAnswerAsync(http, s, parse, StatusCodes.Status200OK);
    }

    private static async Task<IResult> Generic(HttpContext http, AlertIntake s)
    {
        var integration = await s.Keys.FindAsync(RouteKey(http) ?? Bearer(http), http.RequestAborted);
        if (integration is null) return Problem(401, "Unknown integration key", "Send a generic integration key as a Bearer token (firebreak integration create generic).");
        if (integration.Kind != IntegrationKind.Generic)
            return Problem(403, "Wrong kind of key", $"This key belongs to a {integration.Kind} integration.");
        var (body, refused) = await ReadBodyAsync(http, s.Options.MaxBodyBytes);
        if (refused is not null) return refused;
        using var owned = body;
        var span = owned!.Span;
        List<GenericAlert>? alerts;
        IResult? error;
        if (FirstToken(span) == (byte)'[')
        {
            if (!TryParse(span, WireJson.Default.ListGenericAlert, out alerts, out error)) return error!;
        }
        else
        {
            if (!TryParse(span, WireJson.Default.GenericAlert, out var one, out error)) return error!;
            alerts = one is null ? [] : [one];
        }
        var parse = AlertAdapters.FromGeneric(alerts ?? [], integration.Id, s.Now);
        return await StoreAndAnswerAsync(http, s, parse, StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> PagerDuty(HttpContext http, AlertIntake s)
    {
        var (body, refused) = await ReadBodyAsync(http, s.Options.MaxBodyBytes, pagerDuty: true);
        if (refused is not null) return refused;
        using var owned = body;
        PagerDutyEvent? e;
        try { e = JsonSerializer.Deserialize(owned!.Span, WireJson.Default.PagerDutyEvent); }
        catch (JsonException) { return PagerDutyInvalid(400, "Event object is invalid", "Invalid JSON"); }
        if (e is null) return PagerDutyInvalid(400, "Event object is invalid", "Invalid JSON");
        var integration = await s.Keys.FindAsync(e.RoutingKey, http.RequestAborted);
        if (integration is null || integration.Kind != IntegrationKind.PagerDuty)
            return PagerDutyInvalid(400, "Event object is invalid", "'routing_key' is invalid");
        var (signal, errors) = AlertAdapters.FromPagerDuty(e, integration.Id, s.Now);
        if (signal is null) return PagerDutyInvalid(400, "Event object is invalid", [.. errors]);
        return await s.StoreAsync([signal], http.RequestAborted) switch
        {
            StoreOutcome.Stored => TypedResults.Json(new PagerDutyAccepted("success", "Event processed", signal.DedupKey), WireJson.Default.PagerDutyAccepted, statusCode: 202),
            StoreOutcome.Overloaded => Throttled(http, pagerDuty: true),
            _ => TypedResults.Json(new PagerDutyError("error", "Could not store the event; retry", []), WireJson.Default.PagerDutyError, statusCode: 503),
        };
    }

    private static async Task<IResult> PagerDutyChange(HttpContext http, AlertIntake s)
    {
        var (body, refused) = await ReadBodyAsync(http, s.Options.MaxBodyBytes, pagerDuty: true);
        if (refused is not null) return refused;
        using var owned = body;
        PagerDutyChangeEvent? e;
        try { e = JsonSerializer.Deserialize(owned!.Span, WireJson.Default.PagerDutyChangeEvent); }
        catch (JsonException) { return PagerDutyInvalid(400, "Event object is invalid", "Invalid JSON"); }
        var integration = await s.Keys.FindAsync(e?.RoutingKey, http.RequestAborted);
        if (e is null || integration is null || integration.Kind != IntegrationKind.PagerDuty)
            return PagerDutyInvalid(400, "Event object is invalid", "'routing_key' is invalid");
        if (string.IsNullOrWhiteSpace(e.Payload?.Summary) || e.Payload.Summary.Length > 1024)
            return PagerDutyInvalid(400, "Event object is invalid", "'payload.summary' is missing, blank or longer than 1024 characters");
        var occurred = AlertAdapters.ParseTimestamp(e.Payload.Timestamp);
        if (e.Payload.Timestamp is not null && occurred is null)
            return PagerDutyInvalid(400, "Event object is invalid", "'payload.timestamp' is not a valid ISO 8601 timestamp");

        await using var scope = s.Scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirebreakDb>();
        var details = e.Payload.CustomDetails;
        string? service = e.Payload.Component;
        if (service is null && details is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty("service", out var svc) && svc.ValueKind == JsonValueKind.String)
            service = svc.GetString();
        db.Set<ChangeEvent>().Add(new ChangeEvent
        {
            IntegrationId = integration.Id,
            Summary = e.Payload.Summary.Trim(),
            Source = e.Payload.Source,
            Service = service,
            OccurredAt = occurred ?? s.Now,
            ReceivedAt = s.Now,
            Details = details is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } dd ? dd.GetRawText() : null,
            Links = e.Links is { Count: > 0 } links ? JsonSerializer.Serialize(links.Select(l => l.Href).ToList()) : null,
        });
        await db.SaveChangesAsync(http.RequestAborted);
        return TypedResults.Json(new PagerDutyAccepted("success", "Change event processed", null), WireJson.Default.PagerDutyAccepted, statusCode: 202);
    }

    private static async Task<IResult> OpsgenieCreate(HttpContext http, AlertIntake s)
    {
        var integration = await OpsgenieKeyAsync(http, s);
        if (integration is null) return Problem(401, "Unknown integration key", "Send an opsgenie integration key as 'Authorization: GenieKey <key>'.");
        var (body, refused) = await ReadBodyAsync(http, s.Options.MaxBodyBytes);
        if (refused is not null) return refused;
        using var owned = body;
        if (!TryParse(owned!.Span, WireJson.Default.OpsgenieAlert, out var alert, out var error)) return error!;
        var (signal, reason) = AlertAdapters.FromOpsgenie(alert ?? new OpsgenieAlert(), integration.Id, s.Now);
        if (signal is null) return Invalid(reason!.Split(' ')[0], reason);
        return await OpsgenieAnswerAsync(http, s, signal);
    }

    private static async Task<IResult> OpsgenieAction(HttpContext http, string identifier, SignalAction action, AlertIntake s)
    {
        var integration = await OpsgenieKeyAsync(http, s);
        if (integration is null) return Problem(401, "Unknown integration key", "Send an opsgenie integration key as 'Authorization: GenieKey <key>'.");
        var identifierType = http.Request.Query["identifierType"].ToString();
        if (identifierType is not ("" or "alias" or "id"))
            return Invalid("identifierType", "identifierType must be alias (or id, which Firebreak treats as the alias)");
        if (identifier.Length > AlertSignal.MaxDedupKey) return Invalid("identifier", "The alias is longer than 512 characters.");
        if (http.Request.ContentLength > 0)
        {
            var (body, refused) = await ReadBodyAsync(http, s.Options.MaxBodyBytes);
            if (refused is not null) return refused;
            using var owned = body;
            if (!TryParse(owned!.Span, WireJson.Default.OpsgenieAction, out _, out var error)) return error!;
        }
        return await OpsgenieAnswerAsync(http, s, AlertAdapters.OpsgenieAction(identifier, action, integration.Id, s.Now));
    }

    private static async Task<IResult> OpsgenieAnswerAsync(HttpContext http, AlertIntake s, AlertSignal signal) =>
        await s.StoreAsync([signal], http.RequestAborted) switch
        {
            StoreOutcome.Stored => TypedResults.Json(new OpsgenieAccepted("Request will be processed", 0.0, http.TraceIdentifier), WireJson.Default.OpsgenieAccepted, statusCode: 202),
            StoreOutcome.Overloaded => Throttled(http),
            _ => Problem(503, "Not stored", "The alert could not be stored; retry."),
        };

    private static async ValueTask<IntegrationIdentity?> OpsgenieKeyAsync(HttpContext http, AlertIntake s)
    {
        var header = http.Request.Headers.Authorization.ToString();
        var key = header.StartsWith("GenieKey ", StringComparison.OrdinalIgnoreCase) ? header[9..].Trim() : null;
        var integration = await s.Keys.FindAsync(key, http.RequestAborted);
        return integration?.Kind == IntegrationKind.Opsgenie ? integration : null;
    }

    private static async Task<IResult> StoreAndAnswerAsync(HttpContext http, AlertIntake s, IntakeParse parse, int successStatus)
    {
        if (parse.Signals.Count == 0 && parse.Rejected.Count > 0)
        {
            var problem = new ProblemDetails
            {
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = "No alert in the payload could be accepted",
                Detail = string.Join("; ", parse.Rejected.Take(10).Select(r => $"alert {r.Index}: {r.Reason}")),
            };
            problem.Extensions["rejected"] = parse.Rejected;
            return TypedResults.Problem(problem);
        }
        return await s.StoreAsync(parse.Signals, http.RequestAborted) switch
        {
            StoreOutcome.Stored => TypedResults.Json(
                new IntakeAccepted(parse.Rejected.Count == 0 ? "success" : "partial", parse.Signals.Count,
                    [.. parse.Signals.Select(x => x.DedupKey)], parse.Rejected),
                WireJson.Default.IntakeAccepted, statusCode: successStatus),
            StoreOutcome.Overloaded => Throttled(http),
            _ => Problem(503, "Not stored", "The alerts could not be stored; nothing was acknowledged. Retry."),
        };
    }

    /// <summary>A pooled copy of the request body; disposing returns the buffer.</summary>
    public sealed class Body(byte[] buffer, int length) : IDisposable
    {
        public ReadOnlySpan<byte> Span => buffer.AsSpan(0, length);
        public void Dispose() => ArrayPool<byte>.Shared.Return(buffer);
    }

    private static async Task<(Body? Body, IResult? Refused)> ReadBodyAsync(HttpContext http, int max, bool pagerDuty = false)
    {
        var request = http.Request;
        if (!IsJson(request.ContentType))
        {
            return (null, pagerDuty
                ? PagerDutyInvalid(415, "Unsupported media type", "Content-Type must be application/json")
                : Problem(415, "Unsupported media type", "Send JSON with Content-Type: application/json."));
        }
        if (request.ContentLength > max) return (null, TooLarge(max, pagerDuty));

        var buffer = ArrayPool<byte>.Shared.Rent(request.ContentLength is > 0 and var n ? (int)n + 1 : 16 * 1024);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length > max) break;
                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, max + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length), http.RequestAborted);
                if (read == 0) break;
                length += read;
                if (length > max) break;
            }
        }
        catch (Exception)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
        if (length > max)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return (null, TooLarge(max, pagerDuty));
        }
        return (new Body(buffer, length), null);
    }

    private static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var media)) return false;
        return media.MediaType is "application/json" || media.MediaType?.EndsWith("+json", StringComparison.Ordinal) == true;
    }

    private static bool TryParse<T>(ReadOnlySpan<byte> body, JsonTypeInfo<T> type, out T? value, out IResult? error)
    {
        try
        {
            value = JsonSerializer.Deserialize(body, type);
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            value = default;
            error = Problem(400, "Malformed JSON", $"The body is not valid JSON of the expected shape: {e.Message}");
            return false;
        }
    }

    private static byte FirstToken(ReadOnlySpan<byte> body)
    {
        foreach (var b in body)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF)) return b;
        }
        return 0;
    }

    private static string? RouteKey(HttpContext http) => http.Request.RouteValues.TryGetValue("key", out var key) ? key as string : null;

    private static string? Bearer(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }

    private static string? BasicPassword(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : decoded[(colon + 1)..];
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Grafana: hex(HMAC-SHA256(secret, [timestamp ":"] body)), with the timestamp header when one is configured.</summary>
    private static bool GrafanaSignatureValid(HttpContext http, ReadOnlySpan<byte> body, string secret)
    {
        var signature = http.Request.Headers["X-Grafana-Alerting-Signature"].ToString();
        if (string.IsNullOrEmpty(signature)) return false;
        var timestamp = http.Request.Headers["X-Grafana-Alerting-Signature-Timestamp"].ToString();
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        if (!string.IsNullOrEmpty(timestamp)) hmac.AppendData(Encoding.UTF8.GetBytes(timestamp + ":"));
        hmac.AppendData(body);
        var expected = Convert.ToHexStringLower(hmac.GetHashAndReset());
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature.Trim().ToLowerInvariant()));
    }

    private static IResult Throttled(HttpContext http, bool pagerDuty = false)
    {
        http.Response.Headers.RetryAfter = "1";
        return pagerDuty
            ? TypedResults.Json(new PagerDutyError("throttle event", "Requests are arriving too quickly. Please retry later.", []), WireJson.Default.PagerDutyError, statusCode: 429)
            : Problem(429, "Too many alerts at once", "The intake queue is full; nothing from this request was stored. Retry after the Retry-After delay.");
    }

    private static IResult TooLarge(int max, bool pagerDuty) => pagerDuty
        ? PagerDutyInvalid(413, "Request entity too large", $"The payload is larger than {max / 1024} KB")
        : Problem(413, "Payload too large", $"The body is larger than {max / 1024} KB; send fewer alerts per request.");

    private static IResult PagerDutyInvalid(int status, string message, params string[] errors) =>
        TypedResults.Json(new PagerDutyError("invalid event", message, errors), WireJson.Default.PagerDutyError, statusCode: status);

    private static IResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);

    private static IResult Invalid(string field, string detail) => Refusal.Invalid(field, detail).ToResult();
}
