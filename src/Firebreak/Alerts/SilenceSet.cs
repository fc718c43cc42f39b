using Firebreak.Storage;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.Alerts;

/// <summary>
/// The silences in force, held in memory so intake can check every alert without a query. Reloaded when
/// this node changes a silence and every few seconds (other nodes may have changed one).
/// </summary>
public sealed class SilenceSet(IServiceScopeFactory scopes, TimeProvider clock)
{
    private sealed record Active(long Id, IReadOnlyList<LabelMatcher> Matchers, DateTime StartsAt, DateTime EndsAt);

    private volatile IReadOnlyList<Active> _active = [];
    private DateTime _loadedAt = DateTime.MinValue;
    private readonly SemaphoreSlim _reload = new(1, 1);
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(5);

    public long? Match(IReadOnlyDictionary<string, string> labels, DateTime at)
    {
        foreach (var silence in _active)
        {
            if (silence.StartsAt <= at && at < silence.EndsAt && silence.Matchers.All(m => m.Matches(labels))) return silence.Id;
        }
        return null;
    }

    public bool IsStale => clock.GetUtcNow().UtcDateTime - _loadedAt > RefreshEvery;

    public async Task ReloadAsync(CancellationToken ct = default)
    {
        await _reload.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<FirebreakDb>();
            var now = clock.GetUtcNow().UtcDateTime;
            var rows = await db.Set<Silence>().AsNoTracking().Where(s => s.EndsAt > now).ToListAsync(ct);
            _active = [.. rows.Select(s => new Active(s.Id, LabelMatcher.ParseAll(s.Matchers.Split('\n'), out _), s.StartsAt, s.EndsAt))];
            _loadedAt = now;
        }
        finally
        {
            _reload.Release();
        }
    }
}
