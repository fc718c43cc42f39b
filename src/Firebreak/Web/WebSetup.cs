using Firebreak.Web.Live;

namespace Firebreak.Web;

/// <summary>The web cockpit: server-rendered pages, forms, live streams and their assets.</summary>
public static class WebSetup
{
    public static IServiceCollection AddWeb(this IServiceCollection services)
    {
        services.AddWebSession();
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "firebreak.antiforgery";
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        // Components are rendered with HtmlRenderer, outside circuits; this registers what they rely on.
        services.AddRazorComponents();
        services.AddSingleton<PageRenderer>();
        services.AddSingleton<LiveIncidents>();
        return services;
    }

    public static IEndpointRouteBuilder MapWeb(this IEndpointRouteBuilder app)
    {
        app.MapWebPages();
        app.MapLive();
        return app;
    }
}
