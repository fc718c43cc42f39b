using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Channels;
using Firebreak.Incidents;
using Firebreak.Storage;
using Firebreak.Web.Pages;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.Web.Live;

/// <summary>
/// Pushes incident changes to every open landing page. Per watched incident one loop reads what is new since it
/// last looked, renders it once, and hands the same bytes to every viewer; a viewer costs a connection and a
/// small queue, not a render. The loop wakes on <see cref="IncidentChangeSignal"/> for this node's writes and
/// looks anyway every <see cref="PollInterval"/>, which also catches writes made by other nodes.
/// </summary>
public sealed class LiveIncidents : IDisposable
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    /// <summary>Frames a viewer may fall behind before it is cut off; its browser reconnects and catches up.</summary>
    public const int ViewerQueue = 32;

    private static readonly JsonSerializerOptions FrameJson = new(JsonSerializerDefaults.Web)
    {
        // The frame is read by script as JSON, never parsed as HTML, so HTML-sensitive characters need no escaping.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly Dictionary<int, WatchedIncident> _watched = [];
    private readonly Lock _gate = new();
    private readonly IncidentChangeSignal _signal;
    private readonly IServiceScopeFactory _scopes;
    private readonly PageRenderer _renderer;
    private readonly TimeProvider _clock;
    private readonly ILogger<LiveIncidents> _log;
    private readonly CancellationTokenSource _stopping = new();

    public LiveIncidents(IncidentChangeSignal signal, IServiceScopeFactory scopes, PageRenderer renderer, TimeProvider clock,
        ILogger<LiveIncidents> log)
    {
        (_signal, _scopes, _renderer, _clock, _log) = (signal, scopes, renderer, clock, log);
        _signal.Changed += OnChanged;
    }

    /// <summary>Raised after any incident changed, for the dashboards.</summary>
    public event Action? AnyChanged;

    public int ViewerCount
    {
        get { lock (_gate) return _watched.Values.Sum(w => w.Viewers.Count); }
    }

    /// <summary>
    /// Starts watching for a viewer whose page shows events up to <paramref name="seenEventId"/>. Returns the
    /// viewer and the newest event already broadcast when it joined: anything between the two the caller sends
    /// itself (<see cref="CatchUpAsync"/>); anything after reaches the viewer's queue.
    /// </summary>
    public (LiveViewer Viewer, long BroadcastUpTo) Watch(int incidentNumber, long seenEventId)
    {
        var viewer = new LiveViewer(Channel.CreateBounded<byte[]>(new BoundedChannelOptions(ViewerQueue)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        }));
        lock (_gate)
        {
            if (!_watched.TryGetValue(incidentNumber, out var watched))
            {
                watched = new WatchedIncident(incidentNumber, seenEventId);
                _watched[incidentNumber] = watched;
                watched.Loop = Task.Run(() => WatchAsync(watched));
            }
            watched.Viewers.Add(viewer);
            viewer.Leave = () => Leave(watched, viewer);
            return (viewer, watched.BroadcastUpTo);
        }
    }

    /// <summary>The frame a viewer that fell behind needs: the current state and the events after what it has.</summary>
    public async Task<byte[]?> CatchUpAsync(int incidentNumber, long seenEventId, long upTo, CancellationToken ct)
    {
        if (upTo <= seenEventId) return null;
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirebreakDb>();
        var model = await WebQueries.IncidentAsync(db, incidentNumber, _clock.GetUtcNow().UtcDateTime, withPeople: false, ct);
        return await FrameAsync(model, seenEventId, upTo);
    }

    private void Leave(WatchedIncident watched, LiveViewer viewer)
    {
        lock (_gate)
        {
            watched.Viewers.Remove(viewer);
            if (watched.Viewers.Count == 0) watched.Wake.Wake();
        }
    }

    private void OnChanged(int incidentNumber)
    {
        lock (_gate)
        {
            if (_watched.TryGetValue(incidentNumber, out var watched)) watched.Wake.Wake();
        }
        AnyChanged?.Invoke();
    }

    private async Task WatchAsync(WatchedIncident watched)
    {
        var ct = _stopping.Token;
        // The first look happens at once: the first viewer's page may already be behind.
        var first = true;
        while (!ct.IsCancellationRequested)
        {
            if (!first)
            {
                try { await watched.Wake.WaitAsync(PollInterval, ct); }
                catch (OperationCanceledException) { return; }
            }
            first = false;
            lock (_gate)
            {
                if (watched.Viewers.Count == 0)
                {
                    _watched.Remove(watched.Number);
                    return;
                }
            }
            try
            {
                await BroadcastNewAsync(watched, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                _log.LogWarning(e, "Live updates for incident {Number} failed; retrying", watched.Number);
            }
        }
    }

    private async Task BroadcastNewAsync(WatchedIncident watched, CancellationToken ct)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirebreakDb>();
        var newest = await db.TimelineEvents.Where(e => e.IncidentNumber == watched.Number)
            .MaxAsync(e => (long?)e.Id, ct) ?? 0;
        if (newest <= watched.BroadcastUpTo) return;

        var model = await WebQueries.IncidentAsync(db, watched.Number, _clock.GetUtcNow().UtcDateTime, withPeople: false, ct);
        var upTo = model.LastEventId;
        var frame = await FrameAsync(model, watched.BroadcastUpTo, upTo);
        List<LiveViewer> viewers;
        lock (_gate)
        {
            watched.BroadcastUpTo = upTo;
            viewers = [.. watched.Viewers];
        }
        foreach (var viewer in viewers) viewer.Offer(frame);
    }

    private async Task<byte[]> FrameAsync(IncidentPageModel model, long after, long upTo)
    {
        var state = await _renderer.RenderAsync<IncidentState>(new Dictionary<string, object?> { ["Model"] = model, ["Csrf"] = null });
        var entries = model.Incident.Timeline.Where(e => e.Id > after && e.Id <= upTo).ToList();
        var html = await _renderer.RenderAsync<TimelineEntries>(new Dictionary<string, object?> { ["Entries"] = entries });
        var data = JsonSerializer.Serialize(new LiveFrame(state, html, upTo), FrameJson);
        return Encoding.UTF8.GetBytes($"id: {upTo}\nevent: incident\ndata: {data}\n\n");
    }

    public void Dispose()
    {
        _signal.Changed -= OnChanged;
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private sealed record LiveFrame(string State, string Entries, long Last);

    private sealed class WatchedIncident(int number, long broadcastUpTo)
    {
        public int Number { get; } = number;
        public long BroadcastUpTo { get; set; } = broadcastUpTo;
        public HashSet<LiveViewer> Viewers { get; } = [];
        public Alerts.Wakeup Wake { get; } = new();
        public Task? Loop { get; set; }
    }
}

/// <summary>One open page: the frames waiting to be written to it.</summary>
public sealed class LiveViewer(Channel<byte[]> frames) : IDisposable
{
    internal Action? Leave { get; set; }

    public ChannelReader<byte[]> Frames => frames.Reader;

    /// <summary>A viewer too slow to take a frame is cut off rather than sent a page with a hole in it.</summary>
    internal void Offer(byte[] frame)
    {
        if (!frames.Writer.TryWrite(frame)) frames.Writer.TryComplete();
    }

    public void Dispose() => Leave?.Invoke();
}
