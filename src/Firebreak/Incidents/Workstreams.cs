using System.Text.Json;

namespace Firebreak.Incidents;

public sealed record WorkstreamView(int Number, string Title, string? Lead, bool Done, DateTime OpenedAt, DateTime? DoneAt);

public sealed record OpenWorkstreamRequest(string? Title, string? Lead = null);

/// <summary>Only what is set changes: a new lead, or <c>done: true</c> to finish it.</summary>
public sealed record UpdateWorkstreamRequest(string? Lead = null, bool? Done = null);

/// <summary>
/// Workstreams have no table of their own: they are what the incident's workstream events add up to, in the
/// order they happened, like the rest of the incident's state.
/// </summary>
public static class Workstreams
{
    internal sealed record Opened(int Number, string Title, string? Lead);

    internal sealed record Updated(int Number, string? Lead, bool? Done);

    public static bool IsWorkstreamEvent(TimelineEventKind kind) =>
        kind is TimelineEventKind.WorkstreamOpened or TimelineEventKind.WorkstreamUpdated;

    public static List<WorkstreamView> Fold(IEnumerable<TimelineEvent> events)
    {
        var streams = new List<WorkstreamView>();
        foreach (var e in events.Where(e => IsWorkstreamEvent(e.Kind) && e.Data is not null).OrderBy(e => e.Id))
        {
            if (e.Kind == TimelineEventKind.WorkstreamOpened && JsonSerializer.Deserialize<Opened>(e.Data!, IncidentQueries.Json) is { } opened)
            {
                streams.Add(new WorkstreamView(opened.Number, opened.Title, opened.Lead, false, e.At, null));
            }
            else if (JsonSerializer.Deserialize<Updated>(e.Data!, IncidentQueries.Json) is { } updated
                && streams.FindIndex(w => w.Number == updated.Number) is var at and >= 0)
            {
                var current = streams[at];
                streams[at] = current with
                {
                    Lead = updated.Lead ?? current.Lead,
                    Done = updated.Done ?? current.Done,
                    DoneAt = updated.Done == true ? e.At : current.DoneAt,
                };
            }
        }
        return streams;
    }
}
