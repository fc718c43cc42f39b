using System.Net.Http.Json;
using Firebreak.Tests.Support;

namespace Firebreak.Tests.Hosting;

public class RestartTests
{
    [Fact]
    public async Task Stopping_and_starting_keeps_incidents_people_tokens_and_timeline()
    {
        var server = new FirebreakServer();
        await server.InitializeAsync();
        try
        {
            var (handle, token) = await server.PersonAsync("keep");
            var id = (await server.DeclareAsync(server.Client(token), "Kept across restarts")).GetProperty("id").GetString();
            await server.Admin().PostAsJsonAsync($"/api/v1/incidents/{id}/roles", new { role = "commander", handle });
            var adminToken = server.AdminToken;

            await server.StopAsync();
            await server.StartAsync();

            server.AdminToken.ShouldBe(adminToken);
            var view = await (await server.Client(token).GetAsync($"/api/v1/incidents/{id}")).JsonAsync();
            view.GetProperty("roles")[0].GetProperty("handle").GetString().ShouldBe(handle);
            view.GetProperty("timeline").GetArrayLength().ShouldBe(2);
            var next = await server.DeclareAsync(server.Admin(), "after restart");
            int.Parse(next.GetProperty("id").GetString()!["INC-".Length..]).ShouldBeGreaterThan(int.Parse(id!["INC-".Length..]));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_lost_token_file_gets_a_fresh_admin_token_on_start()
    {
        var server = new FirebreakServer();
        await server.InitializeAsync();
        try
        {
            var old = server.AdminToken;
            await server.StopAsync();
            File.Delete(Path.Combine(server.DataDir, "admin.token"));
            await server.StartAsync();

            server.AdminToken.ShouldNotBe(old);
            (await server.Admin().GetAsync("/api/v1/me")).EnsureSuccessStatusCode();
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
