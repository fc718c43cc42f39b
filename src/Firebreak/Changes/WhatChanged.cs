namespace Firebreak.Changes;

public sealed record ChangeView(long Id, string Kind, string Summary, string? Service, string? Version, string? Commit, string? Author,
    string? Link, DateTime OccurredAt, string Source);

/// <summary>A change near an incident, with why it ranks where it does.</summary>
public sealed record RankedChange(ChangeView Change, double Score, string Relation, TimeSpan BeforeImpact, bool RollbackCandidate, string? RollBackTo);

/// <summary>
/// "What changed, and when?" Changes to the failing services and to what they depend on, in a window before
/// impact began, ranked by proximity to the impact and by how close the changed service is to the failure.
/// A deploy of an affected service shortly before impact is the first rollback candidate: roll back now,
/// investigate later.
/// </summary>
public static class WhatChanged
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);
    public static readonly TimeSpan RollbackHorizon = TimeSpan.FromHours(2);
    /// <summary>Impact start is often estimated late; changes this soon after it still count.</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromMinutes(5);

    private static readonly Dictionary<string, double> KindWeight = new(StringComparer.Ordinal)
    {
        ["deploy"] = 1.0, ["config"] = 0.9, ["flag"] = 0.9, ["migration"] = 0.8, ["infra"] = 0.7, ["commit"] = 0.4,
    };

    /// <param name="distances">Service short name → 0 for an affected service, 1 for a direct dependency, 2+ further upstream.</param>
    /// <param name="history">Every change to those services, any time (the previous version is looked up in it).</param>
    public static List<RankedChange> Rank(DateTime impactStart, IReadOnlyDictionary<string, int> distances, IReadOnlyList<ChangeView> history)
    {
        var candidates = history
            .Where(c => c.Service is not null && distances.ContainsKey(c.Service))
            .Where(c => c.OccurredAt <= impactStart + Slack && c.OccurredAt >= impactStart - Window)
            .Select(c =>
            {
                var before = impactStart - c.OccurredAt;
                var distance = distances[c.Service!];
                // Proximity halves every hour before impact; upstream changes count less the further away they are.
                var proximity = Math.Pow(0.5, Math.Max(0, before.TotalHours));
                var relation = 1.0 / (1 + distance);
                var score = proximity * relation * KindWeight.GetValueOrDefault(c.Kind, 0.5);
                return (Change: c, Score: score, Before: before, Distance: distance);
            })
            .OrderByDescending(x => x.Score).ThenByDescending(x => x.Change.OccurredAt)
            .ToList();

        var rollback = candidates.FirstOrDefault(x => x.Change.Kind == "deploy" && x.Distance == 0 && x.Before <= RollbackHorizon);
        return [.. candidates.Select(x =>
        {
            var isRollback = rollback.Change is not null && x.Change.Id == rollback.Change.Id;
            return new RankedChange(x.Change, Math.Round(x.Score, 4),
                x.Distance == 0 ? "affected service" : x.Distance == 1 ? "direct dependency" : $"dependency, {x.Distance} hops upstream",
                x.Before, isRollback, isRollback ? PreviousVersion(history, x.Change) : null);
        })];
    }

    /// <summary>The version deployed before this one on the same service: what to roll back to.</summary>
    public static string? PreviousVersion(IReadOnlyList<ChangeView> history, ChangeView deploy) =>
        history.Where(c => c.Service == deploy.Service && c.Kind == "deploy" && c.OccurredAt < deploy.OccurredAt && c.Version is not null)
            .OrderByDescending(c => c.OccurredAt).FirstOrDefault()?.Version;
}
