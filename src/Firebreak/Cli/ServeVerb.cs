using System.CommandLine;
using Firebreak.Hosting;

namespace Firebreak.Cli;

public static class ServeVerb
{
    public static Command Build(CliEnvironment env)
    {
        var demo = new Option<bool>("--demo") { Description = "Seed a demo organisation (teams, people, services, past incidents) into an empty database" };
        var data = new Option<string?>("--data") { Description = "Data directory for the SQLite database and admin.token (default ./firebreak-data, or FIREBREAK_DATA)" };
        var urls = new Option<string?>("--urls") { Description = "Where to listen (default http://127.0.0.1:5080, or FIREBREAK_URLS)" };
        var db = new Option<string?>("--db") { Description = "Database connection string; Host=… selects PostgreSQL (default: SQLite in the data directory, or FIREBREAK_DB)" };
        var catalog = new Option<string?>("--catalog") { Description = "The catalog git repository (path or clone URL; or FIREBREAK_CATALOG)" };
        var serve = new Command("serve", "Run the Firebreak server") { demo, data, urls, db, catalog };
        serve.SetAction(async (parse, ct) =>
        {
            await using var app = FirebreakHost.Build(new ServeSettings(parse.GetValue(data), parse.GetValue(db), parse.GetValue(urls), parse.GetValue(demo), parse.GetValue(catalog)));
            var options = app.Services.GetRequiredService<FirebreakOptions>();
            var token = await FirebreakHost.PrepareAsync(app, ct);
            await app.StartAsync(ct);
            await FirebreakHost.AfterStartAsync(app, ct);
            var url = FirebreakHost.ListeningUrl(app);
            await env.Out.WriteLineAsync($"""
                Firebreak is running at {url}
                  web:         {url}/  (sign in with the admin token below)
                  storage:     {options.Storage.Describe()}
                  catalog:     {app.Services.GetRequiredService<Catalog.CatalogOptions>().Repo ?? "none (services managed by hand; --catalog <repo>)"}
                  admin token: {token}
                               (also in {Path.Combine(options.DataDir, Identity.AdminBootstrap.TokenFileName)}, mode 0600)
                  API docs:    {url}/openapi/v1.json
                Try, in another terminal:  firebreak list --active     (Ctrl+C stops the server)
                """);
            await app.WaitForShutdownAsync(ct);
            return 0;
        });
        return serve;
    }
}
