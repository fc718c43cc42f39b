using Firebreak.Storage;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.Identity;

/// <summary>
/// Makes sure an installation can always be administered: the <c>admin</c> person exists and the token in
/// <c>&lt;data dir&gt;/admin.token</c> (mode 0600) works. A fresh token is minted on first start, or when the
/// file is missing or no longer valid (e.g. a new data dir pointed at an existing PostgreSQL).
/// </summary>
public sealed class AdminBootstrap(FirebreakDb db, TimeProvider clock)
{
    public const string TokenFileName = "admin.token";
    /// <summary>The person automation acts as, so that what rules do is attributed on the timeline.</summary>
    public const string SystemHandle = "firebreak";

    /// <summary>
    /// The automation user as an actor: what rules, paging and Slack do is attributed to it. With
    /// <paramref name="seesPrivate"/> false it sees only public incidents (used where an outsider asks, e.g. Slack).
    /// </summary>
    public static async Task<Actor> AutomationAsync(FirebreakDb db, CancellationToken ct, bool seesPrivate = true)
    {
        var bot = await db.People.AsNoTracking().FirstAsync(p => p.Handle == SystemHandle, ct);
        return new Actor(bot.Id, bot.Handle, seesPrivate, 0);
    }

    public async Task<string> EnsureAdminTokenAsync(string dataDir, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var admin = await db.People.FirstOrDefaultAsync(p => p.Handle == "admin", ct);
        if (admin is null)
        {
            admin = new Person { Handle = "admin", Name = "Firebreak administrator", IsAdmin = true, CreatedAt = now };
            db.People.Add(admin);
            await db.SaveChangesAsync(ct);
            db.Audit(Actor.Firebreak(admin.Id), "person.add", "admin", now, "first start");
        }

        if (!await db.People.AnyAsync(p => p.Handle == SystemHandle, ct))
        {
            db.People.Add(new Person { Handle = SystemHandle, Name = "Firebreak automation", CreatedAt = now });
            db.Audit(Actor.Firebreak(admin.Id), "person.add", SystemHandle, now, "automation (auto-declare, alert activity)");
            await db.SaveChangesAsync(ct);
        }

        Directory.CreateDirectory(dataDir);
        var file = Path.Combine(dataDir, TokenFileName);
        if (File.Exists(file))
        {
            var existing = (await File.ReadAllTextAsync(file, ct)).Trim();
            var hash = ApiToken.HashOf(existing);
            if (await db.ApiTokens.AnyAsync(t => t.Hash == hash && t.RevokedAt == null && t.PersonId == admin.Id, ct))
                return existing;
        }

        var secret = ApiToken.NewSecret();
        db.ApiTokens.Add(new ApiToken
        {
            Name = "admin (bootstrap)",
            Hash = ApiToken.HashOf(secret),
            Prefix = secret[..10],
            PersonId = admin.Id,
            CreatedAt = now,
        });
        db.Audit(Actor.Firebreak(admin.Id), "token.create", "admin", now, "bootstrap token");
        await db.SaveChangesAsync(ct);
        await WriteSecretFileAsync(file, secret, ct);
        return secret;
    }

    private static async Task WriteSecretFileAsync(string path, string secret, CancellationToken ct)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using (var stream = new FileStream(path, options))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteLineAsync(secret.AsMemory(), ct);
        }
        // UnixCreateMode applies only when the file is created; an existing file keeps its mode otherwise.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
