using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Jacameno.Projects.Interchange;

/// <summary>An audio file a DAWproject refers to: the path inside the archive, and the asset it comes from (export).</summary>
public sealed record DawAudioFile(string Path, Guid? AssetId);

/// <remarks><see cref="Enabled"/>: false for a clip that does not play (DAWproject's <c>enable</c>; a muted clip, an unchosen take).</remarks>
public sealed record DawClip(double TimeSeconds, double DurationSeconds, double PlayStartSeconds, double FadeInSeconds, double FadeOutSeconds,
    string? AudioPath, IReadOnlyList<(int Key, double Velocity, double Time, double Duration)> Notes, bool Enabled = true);

public sealed record DawTrack(string Id, string Name, TrackKind Kind, string? Color, double VolumeLinear, double PanNormalized, bool Mute, bool Solo,
    string? DestinationTrackId, IReadOnlyList<DawClip> Clips);

/// <summary>What a DAWproject holds, in the terms this platform keeps; <see cref="TempoChanges"/> from its tempo automation.</summary>
public sealed record DawProjectContent(string Title, double Tempo, int Numerator, int Denominator, IReadOnlyList<DawTrack> Tracks,
    IReadOnlyList<(double Seconds, double Tempo)>? TempoChanges = null);

/// <summary>
/// DAWproject 1.0 (the open interchange format of Bitwig, PreSonus Studio One, Steinberg Cubase): a zip with
/// <c>project.xml</c>, <c>metadata.xml</c> and the audio files. Tracks map to tracks (audio, MIDI; buses
/// as effect channels), mixer volume (linear), pan (normalised 0..1), mute and solo, routing by channel
/// destination; the arrangement is written in seconds; audio clips name their file, MIDI clips hold notes; tempo
/// changes are the arrangement's tempo automation (points held until the next, in seconds).
/// Effects are this platform's own and are not written.
/// </summary>
public static class DawProject
{
    public const string ProjectEntry = "project.xml";
    public const string MetadataEntry = "metadata.xml";

    /// <summary>The largest project.xml read (it is text; audio is separate). 16 MiB.</summary>
    public const long MaxXmlBytes = 16 << 20;

    /// <summary>
    /// The most elements a project.xml may hold, counted while streaming before any tree is built: a 30 KB zip
    /// can inflate to hundreds of thousands of empty elements, each a node in memory.
    /// </summary>
    public const int MaxElements = 250_000;

    public static XDocument WriteProject(ProjectDocument project, Func<Guid, string?> audioPath)
    {
        static string N(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
        var rate = (double)project.SampleRate;
        var channelOf = project.Tracks.ToDictionary(t => t.Id, t => $"channel-{t.Id:N}");
        var structure = new XElement("Structure");
        foreach (var track in project.Tracks)
        {
            var channel = new XElement("Channel",
                new XAttribute("audioChannels", 2),
                new XAttribute("destination", track.Output is { } bus && channelOf.TryGetValue(bus, out var c) ? c : "channel-master"),
                new XAttribute("role", track.Kind == TrackKind.Bus ? "effect" : "regular"),
                new XAttribute("solo", track.Solo ? "true" : "false"),
                new XAttribute("id", channelOf[track.Id]),
                new XElement("Mute", new XAttribute("value", track.Mute ? "true" : "false"), new XAttribute("id", $"mute-{track.Id:N}")),
                new XElement("Pan", new XAttribute("max", "1.0"), new XAttribute("min", "0.0"), new XAttribute("unit", "normalized"),
                    new XAttribute("value", N((track.Pan + 1) / 2)), new XAttribute("id", $"pan-{track.Id:N}")),
                new XElement("Volume", new XAttribute("max", "2.0"), new XAttribute("min", "0.0"), new XAttribute("unit", "linear"),
                    new XAttribute("value", N(Math.Pow(10, track.VolumeDb / 20))), new XAttribute("id", $"volume-{track.Id:N}")));
            structure.Add(new XElement("Track",
                new XAttribute("contentType", track.Kind == TrackKind.Midi ? "notes" : "audio"),
                new XAttribute("loaded", "true"),
                new XAttribute("id", $"track-{track.Id:N}"),
                new XAttribute("name", track.Name),
                new XAttribute("color", track.Color),
                channel));
        }

        structure.Add(new XElement("Track", new XAttribute("contentType", "audio"), new XAttribute("loaded", "true"), new XAttribute("id", "track-master"),
            new XAttribute("name", "Master"),
            new XElement("Channel", new XAttribute("audioChannels", 2), new XAttribute("role", "master"), new XAttribute("solo", "false"), new XAttribute("id", "channel-master"),
                new XElement("Volume", new XAttribute("max", "2.0"), new XAttribute("min", "0.0"), new XAttribute("unit", "linear"),
                    new XAttribute("value", N(Math.Pow(10, project.Master.VolumeDb / 20))), new XAttribute("id", "volume-master")))));

        var lanes = new XElement("Lanes", new XAttribute("timeUnit", "seconds"), new XAttribute("id", "lanes-arrangement"));
        foreach (var track in project.Tracks.Where(t => t.Clips.Count > 0))
        {
            var clips = new XElement("Clips", new XAttribute("id", $"clips-{track.Id:N}"));
            foreach (var clip in track.Clips.OrderBy(c => c.Start))
            {
                var element = new XElement("Clip",
                    new XAttribute("time", N(clip.Start / rate)), new XAttribute("duration", N(clip.Length / rate)),
                    new XAttribute("playStart", N(clip.Offset / rate)), new XAttribute("fadeTimeUnit", "seconds"),
                    new XAttribute("fadeInTime", N(clip.FadeIn.Length / rate)), new XAttribute("fadeOutTime", N(clip.FadeOut.Length / rate)));
                if (clip.Muted)
                {
                    element.Add(new XAttribute("enable", "false"));
                }

                if (clip.AssetId is { } asset && audioPath(asset) is { } path)
                {
                    element.Add(new XElement("Audio", new XAttribute("channels", 2), new XAttribute("sampleRate", project.SampleRate),
                        new XAttribute("duration", N((clip.Offset + clip.Length) / rate)), new XAttribute("algorithm", "raw"), new XAttribute("id", $"audio-{clip.Id:N}"),
                        new XElement("File", new XAttribute("path", path))));
                }
                else if (clip.Notes.Count > 0)
                {
                    element.Add(new XElement("Notes", new XAttribute("id", $"notes-{clip.Id:N}"), clip.Notes.Select(n => new XElement("Note",
                        new XAttribute("time", N(n.Start / rate)), new XAttribute("duration", N(n.Length / rate)), new XAttribute("channel", 0),
                        new XAttribute("key", n.Pitch), new XAttribute("vel", N(n.Velocity / 127.0)), new XAttribute("rel", N(n.Velocity / 127.0))))));
                }

                clips.Add(element);
            }

            lanes.Add(new XElement("Lanes", new XAttribute("track", $"track-{track.Id:N}"), new XAttribute("id", $"lane-{track.Id:N}"), clips));
        }

        return new XDocument(new XDeclaration("1.0", "UTF-8", null), new XElement("Project", new XAttribute("version", "1.0"),
            new XElement("Application", new XAttribute("name", "Jacameno"), new XAttribute("version", "1.0")),
            new XElement("Transport",
                new XElement("Tempo", new XAttribute("max", "999"), new XAttribute("min", "20"), new XAttribute("unit", "bpm"), new XAttribute("value", N(project.Tempo)), new XAttribute("id", "tempo")),
                new XElement("TimeSignature", new XAttribute("denominator", project.TimeSignature.Denominator), new XAttribute("numerator", project.TimeSignature.Numerator), new XAttribute("id", "time-signature"))),
            structure,
            new XElement("Arrangement", new XAttribute("id", "arrangement"), lanes,
                project.TempoChanges.Count == 0 ? null : new XElement("TempoAutomation", new XAttribute("id", "tempo-automation"), new XAttribute("unit", "bpm"),
                    new XAttribute("timeUnit", "seconds"), new XElement("Target", new XAttribute("parameter", "tempo")),
                    new[] { (Time: 0.0, project.Tempo) }.Concat(project.TempoChanges.Select(c => (Time: c.Position / rate, c.Tempo))).Select(p => new XElement("RealPoint",
                        new XAttribute("time", N(p.Time)), new XAttribute("value", N(p.Tempo)), new XAttribute("interpolation", "hold")))))));
    }

    public static XDocument WriteMetadata(ProjectDocument project) =>
        new(new XDeclaration("1.0", "UTF-8", null), new XElement("MetaData", new XElement("Title", project.Name), new XElement("Comment", project.Description ?? "")));

    /// <summary>Reads project.xml (and the title from metadata.xml, if given). No DTDs, no external entities; bad XML is a clear error.</summary>
    public static DawProjectContent Read(Stream projectXml, Stream? metadataXml, string fallbackTitle)
    {
        var project = Load(projectXml).Root ?? throw new DawProjectException("project.xml is empty.");
        if (project.Name.LocalName != "Project")
        {
            throw new DawProjectException("project.xml is not a DAWproject (its root is not <Project>).");
        }

        var title = metadataXml is null ? null : Load(metadataXml).Root?.Element("Title")?.Value;
        var transport = project.Element("Transport");
        var tempo = Number(transport?.Element("Tempo"), "value") ?? 120;
        var signature = transport?.Element("TimeSignature");
        var tracks = new List<DawTrack>();
        var structure = project.Element("Structure") ?? throw new DawProjectException("project.xml has no <Structure>.");
        var clipsOf = project.Element("Arrangement")?.Descendants("Lanes").Where(l => l.Attribute("track") is not null)
            .GroupBy(l => l.Attribute("track")!.Value).ToDictionary(g => g.Key, g => g.SelectMany(l => Clips(l, tempo)).ToList()) ?? [];
        var allTracks = structure.Descendants("Track").ToList();
        if (allTracks.Count > ProjectLimits.MaxTracks + 1)
        {
            throw new DawProjectException($"The project has {allTracks.Count} tracks; at most {ProjectLimits.MaxTracks} are imported.");
        }

        // Channel id → track id, built once: routing resolves in one look-up per track, not a scan of all tracks.
        var trackOfChannel = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var track in allTracks)
        {
            if (track.Element("Channel") is { } channel && channel.Attribute("role")?.Value != "master"
                && channel.Attribute("id")?.Value is { } channelId && track.Attribute("id")?.Value is { } trackId)
            {
                trackOfChannel.TryAdd(channelId, trackId);
            }
        }

        foreach (var track in allTracks)
        {
            var channel = track.Element("Channel");
            if (channel?.Attribute("role")?.Value == "master")
            {
                continue;
            }

            var id = track.Attribute("id")?.Value ?? throw new DawProjectException("A <Track> has no id.");
            var kind = channel?.Attribute("role")?.Value is "effect" or "submix" ? TrackKind.Bus
                : track.Attribute("contentType")?.Value?.Contains("notes", StringComparison.Ordinal) == true ? TrackKind.Midi : TrackKind.Audio;
            var volume = Number(channel?.Element("Volume"), "value") ?? 1;
            var pan = Number(channel?.Element("Pan"), "value") ?? 0.5;
            var destination = channel?.Attribute("destination")?.Value;
            var destinationTrack = destination is null ? null : trackOfChannel.GetValueOrDefault(destination);
            tracks.Add(new DawTrack(id, track.Attribute("name")?.Value ?? "Track", kind, track.Attribute("color")?.Value, volume, pan,
                channel?.Element("Mute")?.Attribute("value")?.Value == "true", channel?.Attribute("solo")?.Value == "true", destinationTrack,
                clipsOf.GetValueOrDefault(id) ?? []));
        }

        // Tempo automation: a point at the start sets the tempo; later ones are changes (beats converted through the points).
        var points = project.Element("Arrangement")?.Element("TempoAutomation") is { } automation
            ? automation.Elements("RealPoint").Select(p => (Time: Number(p, "time"), Tempo: Number(p, "value"))).Where(p => p.Time is >= 0 && p.Tempo is > 0)
                .Select(p => (Time: p.Time!.Value, Tempo: p.Tempo!.Value)).OrderBy(p => p.Time).Take(ProjectLimits.MaxTempoChanges + 1).ToList()
            : [];
        var inBeats = project.Element("Arrangement")?.Element("TempoAutomation")?.Attribute("timeUnit")?.Value == "beats";
        if (points.Count > 0 && points[0].Time == 0)
        {
            tempo = points[0].Tempo;
        }

        var changes = new List<(double Seconds, double Tempo)>();
        var (beat, seconds, current) = (0.0, 0.0, tempo);
        foreach (var (time, next) in points.Where(p => p.Time > 0))
        {
            seconds = inBeats ? seconds + ((time - beat) * 60 / current) : time;
            (beat, current) = (time, next);
            changes.Add((seconds, next));
        }

        return new DawProjectContent(string.IsNullOrWhiteSpace(title) ? fallbackTitle : title.Trim(), tempo,
            (int)(Number(signature, "numerator") ?? 4), (int)(Number(signature, "denominator") ?? 4), tracks, changes);
    }

    /// <summary>Clips of a lane, in seconds whatever the lane's unit (beats are converted at the project tempo).</summary>
    private static IEnumerable<DawClip> Clips(XElement lane, double tempo)
    {
        var toSeconds = lane.AncestorsAndSelf("Lanes").Select(l => l.Attribute("timeUnit")?.Value).FirstOrDefault(u => u is not null) == "beats" ? 60 / tempo : 1;
        foreach (var clip in lane.Descendants("Clip"))
        {
            var fadeToSeconds = clip.Attribute("fadeTimeUnit")?.Value == "beats" ? 60 / tempo : clip.Attribute("fadeTimeUnit") is null ? toSeconds : 1;
            var file = CanonicalPath(clip.Descendants("File").FirstOrDefault()?.Attribute("path")?.Value);
            var notes = clip.Descendants("Note").Select(n => ((int)(Number(n, "key") ?? 60), Number(n, "vel") ?? 0.8,
                (Number(n, "time") ?? 0) * toSeconds, (Number(n, "duration") ?? 0.25) * toSeconds)).ToList();
            yield return new DawClip((Number(clip, "time") ?? 0) * toSeconds, (Number(clip, "duration") ?? 0) * toSeconds, (Number(clip, "playStart") ?? 0) * toSeconds,
                (Number(clip, "fadeInTime") ?? 0) * fadeToSeconds, (Number(clip, "fadeOutTime") ?? 0) * fadeToSeconds, file, notes,
                Enabled: clip.Attribute("enable")?.Value.Trim() is not ("false" or "0"));
        }
    }

    private static double? Number(XElement? element, string attribute) =>
        element?.Attribute(attribute)?.Value is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value : null;

    /// <summary>
    /// The one name of a file inside an archive: slashes one way, no leading slash, no empty or "." segments.
    /// Null for what may not name a file of the archive (empty, or climbing out with "..").
    /// </summary>
    public static string? CanonicalPath(string? path)
    {
        if (string.IsNullOrWhiteSpace(path) || path.Length > 1000)
        {
            return null;
        }

        var segments = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToList();
        return segments.Count == 0 || segments.Contains("..") || segments.Any(s => s.Any(char.IsControl)) ? null : string.Join('/', segments);
    }

    /// <summary>
    /// The XML, read in two linear passes over a bounded copy: one that only counts elements (and stops past
    /// <see cref="MaxElements"/>), then the tree. No DTDs, no external entities.
    /// </summary>
    private static XDocument Load(Stream stream)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = MaxXmlBytes };
        using var copy = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            copy.Write(buffer, 0, read);
            if (copy.Length > MaxXmlBytes * 4)
            {
                throw new DawProjectException($"The DAWproject's XML is larger than {MaxXmlBytes} characters.");
            }
        }

        try
        {
            copy.Position = 0;
            using (var counter = XmlReader.Create(copy, settings))
            {
                var elements = 0;
                while (counter.Read())
                {
                    if (counter.NodeType == XmlNodeType.Element && ++elements > MaxElements)
                    {
                        throw new DawProjectException($"The DAWproject's XML has more than {MaxElements} elements.");
                    }
                }
            }

            copy.Position = 0;
            using var reader = XmlReader.Create(copy, settings);
            return XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            throw new DawProjectException($"The DAWproject's XML is malformed: {e.Message}");
        }
    }
}

/// <summary>A DAWproject that cannot be read; the message is for the user.</summary>
public sealed class DawProjectException(string message) : Exception(message);
