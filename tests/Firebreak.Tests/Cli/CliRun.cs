using Firebreak.Cli;
using Firebreak.Tests.Support;

namespace Firebreak.Tests.Cli;

/// <summary>One run of the real CLI verbs (the same code as the `firebreak` binary) against a real server.</summary>
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static Task<CliRun> InvokeAsync(FirebreakServer server, params string[] args) =>
        InvokeAsync(new Dictionary<string, string?> { ["FIREBREAK_URL"] = server.Url, ["FIREBREAK_TOKEN"] = server.AdminToken }, server.Root, args);

    public static async Task<CliRun> InvokeAsync(IReadOnlyDictionary<string, string?> variables, string currentDirectory, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var env = new CliEnvironment(output, error, name => variables.GetValueOrDefault(name), currentDirectory, Colour: false);
        var code = await CliApp.RunAsync(args, env);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    public CliRun ShouldSucceed()
    {
        ExitCode.ShouldBe(0, $"stdout: {Out}\nstderr: {Error}");
        return this;
    }
}
