using System.Collections.Concurrent;
using System.Text.Json;
using Firebreak.OnCall;
using Firebreak.Storage;
using Microsoft.EntityFrameworkCore;

namespace Firebreak.Demo;

/// <summary>
/// With <c>--demo</c> only: a local sink the demo people's webhook contact methods point at, so a page can be
/// followed end to end without Slack or email (<c>firebreak pages</c>, <c>GET /api/v1/demo/inbox</c>).
/// </summary>
public sealed class DemoInbox
{
    public sealed record Message(string To, DateTime At, JsonElement Body);

    private readonly ConcurrentQueue<Message> _messages = new();

    public IReadOnlyList<Message> Messages => [.. _messages.Reverse()];

    public void Add(Message message)
    {
        _messages.Enqueue(message);
        while (_messages.Count > 200) _messages.TryDequeue(out _);
    }

    public static void Map(WebApplication app)
    {
        app.MapPost("/demo/inbox/{handle}", async (string handle, HttpRequest request, DemoInbox inbox, TimeProvider clock) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            inbox.Add(new Message(handle, clock.GetUtcNow().UtcDateTime, body.RootElement.Clone()));
            return TypedResults.Ok();
        }).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/api/v1/demo/inbox", (DemoInbox inbox) => TypedResults.Ok(inbox.Messages)).WithTags("Demo").WithSummary("What the demo's pages delivered");
    }

    /// <summary>Once the server listens: every demo person gets a webhook into this inbox (if they have no contact method yet).</summary>
    public static async Task SeedContactsAsync(IServiceProvider services, string url, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirebreakDb>();
        if (await db.Set<ContactMethod>().AnyAsync(ct)) return;
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        foreach (var person in await db.People.Where(p => p.Handle != "admin" && p.Handle != Identity.AdminBootstrap.SystemHandle).ToListAsync(ct))
            db.Set<ContactMethod>().Add(new ContactMethod { PersonId = person.Id, Kind = "webhook", Address = $"{url.TrimEnd('/')}/demo/inbox/{person.Handle}", CreatedAt = now });
        await db.SaveChangesAsync(ct);
    }
}
