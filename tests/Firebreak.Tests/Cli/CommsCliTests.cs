using Firebreak.Tests.Support;

namespace Firebreak.Tests.Cli;

/// <summary>The README's comms commands, through the real CLI verbs against a real server.</summary>
public class CommsCliTests(FirebreakServer server) : IClassFixture<FirebreakServer>
{
    [Fact]
    public async Task A_comms_lead_drafts_publishes_updates_and_schedules_maintenance_from_the_terminal()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var service = "checkout" + suffix;
        (await server.CliAsync("service", "add", service, "--tier", "1")).ShouldSucceed();
        var id = (await server.CliAsync("declare", "--title", "Checkout API 5xx spike", "--sev", "1", "--service", service)).ShouldSucceed().Out.Trim();
        (await server.CliAsync("role", id, "comms", "admin")).ShouldSucceed();
        (await server.CliAsync("update", id, "--condition", "12% of checkouts fail", "--need", "Approval to pause the promotion")).ShouldSucceed();
        (await server.CliAsync("workstream", id, "Roll back payments-client", "--lead", "admin")).ShouldSucceed().Out.ShouldContain("1. Roll back payments-client lead @admin");
        (await server.CliAsync("workstream", id, "--number", "1", "--done")).ShouldSucceed().Out.ShouldContain("✓ 1. Roll back payments-client");

        var exec = (await server.CliAsync("draft", id, "--audience", "exec")).ShouldSucceed().Out;
        exec.ShouldContain($"SEV1 incident {id}: Checkout API 5xx spike");
        exec.ShouldContain("Decisions needed from you: Approval to pause the promotion");
        (await server.CliAsync("draft", id, "--audience", "exec", "--post")).ShouldSucceed().Out.ShouldContain("Posted to exec");

        var leaky = Path.Combine(server.Root, "leaky.txt");
        await File.WriteAllTextAsync(leaky, "The deploy to checkout-prod-2 failed.");
        var refused = await server.CliAsync("draft", id, "--audience", "customer", "--file", leaky);
        refused.ExitCode.ShouldNotBe(0);
        refused.Error.ShouldContain("checkout-prod-2");
        (await server.CliAsync("draft", id, "--audience", "customer", "--file", leaky, "--force")).ShouldSucceed();

        var component = "web" + suffix;
        (await server.CliAsync("statuspage", "component", "add", component, "--name", "Website", "--service", service)).ShouldSucceed().Out.ShouldContain("operational");
        (await server.CliAsync("publish", id, "--title", "Checkout problems", "--status", "investigating", "-c", $"{component}=major_outage",
            "--body", "Some customers cannot check out.")).ShouldSucceed().Out.ShouldContain("Checkout problems — investigating (major)");
        var list = (await server.CliAsync("statuspage", "list")).ShouldSucceed().Out;
        list.ShouldContain("Checkout problems");
        var publicId = list.Split('\n').First(l => l.Contains("Checkout problems", StringComparison.Ordinal)).Trim().Split(' ')[0];
        (await server.CliAsync("statuspage", "update", publicId, "--status", "resolved", "--body", "Checkout works normally again.")).ShouldSucceed().Out.ShouldContain("resolved");
        (await server.CliAsync("statuspage", "component", "list")).ShouldSucceed().Out.ShouldContain($"{component}");
        (await server.CliAsync("statuspage", "maintenance", "--title", "Database upgrade", "--from", "2030-12-01T02:00Z", "--until", "2030-12-01T03:00Z",
            "-c", component, "--body", "Checkout may be slow for a few minutes.")).ShouldSucceed().Out.ShouldContain("scheduled");
        var unknown = await server.CliAsync("publish", id, "--title", "x", "--body", "y", "-c", "nope=major_outage");
        unknown.ExitCode.ShouldNotBe(0);
        unknown.Error.ShouldContain("No status page component 'nope'");
        (await server.CliAsync("statuspage", "subscriber", "add", "--webhook", "http://127.0.0.1:9/hook")).ShouldSucceed().Out.ShouldContain("active");
    }
}
