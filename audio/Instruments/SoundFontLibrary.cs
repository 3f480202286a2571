using System.Text.RegularExpressions;

namespace Jacameno.Audio.Instruments;

/// <summary>A SoundFont the server plays: its id (the file's name without ".sf2"), name, file and presets.</summary>
public sealed record SoundFont(string Id, string Name, string Path, long Size, IReadOnlyList<SoundFontPreset> Presets);

/// <summary>
/// The SoundFonts installed on this server: the .sf2 files of a directory (by default Debian's /usr/share/sounds/sf2,
/// where the timgm6mb-soundfont package puts a General MIDI set), read once. Like plugins, they are the operator's:
/// FluidSynth parses them inside the render, so users choose among them rather than upload their own. Links to the
/// same file (default-GM.sf2) count once, under the first name in order.
/// </summary>
public sealed partial class SoundFontLibrary(string directory)
{
    public const string DefaultDirectory = "/usr/share/sounds/sf2";

    /// <summary>The setting that names the directory (hosts read it from their configuration).</summary>
    public const string DirectoryKey = "Jacameno:SoundFonts:Directory";

    /// <summary>The library of the configured directory, or of <see cref="DefaultDirectory"/> when none is.</summary>
    public static SoundFontLibrary Of(string? configured) => new(string.IsNullOrEmpty(configured) ? DefaultDirectory : configured);

    private readonly Lazy<IReadOnlyList<SoundFont>> fonts = new(() => Scan(directory));

    public IReadOnlyList<SoundFont> All => fonts.Value;

    public SoundFont? Find(string? id) => id is null ? null : All.FirstOrDefault(f => f.Id == id);

    /// <summary>Whether an id is one a SoundFont may have (and so safe in a path or a URL).</summary>
    public static bool IsValidId(string id) => ValidId().IsMatch(id);

    private static List<SoundFont> Scan(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var seen = new HashSet<string>();
        var found = new List<SoundFont>();
        foreach (var path in Directory.EnumerateFiles(directory, "*.sf2").Order(StringComparer.Ordinal))
        {
            var id = System.IO.Path.GetFileNameWithoutExtension(path);
            var target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? System.IO.Path.GetFullPath(path);
            if (!IsValidId(id) || !seen.Add(target))
            {
                continue;
            }

            try
            {
                using var stream = File.OpenRead(target);
                var (name, presets) = SoundFontFile.Read(stream);
                found.Add(new SoundFont(id, name, target, stream.Length, presets));
            }
            catch (Exception e) when (e is SoundFontException or IOException or UnauthorizedAccessException or EndOfStreamException)
            {
                // Not a SoundFont this server can play: left out of the library.
            }
        }

        return found;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex ValidId();
}
