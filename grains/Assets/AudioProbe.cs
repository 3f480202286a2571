using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Jacameno.Audio.Formats;
using Jacameno.Common;

namespace Jacameno.Assets;

/// <summary>What a file holds, as far as its container says.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.probe-result")]
public sealed record ProbeResult(
    [property: Id(0)] string Format,
    [property: Id(1)] string Codec,
    [property: Id(2)] double DurationSeconds,
    [property: Id(3)] int SampleRate,
    [property: Id(4)] int Channels,
    [property: Id(5)] int? BitDepth);

/// <summary>An audio file that cannot be used; the message is for the user.</summary>
public sealed class AudioRejectedException(string message) : Exception(message);

/// <summary>
/// Probes and decodes audio files: WAV in managed code, everything else (AIFF, FLAC, MP3, Ogg Vorbis, Opus,
/// AAC/M4A) through ffprobe/ffmpeg, started without a shell, with timeouts, killed when they overrun.
/// </summary>
public static class AudioProbe
{
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);

    private static readonly HashSet<string> AcceptedCodecs =
        ["pcm_s16le", "pcm_s24le", "pcm_s32le", "pcm_u8", "pcm_f32le", "pcm_f64le", "pcm_s16be", "pcm_s24be", "pcm_s32be", "pcm_f32be",
         "flac", "mp3", "vorbis", "opus", "aac", "alac"];

    public static async Task<ProbeResult> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        var container = await SniffAsync(path, cancellationToken);
        if (container == AudioContainer.Wav)
        {
            await using var file = File.OpenRead(path);
            try
            {
                var wav = WavReader.ReadHeader(file);
                return new ProbeResult("wav", wav.Encoding == WavEncoding.Float ? $"pcm_f{wav.BitsPerSample}le" : $"pcm_s{wav.BitsPerSample}le",
                    wav.Duration.TotalSeconds, wav.SampleRate, wav.Channels, wav.BitsPerSample);
            }
            catch (WavFormatException e)
            {
                throw new AudioRejectedException(e.Message);
            }
        }

        var (exit, output) = await RunAsync("ffprobe", ["-v", "error", .. InputOf(container, path), "-print_format", "json", "-show_format", "-show_streams"],
            ProbeTimeout, cancellationToken);
        if (exit != 0)
        {
            throw new AudioRejectedException("The file is not audio that can be read (ffprobe could not make sense of it).");
        }

        using var json = JsonDocument.Parse(output);
        var stream = json.RootElement.TryGetProperty("streams", out var streams)
            ? streams.EnumerateArray().FirstOrDefault(s => s.TryGetProperty("codec_type", out var type) && type.GetString() == "audio")
            : default;
        if (stream.ValueKind != JsonValueKind.Object)
        {
            throw new AudioRejectedException("The file holds no audio stream.");
        }

        var codec = stream.GetProperty("codec_name").GetString() ?? "";
        if (!AcceptedCodecs.Contains(codec))
        {
            throw new AudioRejectedException($"Audio coded as '{codec}' is not accepted (WAV, AIFF, FLAC, MP3, Ogg Vorbis, Opus, AAC/M4A are).");
        }

        var format = json.RootElement.GetProperty("format");
        var duration = Number(stream, "duration") ?? Number(format, "duration")
            ?? throw new AudioRejectedException("The file does not say how long it is.");
        var rate = (int)(Number(stream, "sample_rate") ?? 0);
        var channels = stream.TryGetProperty("channels", out var c) ? c.GetInt32() : 0;
        if (rate is < WavReader.MinSampleRate or > WavReader.MaxSampleRate || channels is < 1 or > WavReader.MaxChannels)
        {
            throw new AudioRejectedException($"{channels} channels at {rate} Hz is outside what is supported.");
        }

        var bits = (int?)(Number(stream, "bits_per_raw_sample") ?? Number(stream, "bits_per_sample"));
        return new ProbeResult(container.Demuxer, codec, duration, rate, channels, bits is > 0 ? bits : null);
    }

    /// <summary>The accepted container the file's magic bytes announce; anything else is refused before ffmpeg sees it.</summary>
    public static async Task<AudioContainer> SniffAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        var head = new byte[AudioContainer.HeadLength];
        var read = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        return AudioContainer.Sniff(head.AsSpan(0, read))
            ?? throw new AudioRejectedException("The file is not in an accepted audio format (WAV, AIFF, FLAC, MP3, Ogg Vorbis, Opus, AAC/M4A, WebM).");
    }

    /// <summary>
    /// ffmpeg's input arguments for a file of a known container: the demuxer named (never guessed, so a playlist or
    /// concat list is never parsed as one) and only the file protocol allowed, for the one local path.
    /// </summary>
    public static string[] InputOf(AudioContainer container, string path) =>
        ["-protocol_whitelist", "file", "-f", container.Demuxer, "-i", "file:" + Path.GetFullPath(path)];

    /// <summary>
    /// Decodes to planar float blocks at the file's own rate and channel count, calling <paramref name="block"/>
    /// for each; stops (and fails) past <paramref name="maxFrames"/>, so a file that lies about its length
    /// cannot run forever.
    /// </summary>
    public static async Task DecodeAsync(string path, ProbeResult probe, long maxFrames, Action<float[][], int> block, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (probe.Format == "wav")
        {
            await using var file = File.OpenRead(path);
            var info = WavReader.ReadHeader(file);
            if (info.Frames > maxFrames)
            {
                throw new AudioRejectedException($"The file is longer than the {maxFrames / info.SampleRate / 60} minutes allowed.");
            }

            // Block by block: memory stays flat however long the file.
            WavReader.ReadBlocks(file, info, block);
            return;
        }

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        var container = AudioContainer.FromDemuxer(probe.Format) ?? await SniffAsync(path, cancellationToken);
        using var ffmpeg = Start("ffmpeg", ["-v", "error", "-nostdin", .. InputOf(container, path), "-map", "0:a:0", "-f", "f32le", "-acodec", "pcm_f32le",
            "-ac", probe.Channels.ToString(CultureInfo.InvariantCulture), "-ar", probe.SampleRate.ToString(CultureInfo.InvariantCulture), "pipe:1"]);
        var errors = ffmpeg.StandardError.ReadToEndAsync(timer.Token);
        try
        {
            var frameBytes = 4 * probe.Channels;
            var buffer = new byte[frameBytes * 8192];
            var planar = Enumerable.Range(0, probe.Channels).Select(_ => new float[8192]).ToArray();
            var stdout = ffmpeg.StandardOutput.BaseStream;
            long total = 0;
            while (true)
            {
                var read = await stdout.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, timer.Token);
                var frames = read / frameBytes;
                for (var f = 0; f < frames; f++)
                {
                    for (var ch = 0; ch < probe.Channels; ch++)
                    {
                        var sample = BitConverter.ToSingle(buffer, (f * probe.Channels + ch) * 4);
                        planar[ch][f] = float.IsFinite(sample) ? sample : 0;
                    }
                }

                total += frames;
                if (total > maxFrames)
                {
                    throw new AudioRejectedException($"The audio runs longer than the {maxFrames / probe.SampleRate / 60} minutes allowed.");
                }

                if (frames > 0)
                {
                    block(planar, frames);
                }

                if (read < buffer.Length)
                {
                    break;
                }
            }

            await ffmpeg.WaitForExitAsync(timer.Token);
            if (ffmpeg.ExitCode != 0 || total == 0)
            {
                throw new AudioRejectedException($"The audio could not be decoded: {(await errors).Split('\n')[0]}");
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AudioRejectedException("Decoding took too long.");
        }
        finally
        {
            if (!ffmpeg.HasExited)
            {
                ffmpeg.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>Probes and decodes a whole file into memory (planar float at its own rate), for work that needs it all.</summary>
    public static async Task<(ProbeResult Probe, float[][] Samples)> DecodeAllAsync(string path, long maxFrames, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var probe = await ProbeAsync(path, cancellationToken);
        var capacity = (int)Math.Clamp((long)(probe.DurationSeconds * probe.SampleRate) + 1, 1, Math.Min(maxFrames, Array.MaxLength));
        var channels = Enumerable.Range(0, probe.Channels).Select(_ => new float[capacity]).ToArray();
        var frames = 0;
        await DecodeAsync(path, probe, maxFrames, (planar, count) =>
        {
            if (frames + count > channels[0].Length)
            {
                var grown = (int)Math.Min(Math.Max(channels[0].Length * 2L, frames + count), Array.MaxLength);
                for (var ch = 0; ch < channels.Length; ch++)
                {
                    Array.Resize(ref channels[ch], grown);
                }
            }

            for (var ch = 0; ch < channels.Length; ch++)
            {
                Array.Copy(planar[ch], 0, channels[ch], frames, count);
            }

            frames += count;
        }, timeout, cancellationToken);
        for (var ch = 0; ch < channels.Length; ch++)
        {
            Array.Resize(ref channels[ch], frames);
        }

        return (probe, channels);
    }

    // ffprobe writes some numbers as JSON strings ("44100") and some as numbers.
    private static double? Number(JsonElement element, string property) =>
        !element.TryGetProperty(property, out var value) ? null
        : value.ValueKind == JsonValueKind.Number ? value.GetDouble()
        : value.ValueKind == JsonValueKind.String && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number
        : null;

    /// <summary>Every ffmpeg and ffprobe starts here, so the running ones are counted (jacameno.processes.running).</summary>
    private static Process Start(string program, string[] arguments)
    {
        var process = new Process
        {
            StartInfo = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false },
            EnableRaisingEvents = true,
        };
        if (!process.Start())
        {
            process.Dispose();
            throw new InvalidOperationException($"{program} did not start; is ffmpeg installed?");
        }

        var span = JacamenoTelemetry.ProcessStarted(program);
        process.Exited += (_, _) => JacamenoTelemetry.ProcessEnded(program, span);
        return process;
    }

    internal static async Task<(int Exit, string Output)> RunAsync(string program, string[] arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var process = Start(program, arguments);
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(timer.Token);
            var errors = process.StandardError.ReadToEndAsync(timer.Token);
            await process.WaitForExitAsync(timer.Token);
            await errors;
            return (process.ExitCode, await output);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new AudioRejectedException($"{program} took longer than {timeout.TotalSeconds:F0} s.");
        }
    }
}
