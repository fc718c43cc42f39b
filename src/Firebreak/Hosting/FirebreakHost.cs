using System.Text.Json.Serialization;
using Firebreak.Alerts;
using Firebreak.Catalog;
using Firebreak.Changes;
using Firebreak.Comms;
using Firebreak.Demo;
using Firebreak.Identity;
using Firebreak.Incidents;
using Firebreak.Postmortems;
using Firebreak.Storage;
using Firebreak.Web;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Firebreak.Hosting;

/// <summary>What <c>firebreak serve</c> was asked for; unset values come from configuration, then defaults.</summary>
public sealed record ServeSettings(string? DataDir = null, string? Database = null, string? Urls = null, bool Demo = false, string? Catalog = null);

/// <summary>The settings in force, after command line, environment and appsettings.json were consulted.</summary>
public sealed record FirebreakOptions(string DataDir, StorageTarget Storage, string Urls, bool Demo, string? Catalog = null)
{
    public const string DefaultUrls = "http://127.0.0.1:5080";
    public const string DefaultDataDir = "firebreak-data";

    public static FirebreakOptions Resolve(ServeSettings settings, IConfiguration config)
    {
        var dataDir = Path.GetFullPath(settings.DataDir ?? config["FIREBREAK_DATA"] ?? config["Firebreak:DataDir"] ?? DefaultDataDir);
        var db = settings.Database ?? config["FIREBREAK_DB"] ?? config["Firebreak:Db"];
        var urls = settings.Urls ?? config["FIREBREAK_URLS"] ?? config["Firebreak:Urls"] ?? DefaultUrls;
        return new FirebreakOptions(dataDir, StorageTarget.Resolve(db, dataDir), urls, settings.Demo, settings.Catalog);
    }
}

public static class FirebreakHost
{
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static WebApplication Build(ServeSettings settings, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
            // Keys sit in the data dir next to the database they protect; the warning about that is noise.
            ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Error",
        }.Where(kv => builder.Configuration[kv.Key] is null));
        var options = FirebreakOptions.Resolve(settings, builder.Configuration);
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxRequestBodyBytes);

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(options.DataDir, "keys")));
        services.AddFirebreakStorage(options.Storage);
        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestProblems>();
        services.ConfigureHttpJsonOptions(json =>
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase)));
        services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, TokenAuthenticationHandler>(
                TokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        services.AddOpenApi();
        services.AddSingleton<IncidentChangeSignal>();
        services.AddSingleton(sp => Comms.UpdateCadence.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddScoped<IncidentCommands>();
        services.AddWeb();
        services.AddScoped<AdminBootstrap>();
        services.AddScoped<DemoSeed>();
        services.AddSingleton<DemoInbox>();
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection("Firebreak:Intake").Get<IntakeOptions>() ?? new IntakeOptions());
        services.AddSingleton(_ => AlertRules.Load(options.DataDir));
        services.AddSingleton<AlertQueue>();
        services.AddSingleton<AlertTriageSignal>();
        services.AddSingleton<IntegrationKeys>();
        services.AddSingleton<SilenceSet>();
        services.AddSingleton<ServiceDirectory>();
        services.AddSingleton<AlertIntake>();
        services.AddHostedService<AlertWriter>();
        services.AddHostedService<AlertTriage>();
        services.AddSingleton(new FirebreakOptionsAccessor(options.DataDir));
        services.AddSingleton(sp => CatalogSettings(sp.GetRequiredService<IConfiguration>(), options));
        services.AddScoped<CatalogSync>();
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection("Firebreak:Paging").Get<OnCall.PagingOptions>() ?? new OnCall.PagingOptions());
        services.AddSingleton(sp => OnCall.WebhookSigner.Load(sp.GetRequiredService<OnCall.PagingOptions>(), options.DataDir));
        services.AddSingleton(sp => new OnCall.PublicUrl(sp.GetRequiredService<IConfiguration>()["Firebreak:PublicUrl"] ?? sp.GetRequiredService<IConfiguration>()["FIREBREAK_PUBLIC_URL"]));
        services.AddScoped<OnCall.PageEngine>();
        services.AddSingleton<OnCall.OutboxSignal>();
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection("Firebreak:WorkingHours").Get<Insights.WorkingHoursOptions>() ?? new Insights.WorkingHoursOptions());
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection("Firebreak:Slack").Get<OnCall.SlackOptions>() ?? new OnCall.SlackOptions());
        services.AddHttpClient("notifications");
        services.AddHostedService<OnCall.NotificationDispatcher>();
        // Escalation timers are Quartz jobs in a persistent store, so they survive restarts: PostgreSQL (clustered)
        // when Firebreak runs on it, else a SQLite file of their own beside the database.
        services.AddQuartz(q =>
        {
            q.UseInstanceIdGenerator<OnCall.NodeInstanceId>();
            q.UsePersistentStore(store =>
        {
            if (options.Storage.Provider == StorageProvider.Postgres)
            {
                store.UsePostgres(options.Storage.ConnectionString);
                store.UseClustering();
            }
            else store.UseSqlite($"Data Source={Path.Combine(options.DataDir, "scheduler.db")}");
            store.UseSystemTextJsonSerializer();
            store.ProvisionSchema();
        });
        });
        services.AddQuartz(q => q.ScheduleJob<Comms.UpdateReminderJob>(
            trigger => trigger.WithIdentity("update-reminders", "comms").StartNow()
                .WithSimpleSchedule(s => s.WithInterval(Comms.UpdateReminderJob.Interval).RepeatForever()),
            job => job.WithIdentity(Comms.UpdateReminderJob.Key).StoreDurably()));
        services.AddQuartzHostedService(q => q.WaitForJobsToComplete = false);
        services.AddSingleton<Comms.DeliverySignal>();
        services.AddHostedService<Comms.DeliveryDispatcher>();
        services.AddSingleton(new Comms.Drafts(options.DataDir));
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection("Firebreak:StatusPage").Get<Comms.StatusPageOptions>() ?? new Comms.StatusPageOptions());
        services.AddSingleton<Comms.StatusSnapshot>();
        services.AddHostedService(sp => sp.GetRequiredService<Comms.StatusSnapshot>());
        services.AddScoped<Comms.StatusPublisher>();
        services.AddScoped<Comms.StatusSubscriptions>();
        services.AddStatusPageRateLimits();
        services.AddHostedService<CatalogSyncSchedule>();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseWebAssets();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseRateLimiter();

        app.MapOpenApi().AllowAnonymous();
        app.MapGet("/healthz", () => TypedResults.Text("ok")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/readyz", Ready).AllowAnonymous().ExcludeFromDescription();
        app.MapIdentity();
        app.MapCatalog();
        app.MapIncidents();
        app.MapPostmortems();
        app.MapAlerts();
        app.MapAlertIntake();
        app.MapCatalogContext();
        app.MapChanges();
        OnCall.ScheduleEndpoints.MapSchedules(app);
        OnCall.PagingEndpoints.MapPaging(app);
        OnCall.SlackCommands.MapSlack(app);
        Insights.PagingMetrics.MapInsights(app);
        app.MapWeb();
        app.MapComms();
        app.MapStatusPage();
        if (options.Demo) DemoInbox.Map(app);
        return app;
    }

    /// <summary>Migrates the database, makes sure the admin token works, seeds the demo if asked; returns the admin token.</summary>
    public static async Task<string> PrepareAsync(WebApplication app, CancellationToken ct = default)
    {
        var options = app.Services.GetRequiredService<FirebreakOptions>();
        // A broken alert-rules.yaml stops the start with its message, rather than failing the first alert.
        app.Services.GetRequiredService<AlertRules>();
        await StorageSetup.MigrateAsync(app.Services, ct);
        await using var scope = app.Services.CreateAsyncScope();
        var token = await scope.ServiceProvider.GetRequiredService<AdminBootstrap>().EnsureAdminTokenAsync(options.DataDir, ct);
        if (options.Demo) await scope.ServiceProvider.GetRequiredService<DemoSeed>().SeedAsync(ct);
        return token;
    }

    /// <summary>
    /// Firebreak:Catalog from configuration (FIREBREAK_CATALOG for the repository); with --demo and no repository
    /// configured, the example catalog shipped in examples/catalog.
    /// </summary>
    private static CatalogOptions CatalogSettings(IConfiguration config, FirebreakOptions options)
    {
        var settings = config.GetSection("Firebreak:Catalog").Get<CatalogOptions>() ?? new CatalogOptions();
        if ((options.Catalog ?? config["FIREBREAK_CATALOG"]) is { Length: > 0 } repo) settings = settings with { Repo = repo };
        if (settings.Repo is null && options.Demo && DemoSeed.FindExampleCatalog() is { } example) settings = settings with { Repo = example };
        return settings;
    }

    /// <summary>The address the server listens on; acknowledge links use it unless Firebreak:PublicUrl is set.</summary>
    public static string ListeningUrl(WebApplication app)
    {
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? app.Services.GetRequiredService<FirebreakOptions>().Urls;
        var publicUrl = app.Services.GetRequiredService<OnCall.PublicUrl>();
        if (!publicUrl.Configured) publicUrl.Value = url.TrimEnd('/');
        return url;
    }

    /// <summary>Work that needs the server listening (the demo's contact methods point back at it).</summary>
    public static async Task AfterStartAsync(WebApplication app, CancellationToken ct = default)
    {
        var url = ListeningUrl(app);
        if (app.Services.GetRequiredService<FirebreakOptions>().Demo) await DemoInbox.SeedContactsAsync(app.Services, url, ct);
    }

    private static async Task<IResult> Ready(FirebreakDb db, CancellationToken ct) =>
        await db.Database.CanConnectAsync(ct)
            ? TypedResults.Text("ready")
            : TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Database unreachable");
}

/// <summary>Malformed or oversized requests that surface as exceptions become their 4xx problem, never a 500.</summary>
internal sealed class BadRequestProblems(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", bad.Message),
            System.Text.Json.JsonException => (StatusCodes.Status400BadRequest, "Bad request", exception.Message),
            // Two writers raced for the same unique name (two syncs, two people added at once): the loser retries.
            DbUpdateException { InnerException: Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 } or Npgsql.PostgresException { SqlState: "23505" } } =>
                (StatusCodes.Status409Conflict, "Conflict", "A concurrent change created the same record; nothing of this request was stored. Retry."),
            _ => (0, "", ""),
        };
        if (status == 0) return false;
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
