using Firebreak.Cli;

return await CliApp.RunAsync(args, CliEnvironment.FromProcess());

/// <summary>Entry point: <c>firebreak serve</c> runs the platform, every other verb is a client of its API.</summary>
public partial class Program;
