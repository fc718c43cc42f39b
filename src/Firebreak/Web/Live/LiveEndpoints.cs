using System.Globalization;
using System.Threading.Channels;
using Firebreak.Identity;
using Firebreak.Incidents;
using Firebreak.Storage;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.Web.Live;

/// <summary>
/// Server-sent event streams: one per open landing page, one per open dashboard. Browsers reconnect by
/// themselves and say which event they saw last (Last-Event-ID), so a dropped stream resumes without a hole.
/// </summary>
public static class LiveEndpoints
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(20);
    private static readonly byte[] HeartbeatFrame = ": ping\n\n"u8.ToArray();
    private static readonly byte[] Preamble = "retry: 1000\n\n"u8.ToArray();
    private static readonly byte[] DashboardFrame = "event: dashboard\ndata: changed\n\n"u8.ToArray();

    public static IEndpointRouteBuilder MapLive(this IEndpointRouteBuilder app)
    {
        app.MapGet("/incidents/{id}/live", IncidentStream).RequireAuthorization(WebSession.LivePolicy).ExcludeFromDescription();
        app.MapGet("/live/dashboard", DashboardStream).RequireAuthorization(WebSession.LivePolicy).ExcludeFromDescription();
        return app;
    }

    private static async Task IncidentStream(HttpContext http, string id, long? after, FirebreakDb db, LiveIncidents live,
        IHostApplicationLifetime lifetime)
    {
        // Streams end when the server stops, rather than holding its shutdown until browsers leave.
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var ct = ending.Token;
        var number = await IncidentEndpoints.VisibleNumberAsync(db, Actor.From(http.User), id, ct);
        if (number is null)
        {
            await Hosting.Refusal.NotFound($"No incident {id}.").ToResult().ExecuteAsync(http);
            return;
        }
        var seen = long.TryParse(http.Request.Headers["Last-Event-ID"], CultureInfo.InvariantCulture, out var lastEventId)
            ? lastEventId
            : after ?? 0;
        // A claim to have seen more than exists would hold back this incident's broadcasts for everyone.
        var newest = await db.TimelineEvents.Where(e => e.IncidentNumber == number).MaxAsync(e => (long?)e.Id, ct) ?? 0;
        seen = Math.Clamp(seen, 0, newest);

        StartStream(http.Response);
        await http.Response.Body.WriteAsync(Preamble, ct);
        var (viewer, broadcastUpTo) = live.Watch(number.Value, seen);
        using (viewer)
        {
            // Whatever happened between the page's render and joining, this viewer is sent on its own.
            if (await live.CatchUpAsync(number.Value, seen, broadcastUpTo, ct) is { } catchUp)
                await http.Response.Body.WriteAsync(catchUp, ct);
            await PumpAsync(http.Response, viewer.Frames, ct);
        }
    }

    private static async Task DashboardStream(HttpContext http, LiveIncidents live, IHostApplicationLifetime lifetime)
    {
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var ct = ending.Token;
        var pings = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        void OnChanged() => pings.Writer.TryWrite(DashboardFrame);
        live.AnyChanged += OnChanged;
        try
        {
            StartStream(http.Response);
            await http.Response.Body.WriteAsync(Preamble, ct);
            await PumpAsync(http.Response, pings.Reader, ct);
        }
        finally
        {
            live.AnyChanged -= OnChanged;
        }
    }

    private static void StartStream(HttpResponse response)
    {
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-store";
        // Tells nginx-style proxies not to buffer the stream.
        response.Headers["X-Accel-Buffering"] = "no";
    }

    /// <summary>Writes frames as they come, a comment when idle so proxies keep the stream; ends with the client.</summary>
    private static async Task PumpAsync(HttpResponse response, ChannelReader<byte[]> frames, CancellationToken ct)
    {
        try
        {
            await response.Body.FlushAsync(ct);
            while (!ct.IsCancellationRequested)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
                idle.CancelAfter(Heartbeat);
                bool more;
                try { more = await frames.WaitToReadAsync(idle.Token); }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    await response.Body.WriteAsync(HeartbeatFrame, ct);
                    await response.Body.FlushAsync(ct);
                    continue;
                }
                if (!more) return;
                while (frames.TryRead(out var frame)) await response.Body.WriteAsync(frame, ct);
                await response.Body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (IOException) when (ct.IsCancellationRequested)
        {
        }
    }
}
