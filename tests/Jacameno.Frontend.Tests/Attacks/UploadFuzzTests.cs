using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using Xunit.Abstractions;

namespace Jacameno.Frontend.Tests.Attacks;

/// <summary>
/// 2 000 malformed or hostile uploads from a fixed seed (truncated and corrupted files of every accepted format,
/// huge chunk sizes, playlists, concat lists, zip bombs, polyglots): each is refused with a 4xx or becomes a failed
/// asset with a reason, never a 5xx; no ffmpeg is left running; the server's memory stays bounded.
/// </summary>
[Collection(UploadFuzzCollection.Name)]
public sealed class UploadFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Uploads = 2000;
    private const int Users = 8;
    private EmbeddedPlatform platform = null!;

    public Task InitializeAsync()
    {
        platform = new EmbeddedPlatform(EmbeddedPlatform.NewDataDirectory(), new Dictionary<string, string?>
        {
            ["Jacameno:Assets:DecodeTimeout"] = "00:00:30",
            ["Jacameno:Assets:MaxUploadBytes"] = "4000000",
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await platform.DisposeAsync();

    [Fact]
    public async Task TwoThousandHostileUploads_AreRefusedOrFail_WithAReason()
    {
        var seeds = await SeedsAsync();
        var random = new Random(20261204);
        var clients = new List<HttpClient>();
        for (var u = 0; u < Users; u++)
        {
            clients.Add(platform.CreateClient((await platform.RegisterAsync()).AccessToken));
        }

        var uploaded = new List<(HttpClient Client, string Id, string Kind)>();
        var refused = 0;
        long baseline = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Uploads; i++)
        {
            var (kind, bytes) = Mutate(seeds, random);
            var client = clients[i % Users];
            var response = await client.PostAsync($"/api/assets?fileName=f{i}{kind}", new ByteArrayContent(bytes));
            var status = (int)response.StatusCode;
            Assert.True(status is 201 or (>= 400 and < 500), $"upload {i} ({kind}, {bytes.Length} bytes) answered {status}: {await response.Content.ReadAsStringAsync()}");
            if (status == 201)
            {
                uploaded.Add((client, (await response.BodyAsync()).GetProperty("id").GetString()!, kind));
            }
            else
            {
                refused++;
            }

            if (i == 200)
            {
                await WaitAsync(uploaded);
                baseline = ManagedMemory();
            }
        }

        var outcomes = await WaitAsync(uploaded);
        var grown = ManagedMemory() - baseline;
        output.WriteLine($"{Uploads} uploads in {clock.Elapsed.TotalSeconds:F0} s: {refused} refused, {outcomes.Count(o => o.Value == "ready")} ready, "
            + $"{outcomes.Count(o => o.Value == "failed")} failed; managed memory after the first 200: {grown / 1e6:+0.0;-0.0} MB");
        Assert.Equal(uploaded.Count, outcomes.Count);
        Assert.All(outcomes.Values, status => Assert.True(status is "ready" or "failed", status));
        Assert.Equal(0, ImportAttacks.ProcessesReading([.. uploaded.Select(u => Guid.Parse(u.Id).ToString("N"))]));
        Assert.True(grown < 256_000_000, $"managed memory grew {grown} bytes");
    }

    /// <summary>Waits for every upload to be processed; returns each one's status, checking failed ones say why.</summary>
    private static async Task<Dictionary<string, string>> WaitAsync(List<(HttpClient Client, string Id, string Kind)> uploads)
    {
        var outcomes = new Dictionary<string, string>();
        var deadline = Stopwatch.StartNew();
        while (outcomes.Count < uploads.Count && deadline.Elapsed < TimeSpan.FromMinutes(8))
        {
            foreach (var (client, id, kind) in uploads.Where(u => !outcomes.ContainsKey(u.Id)))
            {
                var asset = await (await client.GetAsync($"/api/assets/{id}")).BodyAsync();
                var status = asset.GetProperty("status").GetString()!;
                if (status == "processing")
                {
                    break;
                }

                if (status == "failed")
                {
                    Assert.False(string.IsNullOrWhiteSpace(asset.GetProperty("error").GetString()), $"{kind}: {asset.GetRawText()}");
                    Assert.DoesNotContain("on our side", asset.GetProperty("error").GetString(), StringComparison.Ordinal);
                }

                outcomes[id] = status;
            }

            await Task.Delay(50);
        }

        return outcomes;
    }

    private static long ManagedMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static (string Kind, byte[] Bytes) Mutate(IReadOnlyList<(string Kind, byte[] Bytes)> seeds, Random random)
    {
        var (kind, seed) = seeds[random.Next(seeds.Count)];
        var bytes = (byte[])seed.Clone();
        if (bytes.Length == 0)
        {
            return (kind, bytes);
        }

        switch (random.Next(7))
        {
            case 0: // truncated anywhere, headers included
                return (kind, bytes[..random.Next(0, Math.Max(1, Math.Min(bytes.Length, 512)))]);
            case 1: // truncated later
                return (kind, bytes[..random.Next(bytes.Length)]);
            case 2: // bytes flipped, in the header more than anywhere
                for (var n = random.Next(1, 24); n > 0; n--)
                {
                    bytes[random.Next(Math.Min(bytes.Length, random.Next(2) == 0 ? 128 : bytes.Length))] ^= (byte)random.Next(1, 256);
                }

                return (kind, bytes);
            case 3: // a size field anywhere in the first bytes set to a huge value
                if (bytes.Length > 16)
                {
                    var at = random.Next(4, Math.Min(bytes.Length - 4, 96));
                    BitConverter.GetBytes(random.Next(2) == 0 ? uint.MaxValue : 0x7FFFFFF0u).CopyTo(bytes, at);
                }

                return (kind, bytes);
            case 4: // one container's head on another's body
                var (_, other) = seeds[random.Next(seeds.Count)];
                return (kind + "+", [.. other.AsSpan(0, Math.Min(other.Length, 64)), .. bytes.AsSpan(Math.Min(bytes.Length, 64))]);
            case 5: // random bytes after a valid head
                var noise = new byte[random.Next(0, 4096)];
                random.NextBytes(noise);
                return (kind, [.. bytes.AsSpan(0, Math.Min(bytes.Length, random.Next(8, 64))), .. noise]);
            default: // as it is
                return (kind, bytes);
        }
    }

    /// <summary>One small file of each accepted format (made by ffmpeg), and the hostile ones.</summary>
    private static async Task<List<(string Kind, byte[] Bytes)>> SeedsAsync()
    {
        var wav = AssetsApiTests.StereoSineWav(-18, 1, 44100);
        var seeds = new List<(string, byte[])> { (".wav", wav) };
        var scratch = Directory.CreateTempSubdirectory("jacameno-fuzz-");
        try
        {
            var source = Path.Combine(scratch.FullName, "in.wav");
            await File.WriteAllBytesAsync(source, wav);
            foreach (var (extension, codec) in new[] { (".flac", "flac"), (".mp3", "libmp3lame"), (".ogg", "libvorbis"), (".opus", "libopus"), (".m4a", "aac"), (".aiff", "pcm_s16be"), (".webm", "libopus") })
            {
                var target = Path.Combine(scratch.FullName, "out" + extension);
                using var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg", ["-v", "error", "-y", "-i", source, "-c:a", codec, target]) { RedirectStandardError = true })!;
                await ffmpeg.WaitForExitAsync();
                Assert.True(ffmpeg.ExitCode == 0, $"ffmpeg could not make {extension}: {await ffmpeg.StandardError.ReadToEndAsync()}");
                seeds.Add((extension, await File.ReadAllBytesAsync(target)));
            }
        }
        finally
        {
            scratch.Delete(recursive: true);
        }

        var path = "/etc/passwd";
        seeds.Add((".m3u8", Encoding.UTF8.GetBytes($"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n{path}\n#EXT-X-ENDLIST\n")));
        seeds.Add((".ffconcat", Encoding.UTF8.GetBytes($"ffconcat version 1.0\nfile '{path}'\n")));
        seeds.Add((".mp3", [.. "ID3\u0004\0\0\0\0\0\0"u8.ToArray(), .. Encoding.UTF8.GetBytes($"#EXTM3U\n#EXTINF:10,\n{path}\n")]));
        seeds.Add((".html", [.. wav, .. "<html><script>alert(1)</script></html>"u8.ToArray()]));
        seeds.Add((".gif", [.. "GIF89a"u8.ToArray(), .. wav]));
        using (var bomb = new MemoryStream())
        {
            using (var zip = new ZipArchive(bomb, ZipArchiveMode.Create, leaveOpen: true))
            await using (var entry = zip.CreateEntry("a.wav", CompressionLevel.SmallestSize).Open())
            {
                await entry.WriteAsync(new byte[8_000_000]);
            }

            seeds.Add((".zip", bomb.ToArray()));
        }

        seeds.Add((".bin", []));
        return seeds;
    }
}

/// <summary>
/// The fuzz test runs alone: it measures the memory of the process, which the other tests' platforms would
/// otherwise grow at the same time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class UploadFuzzCollection
{
    public const string Name = "upload fuzz";
}
