using System.Text.Json;
using Jacameno.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Jacameno.Frontend.Tests;

/// <summary>
/// A local OpenAI-compatible chat server (POST /v1/chat/completions) the lyrics tests point the platform at.
/// It answers as <see cref="Answer"/> says: good lyrics, garbage, an HTTP error, or nothing for a while.
/// </summary>
public sealed class FakeChatModel : IAsyncDisposable
{
    public enum Behaviour
    {
        Lyrics,
        Garbage,
        ServerError,
        Hang,
    }

    private readonly WebApplication app;
    private int requests;

    private FakeChatModel(WebApplication app, string endpoint) => (this.app, Endpoint) = (app, endpoint);

    public string Endpoint { get; }

    public Behaviour Answer { get; set; } = Behaviour.Lyrics;

    /// <summary>How long a hanging answer hangs before it gives good lyrics after all.</summary>
    public TimeSpan HangFor { get; set; } = TimeSpan.FromMinutes(5);

    public int Requests => Volatile.Read(ref requests);

    /// <summary>The last request's body (the prompt), for checks.</summary>
    public string? LastRequest { get; private set; }

    public static async Task<FakeChatModel> StartAsync()
    {
        var port = TestServices.FreePort();
        var app = WebApplication.CreateSlimBuilder().Build();
        app.Urls.Add($"http://127.0.0.1:{port}");
        var model = new FakeChatModel(app, $"http://127.0.0.1:{port}/v1");
        app.MapPost("/v1/chat/completions", (Delegate)model.CompleteAsync);
        await app.StartAsync();
        return model;
    }

    private async Task<IResult> CompleteAsync(HttpContext http)
    {
        Interlocked.Increment(ref requests);
        using var reader = new StreamReader(http.Request.Body);
        LastRequest = await reader.ReadToEndAsync();
        switch (Answer)
        {
            case Behaviour.ServerError:
                return Results.StatusCode(500);
            case Behaviour.Hang:
                await Task.Delay(HangFor, http.RequestAborted);
                break;
        }

        var content = Answer == Behaviour.Garbage
            ? "Sure! Here are some lyrics about the sea, hope you like them."
            : JsonSerializer.Serialize(new
            {
                sections = new object[]
                {
                    new { name = "verse", lines = new[] { "The model sings of salt and foam", "It writes these lines to bring you home" } },
                    new { name = "chorus", lines = new[] { "Oh the sea, the sea", "Is calling you and me" } },
                },
            });
        return Results.Json(new
        {
            id = "chatcmpl-test",
            @object = "chat.completion",
            created = 0,
            model = "test-model",
            choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" } },
            usage = new { prompt_tokens = 10, completion_tokens = 20, total_tokens = 30 },
        });
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
