using Firebreak.Tests.Support;

namespace Firebreak.Tests.Comms;

/// <summary>A server with a real SMTP sink, and SEV3 on a 2-second update cadence so reminders come quickly.</summary>
public sealed class CommsServer : FirebreakServer
{
    public SmtpSink Smtp { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(Smtp.Settings("status@firebreak.test"))
    {
        ["Firebreak:Comms:Cadence:SEV3"] = "2s",
        ["Firebreak:Comms:Cadence:SEV5"] = "none",
        ["Firebreak:StatusPage:Name"] = "Acme",
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Smtp.Dispose();
    }
}
