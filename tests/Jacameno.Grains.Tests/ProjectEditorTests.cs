using Jacameno.Projects;

namespace Jacameno.Grains.Tests;

/// <summary>
/// Every op kind of the editor, once accepted and once refused with its reason, on one known project: an audio
/// track with a clip and two effects, a MIDI track with a clip and a note, and a comment.
/// </summary>
public sealed class ProjectEditorTests
{
    private static readonly Guid Owner = Guid.Parse("00000000-0000-4000-8000-000000000001");
    private static readonly Guid Other = Guid.Parse("00000000-0000-4000-8000-000000000002");
    private const string Audio = "10000000-0000-4000-8000-000000000001";
    private const string Midi = "10000000-0000-4000-8000-000000000002";
    private const string AudioClip = "20000000-0000-4000-8000-000000000001";
    private const string MidiClip = "20000000-0000-4000-8000-000000000002";
    private const string HighPass = "30000000-0000-4000-8000-000000000001";
    private const string Compressor = "30000000-0000-4000-8000-000000000002";
    private const string Note = "40000000-0000-4000-8000-000000000001";
    private const string Comment = "50000000-0000-4000-8000-000000000001";
    private const string Asset = "60000000-0000-4000-8000-000000000001";
    private const string Missing = "99999999-0000-4000-8000-000000000009";

    public static TheoryData<string, string> Accepted => new()
    {
        { "project.set", """{"name":"Renamed","tempo":128,"key":"A minor"}""" },
        { "master.set", """{"volumeDb":-3}""" },
        { "track.add", """{"name":"Keys","kind":"midi","index":0}""" },
        { "track.remove", $$"""{"trackId":"{{Audio}}"}""" },
        { "track.rename", $$"""{"trackId":"{{Audio}}","name":"Vocals"}""" },
        { "track.recolor", $$"""{"trackId":"{{Audio}}","color":"#ff8800"}""" },
        { "track.reorder", $$"""{"trackId":"{{Audio}}","index":1}""" },
        { "track.set", $$"""{"trackId":"{{Audio}}","volumeDb":-6,"pan":0.5,"mute":true}""" },
        { "clip.add", $$"""{"trackId":"{{Audio}}","start":96000,"length":48000,"assetId":"{{Asset}}"}""" },
        { "clip.move", $$"""{"clipId":"{{AudioClip}}","start":1000}""" },
        { "clip.resize", $$"""{"clipId":"{{AudioClip}}","length":24000}""" },
        { "clip.split", $$"""{"clipId":"{{AudioClip}}","at":24000}""" },
        { "clip.remove", $$"""{"clipId":"{{AudioClip}}"}""" },
        { "clip.set", $$$"""{"clipId":"{{{AudioClip}}}","gainDb":-2,"fadeIn":{"length":4800}}""" },
        { "effect.add", $$"""{"type":"compressor","trackId":"{{Midi}}"}""" },
        { "effect.remove", $$"""{"effectId":"{{HighPass}}"}""" },
        { "effect.reorder", $$"""{"effectId":"{{Compressor}}","index":0}""" },
        { "effect.bypass", $$"""{"effectId":"{{HighPass}}","bypass":true}""" },
        { "effect.set", $$$"""{"effectId":"{{{HighPass}}}","parameters":{"frequency":120}}""" },
        { "effect.sidechain", $$"""{"effectId":"{{Compressor}}","trackId":"{{Midi}}"}""" },
        { "note.add", $$"""{"clipId":"{{MidiClip}}","pitch":64,"velocity":90,"start":4800,"length":4800}""" },
        { "note.move", $$"""{"clipId":"{{MidiClip}}","noteId":"{{Note}}","pitch":62}""" },
        { "note.remove", $$"""{"clipId":"{{MidiClip}}","noteId":"{{Note}}"}""" },
        { "comment.add", """{"text":"Love the bridge","position":48000}""" },
        { "comment.edit", $$"""{"commentId":"{{Comment}}","text":"Edited"}""" },
        { "comment.resolve", $$"""{"commentId":"{{Comment}}"}""" },
        { "comment.delete", $$"""{"commentId":"{{Comment}}"}""" },
    };

    public static TheoryData<string, string, string> Refused => new()
    {
        { "project.set", """{"tempo":0}""", "tempo" },
        { "master.set", """{"volumeDb":100}""", "volumeDb" },
        { "track.add", """{"name":"Keys","colour":"#fff"}""", "colour" },
        { "track.remove", $$"""{"trackId":"{{Missing}}"}""", "no longer exists" },
        { "track.rename", $$"""{"trackId":"{{Audio}}","name":" "}""", "name" },
        { "track.recolor", $$"""{"trackId":"{{Audio}}","color":"red"}""", "color" },
        { "track.reorder", $$"""{"trackId":"{{Missing}}","index":0}""", "no longer exists" },
        { "track.set", $$"""{"trackId":"{{Audio}}","pan":2}""", "pan" },
        { "clip.add", $$"""{"trackId":"{{Audio}}","start":-1,"length":48000,"assetId":"{{Asset}}"}""", "start" },
        { "clip.move", $$"""{"clipId":"{{Missing}}","start":0}""", "no longer exists" },
        { "clip.resize", $$"""{"clipId":"{{AudioClip}}","length":0}""", "length" },
        { "clip.split", $$"""{"clipId":"{{AudioClip}}","at":96000}""", "inside" },
        { "clip.remove", $$"""{"clipId":"{{Missing}}"}""", "no longer exists" },
        { "clip.set", $$"""{"clipId":"{{AudioClip}}","gainDb":100}""", "gainDb" },
        { "effect.add", """{"type":"rm -rf /"}""", "type" },
        { "effect.remove", $$"""{"effectId":"{{Missing}}"}""", "no longer exists" },
        { "effect.reorder", $$"""{"effectId":"{{Missing}}","index":0}""", "no longer exists" },
        { "effect.bypass", $$"""{"effectId":"{{Missing}}","bypass":true}""", "no longer exists" },
        { "effect.set", $$$"""{"effectId":"{{{HighPass}}}","parameters":{"loudness":3}}""", "loudness" },
        { "effect.sidechain", $$"""{"effectId":"{{HighPass}}","trackId":"{{Midi}}"}""", "compressor" },
        { "note.add", $$"""{"clipId":"{{MidiClip}}","pitch":200,"velocity":90,"start":0,"length":4800}""", "pitch" },
        { "note.move", $$"""{"clipId":"{{MidiClip}}","noteId":"{{Missing}}","pitch":62}""", "note" },
        { "note.remove", $$"""{"clipId":"{{MidiClip}}","noteId":"{{Missing}}"}""", "note" },
        { "comment.add", """{"text":"","position":0}""", "text" },
        { "comment.edit", $$"""{"commentId":"{{Missing}}","text":"Edited"}""", "comment" },
        { "comment.resolve", $$"""{"commentId":"{{Missing}}"}""", "comment" },
        { "comment.delete", $$"""{"commentId":"{{Missing}}"}""", "comment" },
        { "project.restore", """{}""", "made by the server" },
        { "track.restore", """{}""", "made by the server" },
        { "clip.restore", """{}""", "made by the server" },
        { "clip.merge", """{}""", "made by the server" },
        { "effect.restore", """{}""", "made by the server" },
        { "track.explode", """{}""", "Unknown op kind" },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void AnOwnersOp_Applies_AndChangesTheDocument(string kind, string payload)
    {
        var editor = Fixture();
        var before = Snapshot(editor);
        var normalized = editor.Apply(Owner, ProjectRole.Owner, kind, payload, Now);
        Assert.NotEqual(before, Snapshot(editor));
        Assert.StartsWith("{", normalized, StringComparison.Ordinal);
        // Every edit names what it wrote, so an undo can tell whether someone else touched it since (comments are
        // not undone, and name nothing).
        Assert.Equal(!kind.StartsWith("comment.", StringComparison.Ordinal), editor.LastChange.Writes.Count > 0);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void ABadOp_IsRefusedWithItsReason_AndChangesNothing(string kind, string payload, string reason)
    {
        var editor = Fixture();
        var before = Snapshot(editor);
        var refused = Assert.Throws<OpRejectedException>(() => editor.Apply(Owner, ProjectRole.Owner, kind, payload, Now));
        Assert.Contains(reason, refused.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, Snapshot(editor));
    }

    [Theory]
    [InlineData(ProjectRole.Viewer, "comment.add", false)]
    [InlineData(ProjectRole.Commenter, "comment.add", true)]
    [InlineData(ProjectRole.Commenter, "track.rename", false)]
    [InlineData(ProjectRole.Editor, "track.rename", true)]
    public void EachRole_DoesWhatItMay(ProjectRole role, string kind, bool allowed)
    {
        var payload = kind == "comment.add" ? """{"text":"Hi"}""" : $$"""{"trackId":"{{Audio}}","name":"Renamed"}""";
        var editor = Fixture();
        if (allowed)
        {
            editor.Apply(Other, role, kind, payload, Now);
        }
        else
        {
            Assert.Contains("cannot", Assert.Throws<OpRejectedException>(() => editor.Apply(Other, role, kind, payload, Now)).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void UndoingABusRemoval_FeedsItAgain_ExceptWhereALaterChoiceStandsOrALoopWouldForm()
    {
        var editor = Fixture();
        var (x, b, y, w, z) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        void Apply(string kind, object payload) =>
            editor.Apply(Owner, ProjectRole.Owner, kind, System.Text.Json.JsonSerializer.Serialize(payload, OpJson.Options), Now);
        foreach (var bus in new[] { x, b, y, w, z })
        {
            Apply("track.add", new { trackId = bus, name = "Bus", kind = "bus" });
        }

        // X and W play into B, the audio track sends into it pre-fader; B plays into Y.
        Apply("track.set", new { trackId = b, output = y.ToString() });
        Apply("track.set", new { trackId = x, output = b.ToString() });
        Apply("track.set", new { trackId = w, output = b.ToString() });
        Apply("track.send", new { trackId = Guid.Parse(Audio), busId = b, levelDb = -3.0, preFader = true });
        Apply("track.remove", new { trackId = b });
        var (kind, payload) = (editor.LastChange.InverseKind!, editor.LastChange.InversePayload!);
        Track Track(Guid id) => editor.Document.Tracks.Single(t => t.Id == id);
        Assert.Equal(((Guid?)null, (Guid?)null), (Track(x).Output, Track(w).Output));
        Assert.Empty(Track(Guid.Parse(Audio)).Sends);

        // Meanwhile Y comes to play into X (so X into B would loop), and W is sent to Z.
        Apply("track.set", new { trackId = y, output = x.ToString() });
        Apply("track.set", new { trackId = w, output = z.ToString() });

        editor.Apply(Owner, ProjectRole.Owner, kind, payload, Now, trusted: true);
        Assert.Equal(y, Track(b).Output);
        Assert.Null(Track(x).Output);
        Assert.Equal(z, Track(w).Output);
        var send = Assert.Single(Track(Guid.Parse(Audio)).Sends);
        Assert.Equal((b, -3.0, true), (send.Bus, send.LevelDb, send.PreFader));
        Assert.Contains($"track:{Audio}:send:{b}", editor.LastChange.Writes);
    }

    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    private static string Snapshot(ProjectEditor editor) => System.Text.Json.JsonSerializer.Serialize(editor.Document, OpJson.Options);

    private static ProjectEditor Fixture()
    {
        var editor = new ProjectEditor(new ProjectDocument
        {
            Id = Guid.NewGuid(), Name = "Fixture", OwnerId = Owner, Collaborators = [new Collaborator { UserId = Owner, Role = ProjectRole.Owner }],
        });
        foreach (var (kind, payload) in new[]
        {
            ("track.add", $$"""{"trackId":"{{Audio}}","name":"Audio","kind":"audio"}"""),
            ("track.add", $$"""{"trackId":"{{Midi}}","name":"Midi","kind":"midi"}"""),
            ("clip.add", $$"""{"trackId":"{{Audio}}","clipId":"{{AudioClip}}","start":0,"length":48000,"assetId":"{{Asset}}"}"""),
            ("clip.add", $$"""{"trackId":"{{Midi}}","clipId":"{{MidiClip}}","start":0,"length":96000,"notes":[{"noteId":"{{Note}}","pitch":60,"velocity":100,"start":0,"length":4800}]}"""),
            ("effect.add", $$$"""{"type":"eq-highpass","trackId":"{{{Audio}}}","effectId":"{{{HighPass}}}","parameters":{"frequency":100}}"""),
            ("effect.add", $$"""{"type":"compressor","trackId":"{{Audio}}","effectId":"{{Compressor}}"}"""),
            ("comment.add", $$"""{"text":"First","commentId":"{{Comment}}"}"""),
        })
        {
            editor.Apply(Owner, ProjectRole.Owner, kind, payload, Now);
        }

        return editor;
    }
}
