using System.Globalization;
using System.Security.Claims;
using Firebreak.Identity;
using Firebreak.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.Web;

/// <summary>
/// Browser sessions: a person signs in with one of their API tokens and gets an HTTP-only, SameSite cookie
/// tied to that token; revoking the token ends the session. The JSON API stays bearer-only, so a cookie can
/// never be used to forge API calls. Single sign-on would add a challenge scheme that issues the same cookie.
/// </summary>
public static class WebSession
{
    public const string Scheme = "Session";
    public const string CookieName = "firebreak.session";
    /// <summary>Pages and forms: the session cookie only.</summary>
    public const string PagePolicy = "web-page";
    /// <summary>Live streams: the cookie (browsers) or a bearer token (tools, the benchmark).</summary>
    public const string LivePolicy = "web-live";

    public static void AddWebSession(this IServiceCollection services)
    {
        services.AddAuthentication().AddCookie(Scheme, cookie =>
        {
            cookie.Cookie.Name = CookieName;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.LoginPath = "/signin";
            cookie.LogoutPath = "/signout";
            cookie.ExpireTimeSpan = TimeSpan.FromHours(12);
            cookie.SlidingExpiration = true;
            cookie.Events.OnValidatePrincipal = EndIfTokenRevokedAsync;
            cookie.Events.OnRedirectToLogin = context =>
            {
                // A script or stream cannot follow a redirect to a form: it gets a plain 401.
                if (context.Request.Method != HttpMethods.Get || context.Request.Headers.Accept.ToString().Contains("text/event-stream"))
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                else context.Response.Redirect(context.RedirectUri);
                return Task.CompletedTask;
            };
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(PagePolicy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser())
            .AddPolicy(LivePolicy, p => p.AddAuthenticationSchemes(Scheme, TokenAuthenticationHandler.SchemeName).RequireAuthenticatedUser());
    }

    /// <summary>Signs in with a person's token; integration tokens and revoked tokens are refused.</summary>
    public static async Task<bool> SignInAsync(HttpContext context, FirebreakDb db, string? secret, DateTime now)
    {
        var token = await TokenAuthenticationHandler.FindAsync(db, secret, context.RequestAborted);
        if (token?.Person is null) return false;
        var identity = TokenAuthenticationHandler.IdentityFor(token, Scheme);
        var principal = new ClaimsPrincipal(identity);
        db.Audit(Actor.From(principal), "session.signin", token.Person.Handle, now);
        await db.SaveChangesAsync(context.RequestAborted);
        await context.SignInAsync(Scheme, principal);
        return true;
    }

    private static async Task EndIfTokenRevokedAsync(CookieValidatePrincipalContext context)
    {
        var tokenId = context.Principal?.FindFirstValue(Actor.TokenIdClaim);
        if (tokenId is null || !int.TryParse(tokenId, CultureInfo.InvariantCulture, out var id))
        {
            context.RejectPrincipal();
            return;
        }
        var db = context.HttpContext.RequestServices.GetRequiredService<FirebreakDb>();
        var live = await db.ApiTokens.AsNoTracking().AnyAsync(t => t.Id == id && t.RevokedAt == null, context.HttpContext.RequestAborted);
        if (!live)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }
}
