using System.Text;

namespace Jacameno.Audio.Instruments;

/// <summary>A preset of a SoundFont: its bank and program (as MIDI selects it) and its name.</summary>
public sealed record SoundFontPreset(int Bank, int Program, string Name);

/// <summary>A file that is not a SoundFont 2 this reader takes.</summary>
public sealed class SoundFontException(string message) : Exception(message);

/// <summary>
/// Reads what a catalog needs of a SoundFont 2 file (RIFF "sfbk"): its name (INFO/INAM) and its presets (pdta/phdr),
/// checking the structure as it goes: chunk sizes inside the file, a phdr of whole 38-byte records ending in the
/// terminal "EOP" record. Sample data is not read.
/// </summary>
public static class SoundFontFile
{
    private const int PresetHeaderSize = 38;

    public static (string Name, IReadOnlyList<SoundFontPreset> Presets) Read(Stream stream)
    {
        using var reader = new BinaryReader(stream, Encoding.ASCII, leaveOpen: true);
        if (stream.Length < 12 || Id(reader) != "RIFF")
        {
            throw new SoundFontException("not a RIFF file");
        }

        var riffEnd = Math.Min(stream.Length, 8 + (long)reader.ReadUInt32());
        if (Id(reader) != "sfbk")
        {
            throw new SoundFontException("not a SoundFont (RIFF form sfbk)");
        }

        string? name = null;
        List<SoundFontPreset>? presets = null;
        foreach (var (list, listEnd) in Chunks(reader, riffEnd))
        {
            if (list != "LIST" || listEnd - stream.Position < 4)
            {
                continue;
            }

            var kind = Id(reader);
            foreach (var (id, end) in Chunks(reader, listEnd))
            {
                var size = (int)(end - stream.Position);
                if (kind == "INFO" && id == "INAM")
                {
                    name = Text(reader.ReadBytes(Math.Min(size, 256)));
                }
                else if (kind == "pdta" && id == "phdr")
                {
                    if (size % PresetHeaderSize != 0 || size < 2 * PresetHeaderSize)
                    {
                        throw new SoundFontException("its preset headers (phdr) are not whole records");
                    }

                    presets = [];
                    for (var i = 0; i < (size / PresetHeaderSize) - 1; i++) // the last record is the terminal "EOP"
                    {
                        var presetName = Text(reader.ReadBytes(20));
                        var program = reader.ReadUInt16();
                        var bank = reader.ReadUInt16();
                        reader.ReadBytes(PresetHeaderSize - 24);
                        presets.Add(new SoundFontPreset(bank, program, presetName));
                    }
                }
            }
        }

        return presets is null
            ? throw new SoundFontException("it has no preset headers (pdta/phdr)")
            : (name ?? "SoundFont", [.. presets.Where(p => p.Program < 128 && p.Bank <= 128).OrderBy(p => p.Bank).ThenBy(p => p.Program)]);
    }

    /// <summary>The chunks up to <paramref name="end"/>: id and end offset, the stream at the chunk's data; each is skipped after (pad byte included).</summary>
    private static IEnumerable<(string Id, long End)> Chunks(BinaryReader reader, long end)
    {
        var stream = reader.BaseStream;
        while (stream.Position + 8 <= end)
        {
            var id = Id(reader);
            var size = reader.ReadUInt32();
            var chunkEnd = stream.Position + size;
            if (chunkEnd > end)
            {
                throw new SoundFontException($"its chunk '{id}' runs past the end of the file");
            }

            yield return (id, chunkEnd);
            stream.Position = chunkEnd + (chunkEnd % 2);
        }
    }

    private static string Id(BinaryReader reader) => Encoding.ASCII.GetString(reader.ReadBytes(4));

    private static string Text(byte[] bytes) => Encoding.ASCII.GetString(bytes, 0, Array.IndexOf(bytes, (byte)0) is var zero and >= 0 ? zero : bytes.Length).Trim();
}
