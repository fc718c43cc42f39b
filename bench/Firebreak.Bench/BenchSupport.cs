using System.Diagnostics;

namespace Firebreak.Bench;

/// <summary>What both benchmarks need: a real `firebreak serve` process, free ports, and programs on PATH.</summary>
internal static class BenchSupport
{
    public sealed record Server(Process Process, string Url, string Token) : IDisposable
    {
        public int Pid => Process.Id;

        public void Dispose()
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
            Process.Dispose();
        }
    }

    /// <summary>Starts the Release build of Firebreak on a free loopback port with a fresh data directory; returns once it prints its token.</summary>
    public static async Task<Server> StartFirebreakAsync(string work)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = work };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "firebreak.dll"), "serve", "--data", Path.Combine(work, "firebreak-data"), "--urls", url })
            info.ArgumentList.Add(arg);
        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (!line.Contains("admin token:", StringComparison.Ordinal)) continue;
            _ = process.StandardOutput.ReadToEndAsync();
            return new Server(process, url, line.Split(':', 2)[1].Trim());
        }
        throw new InvalidOperationException("firebreak serve did not start");
    }

    /// <summary>A process's resident memory (VmRSS) in MiB, from /proc.</summary>
    public static double ResidentMiB(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }

    public static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
