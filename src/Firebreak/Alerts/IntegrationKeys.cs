using System.Collections.Concurrent;
using System.Security.Cryptography;
using Firebreak.Identity;
using Firebreak.Storage;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.Alerts;

public sealed record IntegrationIdentity(int Id, IntegrationKind Kind, string Name, string? SigningSecret);

/// <summary>
/// Resolves integration keys on the intake hot path. Lookups are cached for a few seconds so a storm costs
/// no extra queries; revoking on this node takes effect at once, on other nodes within the cache time.
/// </summary>
public sealed class IntegrationKeys(IServiceScopeFactory scopes, TimeProvider clock)
{
    public const string KeyPrefix = "fbk_";
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, (IntegrationIdentity? Identity, DateTime Until)> _cache = new(StringComparer.Ordinal);

    public static string NewKey() =>
        KeyPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask<IntegrationIdentity?> FindAsync(string? key, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 200) return null;
        var now = clock.GetUtcNow().UtcDateTime;
        if (_cache.TryGetValue(key, out var cached) && cached.Until > now) return cached.Identity;

        var hash = ApiToken.HashOf(key);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirebreakDb>();
        var row = await db.Set<Integration>().AsNoTracking().FirstOrDefaultAsync(i => i.KeyHash == hash && i.RevokedAt == null, ct);
        var identity = row is null ? null : new IntegrationIdentity(row.Id, row.Kind, row.Name, row.SigningSecret);
        // Unknown keys are cached too (briefly), so a sender with a wrong key cannot turn a storm into queries.
        if (_cache.Count > 10_000) _cache.Clear();
        _cache[key] = (identity, now + CacheFor);
        return identity;
    }

    public void Forget() => _cache.Clear();
}
