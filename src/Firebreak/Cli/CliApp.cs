using System.CommandLine;
using System.Text.Json;
using Firebreak.Hosting;
using Firebreak.Identity;
using Spectre.Console;

namespace Firebreak.Cli;

/// <summary>The options every client verb shares.</summary>
public sealed class GlobalOptions
{
    public Option<string?> Server { get; } = new("--server") { Description = "Firebreak's URL (default: FIREBREAK_URL or http://127.0.0.1:5080)", Recursive = true };
    public Option<string?> Token { get; } = new("--token") { Description = "API token (default: FIREBREAK_TOKEN or ./firebreak-data/admin.token)", Recursive = true };
    public Option<bool> Json { get; } = new("--json") { Description = "Print the API's JSON, for scripts", Recursive = true };
}

/// <summary>One client invocation: where the server is, who we are, how to print.</summary>
public sealed class CliContext(CliEnvironment env, ParseResult parse, GlobalOptions globals) : IDisposable
{
    private FirebreakClient? _client;

    public bool Json => parse.GetValue(globals.Json);
    public IAnsiConsole Console { get; } = env.CreateConsole();
    public CliEnvironment Environment => env;

    public FirebreakClient Client => _client ??= FirebreakClient.Create(ServerUrl, ResolveToken());

    public string ServerUrl =>
        parse.GetValue(globals.Server) ?? env.Variable("FIREBREAK_URL") ?? FirebreakOptions.DefaultUrls;

    private string? ResolveToken()
    {
        if (parse.GetValue(globals.Token) is { Length: > 0 } token) return token;
        if (env.Variable("FIREBREAK_TOKEN") is { Length: > 0 } fromEnv) return fromEnv;
        var dataDir = env.Variable("FIREBREAK_DATA") ?? FirebreakOptions.DefaultDataDir;
        var file = Path.Combine(Path.IsPathRooted(dataDir) ? dataDir : Path.Combine(env.CurrentDirectory, dataDir), AdminBootstrap.TokenFileName);
        return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
    }

    public void PrintJson(JsonElement element) =>
        env.Out.WriteLine(JsonSerializer.Serialize(element, FirebreakClient.Json));

    public void Dispose() => _client?.Dispose();
}

public static class CliApp
{
    public static async Task<int> RunAsync(string[] args, CliEnvironment env)
    {
        var globals = new GlobalOptions();
        var root = new RootCommand("Firebreak: incident response from alert to postmortem. `firebreak serve` runs the platform; every other command is its client.");
        root.Add(globals.Server);
        root.Add(globals.Token);
        root.Add(globals.Json);

        root.Add(ServeVerb.Build(env));
        foreach (var verb in IncidentVerbs.Build(env, globals)) root.Add(verb);
        foreach (var verb in DirectoryVerbs.Build(env, globals)) root.Add(verb);
        foreach (var verb in AlertVerbs.Build(env, globals)) root.Add(verb);
        foreach (var verb in CatalogVerbs.Build(env, globals)) root.Add(verb);
        foreach (var verb in OnCallVerbs.Build(env, globals)) root.Add(verb);
        foreach (var verb in PagingVerbs.Build(env, globals)) root.Add(verb);
        foreach (var verb in CommsVerbs.Build(env, globals)) root.Add(verb);

        var parse = root.Parse(args);
        return await parse.InvokeAsync(new InvocationConfiguration { Output = env.Out, Error = env.Error }, env.Shutdown);
    }

    /// <summary>Wraps a client verb: turns refusals and unreachable servers into a message and an exit code.</summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Client(CliEnvironment env, GlobalOptions globals,
        Func<CliContext, ParseResult, CancellationToken, Task> run) =>
        async (parse, ct) =>
        {
            using var context = new CliContext(env, parse, globals);
            try
            {
                await run(context, parse, ct);
                return 0;
            }
            catch (CliProblem problem)
            {
                await env.Error.WriteLineAsync($"error: {problem.Message}");
                return problem.ExitCode;
            }
        };
}
