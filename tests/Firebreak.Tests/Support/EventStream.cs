using System.Net.Http.Headers;
using System.Text;
using System.Threading.Channels;

namespace Firebreak.Tests.Support;

public sealed record ServerSentEvent(string? Id, string Event, string Data);

/// <summary>A server-sent event stream read the way EventSource reads it: frames split on blank lines.</summary>
public sealed class EventStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly Channel<ServerSentEvent> _events = Channel.CreateUnbounded<ServerSentEvent>();
    private readonly Task _reader;
    private readonly CancellationTokenSource _stop = new();

    private EventStream(HttpResponseMessage response)
    {
        _response = response;
        _reader = Task.Run(ReadAsync);
    }

    public static async Task<EventStream> OpenAsync(HttpClient http, string path, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        return new EventStream(response);
    }

    /// <summary>The next event of this type; fails the test if none comes within the time given.</summary>
    public async Task<ServerSentEvent> NextAsync(string type, int seconds = 10)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            while (true)
            {
                var e = await _events.Reader.ReadAsync(timeout.Token);
                if (e.Event == type) return e;
            }
        }
        catch (OperationCanceledException)
        {
            throw new ShouldAssertException($"No '{type}' event within {seconds}s");
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            using var reader = new StreamReader(await _response.Content.ReadAsStreamAsync(_stop.Token), Encoding.UTF8);
            string? id = null, type = null;
            var data = new StringBuilder();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data.Length > 0) _events.Writer.TryWrite(new ServerSentEvent(id, type ?? "message", data.ToString()));
                    (id, type) = (null, null);
                    data.Clear();
                }
                else if (line.StartsWith("id: ", StringComparison.Ordinal)) id = line[4..];
                else if (line.StartsWith("event: ", StringComparison.Ordinal)) type = line[7..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal)) data.Append(line[6..]);
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _response.Dispose();
        try { await _reader; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
