using System.Diagnostics;
using System.Net;
using Jacameno.Tests;

namespace Jacameno.Frontend.Tests;

/// <summary>
/// A local push service (in place of Mozilla's, Google's, FCM's or APNs's): records each request's path, headers and
/// body, and answers what <see cref="Respond"/> says for its path (201 by default).
/// </summary>
public sealed class PushServiceStandIn : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly List<Request> received = [];

    public PushServiceStandIn()
    {
        Address = new Uri($"http://127.0.0.1:{TestServices.FreePort()}/");
        listener.Prefixes.Add(Address.ToString());
        listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public sealed record Request(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
    {
        public string Text => System.Text.Encoding.UTF8.GetString(Body);
    }

    /// <summary>What to answer a request: a status, a body, and how long to wait first.</summary>
    public sealed record Answer(int Status, string Body = "", TimeSpan Delay = default, long BodyBytes = 0, IReadOnlyDictionary<string, string>? Headers = null);

    public Uri Address { get; }

    public Func<Request, Answer> Respond { get; set; } = _ => new Answer(201);

    public List<Request> Received
    {
        get
        {
            lock (received)
            {
                return [.. received];
            }
        }
    }

    public List<Request> To(string path) => [.. Received.Where(r => r.Path == path)];

    public async Task<Request> WaitForAsync(Func<Request, bool> match, int seconds = 30)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (Received.FirstOrDefault(match) is { } request)
            {
                return request;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(seconds), $"No such push arrived; received: {string.Join(", ", Received.Select(r => r.Path))}");
            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            var request = new Request(context.Request.Url!.AbsolutePath, headers, body.ToArray());
            lock (received)
            {
                received.Add(request);
            }

            var answer = Respond(request);
            if (answer.Delay > TimeSpan.Zero)
            {
                await Task.Delay(answer.Delay);
            }

            context.Response.StatusCode = answer.Status;
            foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }

            if (answer.BodyBytes > 0)
            {
                // A flood: far more than anyone should read.
                context.Response.SendChunked = true;
                var chunk = new byte[64 * 1024];
                for (long sent = 0; sent < answer.BodyBytes; sent += chunk.Length)
                {
                    await context.Response.OutputStream.WriteAsync(chunk);
                }
            }
            else if (answer.Body.Length > 0)
            {
                context.Response.ContentType = "application/json";
                var bytes = System.Text.Encoding.UTF8.GetBytes(answer.Body);
                await context.Response.OutputStream.WriteAsync(bytes);
            }

            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            // The platform hung up (as it should on a flood or after its timeout).
        }
    }
}
