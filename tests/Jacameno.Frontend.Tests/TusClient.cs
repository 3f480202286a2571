using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Jacameno.Frontend.Tests;

/// <summary>A tus 1.0 client over an <see cref="HttpClient"/>, as a test drives it: each request is one call, nothing is retried unasked.</summary>
internal sealed class TusClient(HttpClient http)
{
    public HttpClient Http => http;

    /// <summary>Upload-Metadata from plain pairs.</summary>
    public static string Metadata(params (string Key, string Value)[] pairs) =>
        string.Join(',', pairs.Select(p => $"{p.Key} {Convert.ToBase64String(Encoding.UTF8.GetBytes(p.Value))}"));

    public static HttpRequestMessage Request(HttpMethod method, string url, string? version = "1.0.0")
    {
        var request = new HttpRequestMessage(method, url);
        if (version is not null)
        {
            request.Headers.Add("Tus-Resumable", version);
        }

        return request;
    }

    public async Task<HttpResponseMessage> CreateAsync(long length, string metadata, byte[]? firstBytes = null)
    {
        using var request = Request(HttpMethod.Post, "/api/uploads");
        request.Headers.Add("Upload-Length", length.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("Upload-Metadata", metadata);
        if (firstBytes is not null)
        {
            request.Content = Body(firstBytes);
        }

        return await http.SendAsync(request);
    }

    /// <summary>Opens an upload whose length is not known yet (Upload-Defer-Length: 1), as a recording does; returns its URL.</summary>
    public async Task<string> CreatedDeferredAsync(string metadata)
    {
        using var request = Request(HttpMethod.Post, "/api/uploads");
        request.Headers.Add("Upload-Defer-Length", "1");
        request.Headers.Add("Upload-Metadata", metadata);
        var response = await http.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return response.Headers.Location!.ToString();
    }

    /// <summary>A PATCH that also declares the upload's length (an upload opened without one).</summary>
    public async Task<HttpResponseMessage> PatchDeclaringAsync(string url, long offset, ReadOnlyMemory<byte> bytes, long length)
    {
        using var request = Request(HttpMethod.Patch, url);
        request.Headers.Add("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("Upload-Length", length.ToString(CultureInfo.InvariantCulture));
        request.Content = Body(bytes.ToArray());
        return await http.SendAsync(request);
    }

    /// <summary>Creates an upload and returns its URL; fails the test unless it was created.</summary>
    public async Task<string> CreatedAsync(long length, string metadata)
    {
        var response = await CreateAsync(length, metadata);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return response.Headers.Location!.ToString();
    }

    public async Task<HttpResponseMessage> HeadAsync(string url)
    {
        using var request = Request(HttpMethod.Head, url);
        return await http.SendAsync(request);
    }

    /// <summary>The upload's offset as HEAD tells it.</summary>
    public async Task<long> OffsetAsync(string url)
    {
        var response = await HeadAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return long.Parse(response.Headers.GetValues("Upload-Offset").Single(), CultureInfo.InvariantCulture);
    }

    public async Task<HttpResponseMessage> PatchAsync(string url, long offset, ReadOnlyMemory<byte> bytes, string? checksum = null)
    {
        using var request = Request(HttpMethod.Patch, url);
        request.Headers.Add("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
        if (checksum is not null)
        {
            request.Headers.Add("Upload-Checksum", checksum);
        }

        request.Content = Body(bytes.ToArray());
        return await http.SendAsync(request);
    }

    /// <summary>
    /// A PATCH whose connection breaks after <paramref name="cutAfter"/> bytes of <paramref name="bytes"/> were sent. Over
    /// a real socket the client closes its side a moment after its last byte, the announced length unsent, as a dropped
    /// network ends a body, and waits (at most 10 s) until the server has kept what was sent. In process (no socket) the
    /// body stream fails instead, and the server keeps what it had read by then.
    /// </summary>
    public async Task CutPatchAsync(string url, long offset, ReadOnlyMemory<byte> bytes, int cutAfter)
    {
        if (http.BaseAddress is { IsLoopback: true, Port: not 80 } server)
        {
            using var socket = new System.Net.Sockets.TcpClient();
            await socket.ConnectAsync(server.Host, server.Port);
            var stream = socket.GetStream();
            var head = $"PATCH {url} HTTP/1.1\r\nHost: {server.Authority}\r\nAuthorization: {http.DefaultRequestHeaders.Authorization}\r\n"
                + $"Tus-Resumable: 1.0.0\r\nUpload-Offset: {offset}\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: {bytes.Length}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(bytes[..cutAfter]);
            // Kestrel hands out no body bytes that reach it together with the connection's end: the cut comes a moment
            // after the last byte, as on a real network, not in the same packet.
            await Task.Delay(250);
            socket.Client.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            // Read until the server closes (closing first, with unread bytes, would reset the connection), then until it
            // has taken in what arrived: the server goes on after the connection ends.
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await stream.CopyToAsync(Stream.Null, wait.Token);
            }
            catch (IOException)
            {
            }

            var cut = offset + cutAfter;
            for (var deadline = DateTime.UtcNow.AddSeconds(10); await OffsetAsync(url) != cut && DateTime.UtcNow < deadline;)
            {
                await Task.Delay(20);
            }

            return;
        }

        using var request = Request(HttpMethod.Patch, url);
        request.Headers.Add("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
        request.Content = new CutContent(bytes[..cutAfter]);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        request.Content.Headers.ContentLength = bytes.Length;
        await Assert.ThrowsAnyAsync<Exception>(() => http.SendAsync(request));
    }

    /// <summary>
    /// Sends <paramref name="file"/> from the server's offset to the end: each attempt is cut at the next of
    /// <paramref name="cuts"/> (absolute positions in the file) past the offset, the last goes through. A 409 (another
    /// PATCH of this upload, cut but still being saved, came first) is answered as a client does: ask the offset again.
    /// Returns the last answer and every offset the server told in between.
    /// </summary>
    public async Task<(HttpResponseMessage Response, List<long> Offsets)> SendAsync(string url, byte[] file, IEnumerable<long> cuts)
    {
        var pending = new Queue<long>(cuts.Order());
        var offsets = new List<long>();
        while (true)
        {
            var offset = await OffsetAsync(url);
            offsets.Add(offset);
            while (pending.Count > 0 && pending.Peek() <= offset)
            {
                pending.Dequeue();
            }

            if (pending.TryDequeue(out var cut))
            {
                await CutPatchAsync(url, offset, file.AsMemory((int)offset), (int)(cut - offset));
                continue;
            }

            var response = await PatchAsync(url, offset, file.AsMemory((int)offset));
            if (response.StatusCode != HttpStatusCode.Conflict)
            {
                return (response, offsets);
            }
        }
    }

    public static string Sha1(ReadOnlySpan<byte> bytes) => "sha1 " + Convert.ToBase64String(SHA1.HashData(bytes));

    public static ByteArrayContent Body(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        return content;
    }

    /// <summary>Sends its bytes, then breaks.</summary>
    private sealed class CutContent(ReadOnlyMemory<byte> sent) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(sent);
            await stream.FlushAsync();
            throw new IOException("The connection was cut.");
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
