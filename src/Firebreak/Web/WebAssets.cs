using Microsoft.Extensions.FileProviders;

namespace Firebreak.Web;

/// <summary>
/// The stylesheet and script, embedded in the assembly and served from <c>/assets</c> without sign-in. Their
/// URLs carry the build's identity, so browsers may cache them for a year and still see a new build at once.
/// </summary>
public static class WebAssets
{
    private static readonly string Version = typeof(WebAssets).Assembly.ManifestModule.ModuleVersionId.ToString("N")[..12];

    public static string Stylesheet { get; } = $"/assets/site.css?v={Version}";
    public static string Script { get; } = $"/assets/firebreak.js?v={Version}";

    public static IApplicationBuilder UseWebAssets(this IApplicationBuilder app) =>
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new ManifestEmbeddedFileProvider(typeof(WebAssets).Assembly, "Web/Assets"),
            RequestPath = "/assets",
            OnPrepareResponse = context =>
            {
                context.Context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
                context.Context.Response.Headers.XContentTypeOptions = "nosniff";
            },
        });
}
