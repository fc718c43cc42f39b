namespace Firebreak.Tests.Support;

/// <summary>
/// A test that needs a real program from Debian (e.g. prometheus-alertmanager). On a developer machine without
/// it, the test is skipped and says how to get it; in CI (CI=true) it always runs, so a missing install fails.
/// </summary>
public sealed class RequiresProgramFactAttribute : FactAttribute
{
    public RequiresProgramFactAttribute(string program)
    {
        if (Programs.Find(program) is null && Environment.GetEnvironmentVariable("CI") != "true")
            Skip = $"{program} is not installed here (apt-get install {program}; .ci/run installs it). CI runs this test.";
    }
}

public static class Programs
{
    public static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
