using System.Globalization;
using System.Text.Json;
using Jacameno.Assets;
using Jacameno.Common;
using Jacameno.Storage.Blobs;

namespace Jacameno.Streaming;

/// <summary>
/// Release artwork: an uploaded image (JPEG, PNG, WebP, GIF or BMP, 200 to 10,000 px a side) checked by ffprobe
/// and cropped to squares of <see cref="Sizes"/> px as JPEG by ffmpeg; what is served is always our re-encoding.
/// </summary>
public static class Artwork
{
    public static readonly int[] Sizes = [300, 1000];

    private static readonly string[] ImageCodecs = ["mjpeg", "png", "webp", "gif", "bmp"];
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static string Key(string prefix, int size) => $"{prefix}/{size}.jpg";

    /// <summary>Makes the square JPEGs of <paramref name="path"/> in its folder; refuses what is not an image of a usable size.</summary>
    public static async Task<IReadOnlyDictionary<int, string>> ResizeAsync(string path, CancellationToken cancellationToken)
    {
        var input = InputOf(path);
        var (exit, output) = await AudioProbe.RunAsync("ffprobe", ["-v", "error", .. input, "-select_streams", "v:0",
            "-show_entries", "stream=codec_name,width,height:format=format_name,nb_streams", "-of", "json"], Timeout, cancellationToken);
        var stream = exit == 0 ? Parse(output) : null;
        if (stream is not { } s || !ImageCodecs.Contains(s.Codec))
        {
            throw DomainException.Invalid("file", "The file is not an image (JPEG, PNG, WebP, GIF or BMP).");
        }

        if (s.Width is < 200 or > 10_000 || s.Height is < 200 or > 10_000)
        {
            throw DomainException.Invalid("file", $"The image is {s.Width}×{s.Height} px; artwork is 200 to 10000 px a side.");
        }

        var outputs = new Dictionary<int, string>();
        foreach (var size in Sizes)
        {
            var target = Path.Combine(Path.GetDirectoryName(path)!, $"{size}.jpg");
            var filter = string.Create(CultureInfo.InvariantCulture, $"scale={size}:{size}:force_original_aspect_ratio=increase,crop={size}:{size}");
            var (code, _) = await AudioProbe.RunAsync("ffmpeg", ["-v", "error", "-nostdin", "-y", .. input, "-frames:v", "1", "-vf", filter,
                "-map_metadata", "-1", "-q:v", "3", target], Timeout, cancellationToken);
            outputs[size] = code == 0 && File.Exists(target) ? target : throw DomainException.Invalid("file", "The image could not be read.");
        }

        return outputs;
    }

    /// <summary>
    /// ffmpeg's input arguments for the image: its demuxer chosen from its magic bytes (ffmpeg never guesses, so a
    /// playlist or concat list posing as artwork is refused here) and only the file protocol allowed.
    /// </summary>
    private static string[] InputOf(string path)
    {
        Span<byte> head = stackalloc byte[12];
        int read;
        using (var file = File.OpenRead(path))
        {
            read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        head = head[..read];
        var demuxer = head switch
        {
            [0xFF, 0xD8, 0xFF, ..] => "jpeg_pipe",
            [0x89, (byte)'P', (byte)'N', (byte)'G', ..] => "png_pipe",
            [(byte)'G', (byte)'I', (byte)'F', (byte)'8', ..] => "gif",
            [(byte)'B', (byte)'M', ..] => "bmp_pipe",
            [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P'] => "webp_pipe",
            _ => throw DomainException.Invalid("file", "The file is not an image (JPEG, PNG, WebP, GIF or BMP)."),
        };
        return ["-protocol_whitelist", "file", "-f", demuxer, "-i", "file:" + Path.GetFullPath(path)];
    }

    private static (string Codec, int Width, int Height)? Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("streams", out var streams) || streams.GetArrayLength() == 0)
            {
                return null;
            }

            var stream = streams[0];
            return (stream.GetProperty("codec_name").GetString() ?? "", stream.GetProperty("width").GetInt32(), stream.GetProperty("height").GetInt32());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}

/// <summary>Crops the image to <see cref="Artwork.Sizes"/>, stores them under a new prefix and points the release at it.</summary>
public sealed class ReleaseArtwork(IGrainFactory grains, IBlobStore blobs) : IReleaseArtwork
{
    public async Task<ReleaseInfo> SetAsync(Guid userId, Guid releaseId, Stream image, CancellationToken cancellationToken = default)
    {
        var release = grains.GetGrain<IReleaseGrain>(releaseId);
        if ((await release.GetAsync(new ReleaseViewer(userId))).OwnerId != userId)
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Only the release's owner may change it.");
        }

        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"jacameno-artwork-{Guid.NewGuid():N}")).FullName;
        var prefix = $"releases/{releaseId:N}/artwork-{Guid.NewGuid():N}";
        try
        {
            var source = Path.Combine(folder, "source");
            await using (var file = File.Create(source))
            {
                await image.CopyToAsync(file, cancellationToken);
            }

            foreach (var (size, path) in await Artwork.ResizeAsync(source, cancellationToken))
            {
                await using var resized = File.OpenRead(path);
                await blobs.PutAsync(Artwork.Key(prefix, size), resized, "image/jpeg", cancellationToken);
            }

            return await release.SetArtworkAsync(userId, prefix);
        }
        catch
        {
            foreach (var size in Artwork.Sizes)
            {
                await blobs.DeleteAsync(Artwork.Key(prefix, size), CancellationToken.None);
            }

            throw;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
