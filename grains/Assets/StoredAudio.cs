using Jacameno.Storage.Blobs;

namespace Jacameno.Assets;

/// <summary>Stored audio files decoded for the engine: what render jobs and studio previews read their clips from.</summary>
public static class StoredAudio
{
    /// <summary>
    /// The blob decoded whole (through a file in <paramref name="scratch"/>, deleted after), at most stereo; stops past
    /// <paramref name="maxFrames"/>. Null when the blob is gone; <see cref="AudioRejectedException"/> when it does not decode.
    /// </summary>
    public static async Task<(float[][] Samples, int SampleRate)?> DecodeAsync(IBlobStore blobs, string key, string scratch, long maxFrames, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var path = Path.Combine(scratch, $"{Guid.NewGuid():N}");
        try
        {
            await using (var content = await blobs.GetAsync(key, cancellationToken: cancellationToken))
            {
                if (content is null)
                {
                    return null;
                }

                await using var file = File.Create(path);
                await content.Stream.CopyToAsync(file, cancellationToken);
            }

            var (probe, samples) = await AudioProbe.DecodeAllAsync(path, maxFrames, timeout, cancellationToken);
            return (samples.Length > 2 ? samples[..2] : samples, probe.SampleRate);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
