using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Jacameno.Frontend.Tests.Attacks;

/// <summary>DAWproject archives built to exhaust the server: element floods, aliased paths, inflation bombs, many files at once.</summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class ImportAttacks(SharedPlatform platform)
{
    [Fact]
    public async Task ThreeHundredThousandTracks_InATinyZip_AreRefusedQuickly()
    {
        using var client = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        var tracks = new StringBuilder("<Project version=\"1.0\"><Structure>");
        // Each track routes to a channel no track has: resolving that by scanning every track is 9 × 10¹⁰ steps.
        tracks.Insert(tracks.Length, "<Track id=\"t\"><Channel destination=\"c\"/></Track>", 300_000);
        var zip = ZipOf(("project.xml", tracks.Append("</Structure></Project>").ToString()));
        Assert.True(zip.Length < 64_000, $"the archive is {zip.Length} bytes");
        var clock = Stopwatch.StartNew();
        var response = await client.PostAsync("/api/projects/dawproject", Content(zip));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("elements", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task OneFile_UnderManyNames_IsImportedOnce()
    {
        using var client = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        var wav = AssetsApiTests.StereoSineWav(-20, 1);
        var archive = await ArchiveAsync(["a.wav", "/a.wav", "//a.wav", "./a.wav", "\\a.wav", "x/../a.wav"],
            ("a.wav", wav, CompressionLevel.Optimal), ("/a.wav", wav, CompressionLevel.Optimal), ("//a.wav", wav, CompressionLevel.Optimal));
        var response = await client.PostAsync("/api/projects/dawproject", Content(archive));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await response.BodyAsync();
        Assert.Equal(1, body.GetProperty("assets").GetArrayLength());
        // "x/../a.wav" climbs: not a name of the archive's files, so its clip is left out with the other misses.
        Assert.Equal(5, body.GetProperty("project").GetProperty("tracks")[0].GetProperty("clips").GetArrayLength());
    }

    [Fact]
    public async Task AudioThatInflatesPastTheBudget_IsRefusedBeforeInflating()
    {
        await using var small = new EmbeddedPlatform(EmbeddedPlatform.NewDataDirectory(), new Dictionary<string, string?>
        {
            ["Jacameno:Assets:MaxImportBytes"] = "1000000",
        });
        using var client = small.CreateClient((await small.RegisterAsync()).AccessToken);
        var silence = AssetsApiTests.StereoSineWav(-200, 10); // 1.9 MB of zeros: a few KB deflated
        var archive = await ArchiveAsync(["big.wav"], ("big.wav", silence, CompressionLevel.SmallestSize));
        Assert.True(archive.Length < 100_000);
        var response = await client.PostAsync("/api/projects/dawproject", Content(archive));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("inflates", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var mine = await (await client.GetAsync("/api/assets")).BodyAsync();
        Assert.Equal(0, mine.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task ManyFilesAtOnce_AreProcessedAFewAtATime()
    {
        using var client = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        var flac = await FlacAsync(20);
        const int files = 12;
        var archive = await ArchiveAsync(Enumerable.Range(0, files).Select(i => $"audio/{i}.flac"),
            [.. Enumerable.Range(0, files).Select(i => ($"audio/{i}.flac", flac, CompressionLevel.NoCompression))]);
        var response = await client.PostAsync("/api/projects/dawproject", Content(archive));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var ids = (await response.BodyAsync()).GetProperty("assets").EnumerateArray().Select(a => a.GetString()!).ToList();

        // ffmpeg processes reading these files (their scratch copies are named by asset id), sampled until every
        // file is processed: never more than a user's slots at once.
        var most = 0;
        var pending = ids.ToHashSet();
        var names = ids.Select(id => Guid.Parse(id).ToString("N")).ToList();
        var clock = Stopwatch.StartNew();
        while (pending.Count > 0 && clock.Elapsed < TimeSpan.FromSeconds(120))
        {
            most = Math.Max(most, ProcessesReading(names));
            foreach (var id in pending.ToList())
            {
                if ((await (await client.GetAsync($"/api/assets/{id}")).BodyAsync()).GetProperty("status").GetString() != "processing")
                {
                    pending.Remove(id);
                }
            }
        }

        Assert.Empty(pending);
        Assert.InRange(most, 0, 2);
    }

    /// <summary>Running processes whose command line names one of <paramref name="needles"/>.</summary>
    internal static int ProcessesReading(IReadOnlyCollection<string> needles)
    {
        var count = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (needles.Any(n => commandLine.Contains(n, StringComparison.Ordinal)))
                {
                    count++;
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return count;
    }

    private static async Task<byte[]> FlacAsync(int seconds)
    {
        var wav = Path.GetTempFileName();
        var flac = wav + ".flac";
        try
        {
            await File.WriteAllBytesAsync(wav, AssetsApiTests.StereoSineWav(-18, seconds, 44100));
            using var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg", ["-v", "error", "-y", "-f", "wav", "-i", wav, flac]) { RedirectStandardError = true })!;
            await ffmpeg.WaitForExitAsync();
            return await File.ReadAllBytesAsync(flac);
        }
        finally
        {
            File.Delete(wav);
            File.Delete(flac);
        }
    }

    /// <summary>A DAWproject with one audio track whose clips name <paramref name="clipPaths"/>, and the given files.</summary>
    private static async Task<byte[]> ArchiveAsync(IEnumerable<string> clipPaths, params (string Name, byte[] Bytes, CompressionLevel Level)[] files)
    {
        var clips = string.Join("", clipPaths.Select((path, i) => $"<Clip time=\"{i}\" duration=\"1\"><Audio><File path=\"{path}\"/></Audio></Clip>"));
        var project = "<Project version=\"1.0\"><Structure><Track id=\"t1\" contentType=\"audio\" name=\"A\"><Channel id=\"c1\"/></Track></Structure>"
            + $"<Arrangement><Lanes timeUnit=\"seconds\"><Lanes track=\"t1\"><Clips>{clips}</Clips></Lanes></Lanes></Arrangement></Project>";
        using var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            await using (var writer = new StreamWriter(archive.CreateEntry("project.xml").Open()))
            {
                await writer.WriteAsync(project);
            }

            foreach (var (name, bytes, level) in files)
            {
                await using var entry = archive.CreateEntry(name, level).Open();
                await entry.WriteAsync(bytes);
            }
        }

        return stream.ToArray();
    }

    private static byte[] ZipOf(params (string Name, string Text)[] entries)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name, CompressionLevel.SmallestSize).Open());
                writer.Write(text);
            }
        }

        return stream.ToArray();
    }

    private static ByteArrayContent Content(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return content;
    }
}
