using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Firebreak.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Firebreak.Identity;

/// <summary>Authenticates <c>Authorization: Bearer fb_…</c> against the stored token hashes.</summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IServiceProvider services)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var secret = header["Bearer ".Length..].Trim();
        // Integration keys authenticate only the intake endpoints, which check them themselves.
        if (secret.StartsWith(Alerts.IntegrationKeys.KeyPrefix, StringComparison.Ordinal)) return AuthenticateResult.NoResult();
        if (secret.Length is < 10 or > 200) return AuthenticateResult.Fail("Malformed token.");

        // Resolved only now: intake requests (integration keys, no header) never need a DbContext here.
        var token = await FindAsync(services.GetRequiredService<FirebreakDb>(), secret, Context.RequestAborted);
        if (token is null) return AuthenticateResult.Fail("Unknown or revoked token.");
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(IdentityFor(token, SchemeName)), SchemeName));
    }

    /// <summary>The live (unrevoked) token with this secret, with its person, or null.</summary>
    public static async Task<ApiToken?> FindAsync(FirebreakDb db, string? secret, CancellationToken ct)
    {
        secret = secret?.Trim();
        if (secret is null || secret.Length is < 10 or > 200) return null;
        var hash = ApiToken.HashOf(secret);
        var token = await db.ApiTokens.AsNoTracking().Include(t => t.Person).FirstOrDefaultAsync(t => t.Hash == hash, ct);
        return token is null || token.RevokedAt is not null ? null : token;
    }

    /// <summary>The claims a token stands for, whichever scheme (bearer or session cookie) carries them.</summary>
    public static ClaimsIdentity IdentityFor(ApiToken token, string scheme)
    {
        var claims = new List<Claim> { new(Actor.TokenIdClaim, token.Id.ToString(CultureInfo.InvariantCulture)) };
        if (token.Person is { } person)
        {
            claims.Add(new Claim(ClaimTypes.Name, person.Handle));
            claims.Add(new Claim(Actor.PersonIdClaim, person.Id.ToString(CultureInfo.InvariantCulture)));
            if (person.IsAdmin) claims.Add(new Claim(ClaimTypes.Role, Actor.AdminRole));
        }
        else
        {
            claims.Add(new Claim(ClaimTypes.Name, "integration:" + token.Integration));
        }
        return new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"firebreak\"";
        return Task.CompletedTask;
    }
}
