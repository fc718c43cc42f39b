using System.Net.Http.Json;
using System.Text;
using Firebreak.Tests.Support;

namespace Firebreak.Tests.Comms;

/// <summary>Every comms endpoint answers bad input with a problem document, and what was stored is unharmed.</summary>
public sealed class CommsBadInputTests(CommsServer server) : IClassFixture<CommsServer>
{
    [Fact]
    public async Task Malformed_unknown_and_out_of_order_requests_get_4xx_problems()
    {
        var admin = server.Admin();
        var key = "bad" + Guid.NewGuid().ToString("N")[..6];
        (await admin.PostAsJsonAsync("/api/v1/status/components", new { key, name = "Before" })).EnsureSuccessStatusCode();

        await (await admin.PostAsync("/api/v1/status/components", new StringContent("{\"key\": ", Encoding.UTF8, "application/json"))).ShouldBeProblemAsync(400);
        await (await admin.PostAsJsonAsync("/api/v1/status/components", new { key = "has space", name = "x" })).ShouldBeProblemAsync(422, "key");
        await (await admin.PostAsJsonAsync("/api/v1/status/components", new { key = "new-one" })).ShouldBeProblemAsync(422, "name");
        await (await admin.PostAsJsonAsync("/api/v1/status/components", new { key, service = "no-such-service" })).ShouldBeProblemAsync(422, "service");
        await (await admin.PatchAsJsonAsync($"/api/v1/status/components/{key}", new { status = "meltdown" })).ShouldBeProblemAsync(422, "status");
        await (await admin.PatchAsJsonAsync("/api/v1/status/components/nope", new { status = "major_outage" })).ShouldBeProblemAsync(404);
        await (await admin.PostAsJsonAsync("/api/v1/status/incidents/99999/updates", new { status = "resolved", body = "x" })).ShouldBeProblemAsync(404);
        await (await admin.PostAsJsonAsync("/api/v1/status/maintenances", new { title = "Upgrade", body = "Slow.", scheduledFor = DateTime.UtcNow.AddHours(2), scheduledUntil = DateTime.UtcNow.AddHours(1), components = new[] { key } })).ShouldBeProblemAsync(422, "scheduledUntil");
        await (await admin.PostAsJsonAsync("/api/v1/status/maintenances", new { title = "Upgrade", body = "Slow.", scheduledFor = DateTime.UtcNow.AddHours(1), scheduledUntil = DateTime.UtcNow.AddHours(2), components = new[] { "ghost" } })).ShouldBeProblemAsync(422, "components");
        await (await admin.PostAsJsonAsync("/api/v1/status/subscribers", new { webhook = "ftp://example.test/x" })).ShouldBeProblemAsync(422, "webhook");
        await (await admin.GetAsync("/api/v1/incidents/INC-99999/drafts/exec")).ShouldBeProblemAsync(404);
        await (await admin.PostAsJsonAsync("/api/v1/incidents/INC-99999/publish", new { title = "x", body = "y" })).ShouldBeProblemAsync(404);
        await (await server.Client().GetAsync("/api/v1/status/components")).ShouldBeProblemAsync(401);

        var id = (await server.DeclareAsync(admin, "Bad input target")).GetProperty("id").GetString()!;
        await (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/publish", new { title = "", body = "y", components = new Dictionary<string, string> { [key] = "major_outage" } })).ShouldBeProblemAsync(422, "title");
        await (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/publish", new { title = "x", body = "y", status = "panicking", components = new Dictionary<string, string> { [key] = "major_outage" } })).ShouldBeProblemAsync(422, "status");
        await (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/publish", new { title = "x", body = "y", impact = "apocalyptic", components = new Dictionary<string, string> { [key] = "major_outage" } })).ShouldBeProblemAsync(422, "impact");
        await (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/publish", new { title = "x", body = "y" })).ShouldBeProblemAsync(422, "components");
        await (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/publish", new { title = "x", body = new string('a', 5001), components = new Dictionary<string, string> { [key] = "major_outage" } })).ShouldBeProblemAsync(422, "body");
        await (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/drafts/exec", new { text = " " })).ShouldBeProblemAsync(422, "text");
        (await admin.GetAsync($"/incidents/{id}/live?after=not-a-number")).StatusCode.ShouldBe(System.Net.HttpStatusCode.BadRequest);

        var components = await (await admin.GetAsync("/api/v1/status/components")).JsonAsync();
        var stored = components.EnumerateArray().Single(c => c.GetProperty("key").GetString() == key);
        stored.GetProperty("name").GetString().ShouldBe("Before");
        stored.GetProperty("status").GetString().ShouldBe("operational");
        (await (await admin.GetAsync("/api/v1/status/incidents")).JsonAsync()).GetArrayLength().ShouldBe(0);
    }
}
