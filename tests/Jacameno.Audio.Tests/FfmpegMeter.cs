using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Jacameno.Audio.Tests;

/// <summary>ffmpeg's ebur128 filter as the peer meter the tests compare with (shared with the API tests).</summary>
public static partial class FfmpegMeter
{
    /// <summary>ffmpeg's integrated loudness (from the filter's metadata, 3 decimals) and true peak.</summary>
    public static (double Integrated, double TruePeak) Measure(string file)
    {
        var start = new ProcessStartInfo("ffmpeg", ["-hide_banner", "-nostats", "-i", file, "-af",
            "ebur128=peak=true:metadata=1,ametadata=mode=print:key=lavfi.r128.I", "-f", "null", "-"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var ffmpeg = Process.Start(start)!;
        var stderr = ffmpeg.StandardError.ReadToEndAsync();
        ffmpeg.StandardOutput.ReadToEnd();
        Assert.True(ffmpeg.WaitForExit(TimeSpan.FromSeconds(60)), "ffmpeg did not finish");
        var text = stderr.Result;
        var integrated = IntegratedLine().Matches(text).Last().Groups[1].Value;
        var peak = PeakLine().Matches(text).Last().Groups[1].Value;
        return (double.Parse(integrated, CultureInfo.InvariantCulture), double.Parse(peak, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"lavfi\.r128\.I=(-?[0-9.]+)")]
    private static partial Regex IntegratedLine();

    [GeneratedRegex(@"Peak:\s+(-?[0-9.]+) dBFS")]
    private static partial Regex PeakLine();
}
