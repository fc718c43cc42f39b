using Firebreak.Bench;

// dotnet run -c Release --project bench/Firebreak.Bench -- alert-storm [--seconds N] [--connections N]
// dotnet run -c Release --project bench/Firebreak.Bench -- paging-latency [--samples N] [--background N]
// dotnet run -c Release --project bench/Firebreak.Bench -- live-viewers [--viewers N] [--updates N] [--interval-ms N]
// dotnet run -c Release --project bench/Firebreak.Bench -- status-page [--seconds N] [--connections N] [--samples N]
var seconds = Args.Int(args, "--seconds", 10);
var connections = Args.Int(args, "--connections", 64);
return args.FirstOrDefault() switch
{
    "paging-latency" => await PagingLatency.RunAsync(Args.Int(args, "--samples", 30), Args.Int(args, "--background", 1000)),
    "live-viewers" => await LiveViewers.RunAsync(Args.Int(args, "--viewers", 1000), Args.Int(args, "--updates", 30), Args.Int(args, "--interval-ms", 500)),
    "status-page" => await StatusPageLoad.RunAsync(seconds, connections, Args.Int(args, "--samples", 20)),
    _ => await AlertStorm.RunAsync(seconds, connections),
};

internal static class Args
{
    public static int Int(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out var value) ? value : fallback;
    }
}
