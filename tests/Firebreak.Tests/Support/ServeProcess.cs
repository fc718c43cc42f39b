using System.Diagnostics;
using System.Text;

namespace Firebreak.Tests.Support;

/// <summary>`firebreak serve` as a real child process, as a user starts it; Kill is kill -9.</summary>
public sealed class ServeProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    public string Url { get; }
    public string Banner { get; private set; } = "";
    public string AdminToken { get; private set; } = "";

    private ServeProcess(Process process, string url)
    {
        _process = process;
        Url = url;
        // Drained continuously, so a chatty server can never block on a full pipe; kept for failure messages.
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.BeginErrorReadLine();
    }

    /// <summary>Starts the server and waits for its banner (URL and admin token).</summary>
    public static async Task<ServeProcess> StartAsync(string workingDirectory, string dataDir, string url, string? database)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "firebreak.dll"), "serve", "--data", dataDir, "--urls", url }) info.ArgumentList.Add(arg);
        if (database is not null)
        {
            info.ArgumentList.Add("--db");
            info.ArgumentList.Add(database);
        }
        var server = new ServeProcess(Process.Start(info)!, url);
        await server.ReadBannerAsync();
        return server;
    }

    private async Task ReadBannerAsync()
    {
        var lines = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await _process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            lines.Add(line);
            if (!line.Contains("admin token:")) continue;
            AdminToken = line.Split(':', 2)[1].Trim();
            _ = _process.StandardOutput.ReadToEndAsync();
            break;
        }
        Banner = string.Join('\n', lines);
        string stderr;
        lock (_stderr) stderr = _stderr.ToString();
        AdminToken.ShouldNotBeEmpty($"firebreak serve printed no token. exited: {_process.HasExited}; stderr: {stderr}");
    }

    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
