using Spectre.Console;

namespace Firebreak.Cli;

/// <summary>What a CLI run reads from and writes to; tests give it their own writers and variables.</summary>
public sealed record CliEnvironment(
    TextWriter Out, TextWriter Error, Func<string, string?> Variable, string CurrentDirectory, bool Colour,
    CancellationToken Shutdown = default)
{
    public static CliEnvironment FromProcess() =>
        new(System.Console.Out, System.Console.Error, Environment.GetEnvironmentVariable, Directory.GetCurrentDirectory(),
            !System.Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null);

    public IAnsiConsole CreateConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Out),
            Ansi = Colour ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = Colour ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        // Piped output (scripts, tests, `| less`) has no terminal width; don't wrap it at 80 columns.
        if (!Colour) console.Profile.Width = 200;
        return console;
    }
}
