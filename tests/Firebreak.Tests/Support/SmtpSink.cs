using System.Diagnostics;
using System.Net.Sockets;

namespace Firebreak.Tests.Support;

/// <summary>A real SMTP server on loopback (Debian's python3-aiosmtpd) that stores what it receives in a Maildir.</summary>
public sealed class SmtpSink : IDisposable
{
    public const string Module = "/usr/lib/python3/dist-packages/aiosmtpd";
    private readonly Process? _process;
    private readonly string _dir = Directory.CreateTempSubdirectory("firebreak-smtp-").FullName;

    public int Port { get; } = Programs.FreePort();
    public static bool Available => Directory.Exists(Module);

    public SmtpSink()
    {
        if (!Available) return;
        var maildir = Path.Combine(_dir, "mail");
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{Port}", "-c", "aiosmtpd.handlers.Mailbox", maildir }) info.ArgumentList.Add(arg);
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect("127.0.0.1", Port);
                return;
            }
            catch (SocketException) { Thread.Sleep(50); }
        }
    }

    /// <summary>The raw messages received so far.</summary>
    /// <summary>The configuration that points Firebreak's mail at this sink.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings(string from) =>
    [
        new("Firebreak:Paging:Smtp:Host", "127.0.0.1"),
        new("Firebreak:Paging:Smtp:Port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Firebreak:Paging:Smtp:Security", "none"),
        new("Firebreak:Paging:Smtp:From", from),
    ];

    public IReadOnlyList<string> Messages()
    {
        var folder = Path.Combine(_dir, "mail", "new");
        return Directory.Exists(folder) ? [.. Directory.GetFiles(folder).Select(File.ReadAllText)] : [];
    }

    public void Dispose()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        _process?.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Needs Debian's python3-aiosmtpd; skipped (saying so) without it, except in CI where it must be there.</summary>
public sealed class RequiresSmtpSinkFactAttribute : FactAttribute
{
    public RequiresSmtpSinkFactAttribute()
    {
        if (!SmtpSink.Available && Environment.GetEnvironmentVariable("CI") != "true")
            Skip = "python3-aiosmtpd is not installed here (apt-get install python3-aiosmtpd; .ci/run installs it). CI runs this test.";
    }
}
