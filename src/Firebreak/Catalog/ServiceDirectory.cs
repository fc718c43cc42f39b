using Firebreak.Storage;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.Catalog;

public sealed record ServiceEntry(int Id, string ShortName, string Name, int Tier, string? OwnerTeam);

/// <summary>
/// The catalog's services held in memory for hot paths (alert intake and triage), refreshed every few
/// seconds and at once when this node adds a service.
/// </summary>
public sealed class ServiceDirectory(IServiceScopeFactory scopes, TimeProvider clock)
{
    private volatile IReadOnlyDictionary<string, ServiceEntry> _byShortName = new Dictionary<string, ServiceEntry>();
    private DateTime _loadedAt = DateTime.MinValue;
    private readonly SemaphoreSlim _reload = new(1, 1);
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(10);

    /// <summary>The catalog entry for <c>checkout</c> or <c>SVC-CHECKOUT</c>, if the catalog has it.</summary>
    public ServiceEntry? Find(string? reference) =>
        string.IsNullOrWhiteSpace(reference) ? null : _byShortName.GetValueOrDefault(Service.ShortNameOf(reference));

    public async ValueTask RefreshIfStaleAsync(CancellationToken ct)
    {
        if (clock.GetUtcNow().UtcDateTime - _loadedAt > RefreshEvery) await ReloadAsync(ct);
    }

    public async Task ReloadAsync(CancellationToken ct = default)
    {
        if (!await _reload.WaitAsync(0, ct)) return;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<FirebreakDb>();
            var rows = await db.Services.AsNoTracking().Include(s => s.OwnerTeam).ToListAsync(ct);
            _byShortName = rows.ToDictionary(s => s.ShortName, s => new ServiceEntry(s.Id, s.ShortName, s.Name, s.Tier, s.OwnerTeam?.ShortName));
            _loadedAt = clock.GetUtcNow().UtcDateTime;
        }
        finally
        {
            _reload.Release();
        }
    }
}
