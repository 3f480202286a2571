using GraphQL;
using GraphQL.Types;
using Jacameno.Frontend.GraphQL;
using Jacameno.Frontend.Http;
using Jacameno.Projects;
using Jacameno.Storage.Catalog;

namespace Jacameno.Frontend.Projects;

public sealed class ProjectGraphType : ObjectGraphType<ProjectDocument>
{
    public ProjectGraphType()
    {
        Name = "Project";
        Field(p => p.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(p => p.Name);
        Field(p => p.Description, nullable: true);
        Field(p => p.Tempo);
        Field<NonNullGraphType<TimeSignatureGraphType>>("timeSignature").Resolve(c => c.Source.TimeSignature);
        Field(p => p.Key, nullable: true);
        Field(p => p.SampleRate);
        Field<NonNullGraphType<FloatGraphType>>("samplesPerBeat").Description("sampleRate × 60 / tempo, at the start (clips' startBeats follow tempo changes).")
            .Resolve(c => SamplesPerBeat(c.Source));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TempoChangeGraphType>>>>("tempoChanges")
            .Description("Where the tempo changes (tempo holds from the start to the first).").Resolve(c => c.Source.TempoChanges);
        Field<NonNullGraphType<FloatGraphType>>("masterVolumeDb").Resolve(c => c.Source.Master.VolumeDb);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EffectGraphType>>>>("masterEffects").Resolve(c => c.Source.Master.Effects);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AutomationLaneGraphType>>>>("masterAutomation").Resolve(c => c.Source.Master.Automation);
        Field(p => p.OwnerId, type: typeof(NonNullGraphType<IdGraphType>));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CollaboratorGraphType>>>>("collaborators").Resolve(c => c.Source.Collaborators);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TrackGraphType>>>>("tracks")
            .Resolve(c => c.Source.Tracks.Select(t => new TrackView(t, c.Source.TempoMap())).ToList());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CommentGraphType>>>>("comments").Resolve(c => c.Source.Comments);
        Field(p => p.Version);
        Field(p => p.CreatedAt);
        Field(p => p.UpdatedAt);
        Field<IdGraphType>("forkedFromProjectId").Resolve(c => c.Source.ForkedFrom?.ProjectId);
        Field<LongGraphType>("forkedFromVersion").Resolve(c => c.Source.ForkedFrom?.Version);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<NamedSnapshotGraphType>>>>("snapshots")
            .Description("Named versions, newest first.")
            .ResolveAsync(async c => await c.Service<ProjectService>().SnapshotsAsync(c.UserId(), c.Source.Id));
    }

    public static double SamplesPerBeat(ProjectDocument project) => project.SampleRate * 60.0 / project.Tempo;
}

public sealed class TempoChangeGraphType : ObjectGraphType<TempoChange>
{
    public TempoChangeGraphType()
    {
        Name = "TempoChange";
        Field(t => t.Position).Description("In samples at the project's sample rate.");
        Field(t => t.Tempo).Description("BPM from here to the next change.");
    }
}

public sealed class NamedSnapshotGraphType : ObjectGraphType<NamedSnapshot>
{
    public NamedSnapshotGraphType()
    {
        Name = "NamedSnapshot";
        Field(s => s.Name);
        Field(s => s.Version);
        Field(s => s.CreatedBy, type: typeof(NonNullGraphType<IdGraphType>));
        Field(s => s.CreatedAt);
    }
}

public sealed class TimeSignatureGraphType : ObjectGraphType<TimeSignature>
{
    public TimeSignatureGraphType()
    {
        Name = "TimeSignature";
        Field(t => t.Numerator);
        Field(t => t.Denominator);
    }
}

public sealed class CollaboratorGraphType : ObjectGraphType<Collaborator>
{
    public CollaboratorGraphType()
    {
        Name = "Collaborator";
        Field(c => c.UserId, type: typeof(NonNullGraphType<IdGraphType>));
        Field<NonNullGraphType<StringGraphType>>("role").Resolve(c => ApiEnums.Name(c.Source.Role));
    }
}

/// <summary>A track with its project's beat length, so clips can say where they are in beats.</summary>
public sealed record TrackView(Track Track, Jacameno.Audio.Rendering.TempoMap Tempo);

public sealed record ClipView(Clip Clip, Jacameno.Audio.Rendering.TempoMap Tempo);

public sealed class SendGraphType : ObjectGraphType<Send>
{
    public SendGraphType()
    {
        Name = "Send";
        Description = "Part of a track's signal fed to a bus, after its fader and pan, or pre-fader after its effects.";
        Field<NonNullGraphType<IdGraphType>>("busId").Resolve(c => c.Source.Bus);
        Field(s => s.LevelDb);
        Field(s => s.PreFader);
    }
}

public sealed class TrackGraphType : ObjectGraphType<TrackView>
{
    public TrackGraphType()
    {
        Name = "Track";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Track.Id);
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Track.Name);
        Field<NonNullGraphType<StringGraphType>>("kind").Resolve(c => ApiEnums.Name(c.Source.Track.Kind));
        Field<NonNullGraphType<StringGraphType>>("color").Resolve(c => c.Source.Track.Color);
        Field<NonNullGraphType<FloatGraphType>>("volumeDb").Resolve(c => c.Source.Track.VolumeDb);
        Field<NonNullGraphType<FloatGraphType>>("pan").Resolve(c => c.Source.Track.Pan);
        Field<NonNullGraphType<BooleanGraphType>>("mute").Resolve(c => c.Source.Track.Mute);
        Field<NonNullGraphType<BooleanGraphType>>("solo").Resolve(c => c.Source.Track.Solo);
        Field<IdGraphType>("output").Description("A bus track's id; null for the master bus.").Resolve(c => c.Source.Track.Output);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EffectGraphType>>>>("effects").Resolve(c => c.Source.Track.Effects);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ClipGraphType>>>>("clips")
            .Resolve(c => c.Source.Track.Clips.Select(clip => new ClipView(clip, c.Source.Tempo)).ToList());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AutomationLaneGraphType>>>>("automation").Resolve(c => c.Source.Track.Automation);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SendGraphType>>>>("sends").Description("What the track also feeds into buses (the track.send op).")
            .Resolve(c => c.Source.Track.Sends);
    }
}

public sealed class AutomationLaneGraphType : ObjectGraphType<AutomationLane>
{
    public AutomationLaneGraphType()
    {
        Name = "AutomationLane";
        Description = "A control's course over time (the automation.set op).";
        Field(l => l.Target).Description("volume (dB), pan (-1..1) or effect:<effectId>:<parameter>.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AutomationPointGraphType>>>>("points").Resolve(c => c.Source.Points);
    }
}

public sealed class AutomationPointGraphType : ObjectGraphType<AutomationPoint>
{
    public AutomationPointGraphType()
    {
        Name = "AutomationPoint";
        Field<NonNullGraphType<LongGraphType>>("time").Description("In samples at the project's sample rate.").Resolve(c => c.Source.Time);
        Field(p => p.Value);
        Field<NonNullGraphType<StringGraphType>>("curve").Description("The way to the next point: linear, hold, exponential, logarithmic or sCurve.")
            .Resolve(c => ApiEnums.Name(c.Source.Curve));
    }
}

public sealed class EffectGraphType : ObjectGraphType<Effect>
{
    public EffectGraphType()
    {
        Name = "Effect";
        Field(e => e.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(e => e.Type);
        Field(e => e.Bypass);
        Field(e => e.SidechainTrackId, type: typeof(IdGraphType)).Description("The track keying this compressor, if any.");
        Field(e => e.State, nullable: true).Description("A hosted plugin's saved state (base64), restored before its parameters.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ParameterGraphType>>>>("parameters").Resolve(c => c.Source.Parameters.ToList());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SampleZoneGraphType>>>>("zones")
            .Description("The samples a sampler or drums instrument plays (set with the effect.zones op).").Resolve(c => c.Source.Zones);
    }
}

public sealed class SampleZoneGraphType : ObjectGraphType<SampleZone>
{
    public SampleZoneGraphType()
    {
        Name = "SampleZone";
        Description = "A sample of an instrument: the asset, the key it sounds as recorded at, the keys and velocities it answers (inclusive).";
        Field(z => z.AssetId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(z => z.Root);
        Field(z => z.Low);
        Field(z => z.High);
        Field(z => z.LowVelocity);
        Field(z => z.HighVelocity);
    }
}

public sealed class ParameterGraphType : ObjectGraphType<KeyValuePair<string, double>>
{
    public ParameterGraphType()
    {
        Name = "EffectParameter";
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Key);
        Field<NonNullGraphType<FloatGraphType>>("value").Resolve(c => c.Source.Value);
    }
}

public sealed class ClipGraphType : ObjectGraphType<ClipView>
{
    public ClipGraphType()
    {
        Name = "Clip";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Clip.Id);
        Field<NonNullGraphType<LongGraphType>>("start").Description("In samples at the project's sample rate.").Resolve(c => c.Source.Clip.Start);
        Field<NonNullGraphType<LongGraphType>>("length").Resolve(c => c.Source.Clip.Length);
        Field<NonNullGraphType<FloatGraphType>>("startBeats").Description("Quarter notes from the start, through the tempo changes.")
            .Resolve(c => c.Source.Tempo.BeatAt(c.Source.Clip.Start));
        Field<NonNullGraphType<FloatGraphType>>("lengthBeats").Resolve(c => c.Source.Tempo.BeatsBetween(c.Source.Clip.Start, c.Source.Clip.Start + c.Source.Clip.Length));
        Field<IdGraphType>("assetId").Resolve(c => c.Source.Clip.AssetId);
        Field<NonNullGraphType<LongGraphType>>("offset").Resolve(c => c.Source.Clip.Offset);
        Field<NonNullGraphType<FloatGraphType>>("gainDb").Resolve(c => c.Source.Clip.GainDb);
        Field<FloatGraphType>("sourceTempo").Description("The audio's own tempo; set, the clip follows the project's tempo.").Resolve(c => c.Source.Clip.SourceTempo);
        Field<NonNullGraphType<IntGraphType>>("transpose").Description("Semitones.").Resolve(c => c.Source.Clip.Transpose);
        Field<NonNullGraphType<IntGraphType>>("cents").Resolve(c => c.Source.Clip.Cents);
        Field<NonNullGraphType<BooleanGraphType>>("preserveFormants").Resolve(c => c.Source.Clip.PreserveFormants);
        Field<NonNullGraphType<FadeGraphType>>("fadeIn").Resolve(c => c.Source.Clip.FadeIn);
        Field<NonNullGraphType<FadeGraphType>>("fadeOut").Resolve(c => c.Source.Clip.FadeOut);
        Field<NonNullGraphType<BooleanGraphType>>("muted").Resolve(c => c.Source.Clip.Muted);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<NoteGraphType>>>>("notes").Resolve(c => c.Source.Clip.Notes);
    }
}

public sealed class FadeGraphType : ObjectGraphType<Fade>
{
    public FadeGraphType()
    {
        Name = "Fade";
        Field(f => f.Length);
        Field<NonNullGraphType<StringGraphType>>("curve").Resolve(c => ApiEnums.Name(c.Source.Curve));
    }
}

public sealed class NoteGraphType : ObjectGraphType<MidiNote>
{
    public NoteGraphType()
    {
        Name = "MidiNote";
        Field(n => n.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(n => n.Pitch);
        Field(n => n.Velocity);
        Field(n => n.Start).Description("In samples from the clip's start.");
        Field(n => n.Length);
    }
}

public sealed class CommentGraphType : ObjectGraphType<Comment>
{
    public CommentGraphType()
    {
        Name = "Comment";
        Field(c => c.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(c => c.AuthorId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(c => c.Position);
        Field(c => c.TrackId, type: typeof(IdGraphType));
        Field(c => c.Text);
        Field(c => c.Resolved);
        Field(c => c.CreatedAt);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CommentReplyGraphType>>>>("replies").Resolve(c => c.Source.Replies);
    }
}

public sealed class CommentReplyGraphType : ObjectGraphType<CommentReply>
{
    public CommentReplyGraphType()
    {
        Name = "CommentReply";
        Field(c => c.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(c => c.AuthorId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(c => c.Text);
        Field(c => c.CreatedAt);
    }
}

public sealed class ProjectListingGraphType : ObjectGraphType<ProjectListing>
{
    public ProjectListingGraphType()
    {
        Name = "ProjectListing";
        Field(p => p.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(p => p.Name);
        Field<NonNullGraphType<StringGraphType>>("role").Resolve(c => ApiEnums.Name(c.Source.Role));
        Field(p => p.UpdatedAt);
    }
}

public sealed class ProjectConnectionGraphType() : ConnectionGraphType<ProjectListingGraphType, ProjectListing>("Project");

public sealed class OpInputGraphType : InputObjectGraphType<OpRequest>
{
    public OpInputGraphType()
    {
        Name = "OpInput";
        Description = "One op; payload is the op's JSON object as a string (docs/collaboration.md lists the kinds).";
        Field<NonNullGraphType<StringGraphType>>("clientId");
        Field<NonNullGraphType<StringGraphType>>("opId");
        Field<NonNullGraphType<LongGraphType>>("baseVersion");
        Field<NonNullGraphType<StringGraphType>>("kind");
        Field<NonNullGraphType<StringGraphType>>("payload");
    }

    public override object ParseDictionary(IDictionary<string, object?> value)
    {
        System.Text.Json.JsonElement payload;
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse((string)value["payload"]!);
            payload = document.RootElement.Clone();
        }
        catch (System.Text.Json.JsonException)
        {
            throw Common.DomainException.Invalid("payload", "payload must be a JSON object.");
        }

        return new OpRequest((string?)value["clientId"], (string?)value["opId"], Convert.ToInt64(value["baseVersion"], System.Globalization.CultureInfo.InvariantCulture),
            (string?)value["kind"], payload);
    }
}

public sealed class OpAckGraphType : ObjectGraphType<OpAck>
{
    public OpAckGraphType()
    {
        Name = "OpAck";
        Field(a => a.OpId);
        Field<NonNullGraphType<StringGraphType>>("status").Resolve(c => ApiEnums.Name(c.Source.Status));
        Field(a => a.Version);
        Field(a => a.Reason, nullable: true);
    }
}

public sealed class InvitationGraphType : ObjectGraphType<InvitationResponse>
{
    public InvitationGraphType()
    {
        Name = "ProjectInvitation";
        Field(i => i.Email);
        Field(i => i.Role);
        Field(i => i.InvitedAt);
    }
}

public sealed class AcceptedInvitationGraphType : ObjectGraphType<AcceptedInvitationResponse>
{
    public AcceptedInvitationGraphType()
    {
        Name = "AcceptedInvitation";
        Field(a => a.ProjectId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(a => a.Role);
    }
}

public sealed class ProjectQueryFields : IQueryFields
{
    public void AddTo(ObjectGraphType query)
    {
        query.Field<ProjectGraphType>("project")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await c.Service<ProjectService>().GetAsync(c.UserId(), ProjectId(c)));

        query.Field<ProjectGraphType>("projectVersion")
            .Description("The project as it was at a version.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<NonNullGraphType<LongGraphType>>("version")
            .ResolveAsync(async c => await c.Service<ProjectService>().VersionAsync(c.UserId(), ProjectId(c), c.GetArgument<long>("version")));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<InvitationGraphType>>>>("projectInvitations")
            .Description("The invitations of a project not yet accepted (owner only).")
            .Argument<NonNullGraphType<IdGraphType>>("projectId")
            .ResolveAsync(async c => await c.Service<ProjectInvitations>().ListAsync(c.UserId(), ProjectId(c, "projectId")));

        query.Field<NonNullGraphType<ProjectConnectionGraphType>>("projects")
            .Description("The caller's projects: scope owned (default) or shared.")
            .Argument<StringGraphType>("scope")
            .Argument<IntGraphType>("first")
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c => await c.Service<ProjectService>().ListAsync(c.UserId(), c.GetArgument<string?>("scope"),
                c.GetArgument("first", 20), c.GetArgument<string?>("after")));
    }

    public static Guid ProjectId(IResolveFieldContext context, string argument = "id") => context.GuidArgument(argument, "a project id");
}

public sealed class ProjectMutationFields : IMutationFields
{
    public void AddTo(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<ProjectGraphType>>("createProject")
            .Argument<NonNullGraphType<StringGraphType>>("name")
            .Argument<StringGraphType>("description")
            .Argument<FloatGraphType>("tempo")
            .Argument<IntGraphType>("sampleRate")
            .ResolveAsync(async c => await c.Service<ProjectService>().CreateAsync(c.UserId(), new CreateProjectRequest(
                c.GetArgument<string>("name"), c.GetArgument<string?>("description"), c.GetArgument<double?>("tempo"), c.GetArgument<int?>("sampleRate"))));

        mutation.Field<NonNullGraphType<ProjectGraphType>>("updateProject")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<StringGraphType>("name")
            .Argument<StringGraphType>("description")
            .Argument<FloatGraphType>("tempo")
            .Argument<StringGraphType>("key")
            .ResolveAsync(async c => await c.Service<ProjectService>().UpdateAsync(c.UserId(), ProjectQueryFields.ProjectId(c), new UpdateProjectRequest(
                c.GetArgument<string?>("name"), c.GetArgument<string?>("description"), c.GetArgument<double?>("tempo"), null, c.GetArgument<string?>("key"))));

        mutation.Field<NonNullGraphType<ListGraphType<NonNullGraphType<OpAckGraphType>>>>("submitOps")
            .Argument<NonNullGraphType<IdGraphType>>("projectId")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<OpInputGraphType>>>>("ops")
            .ResolveAsync(async c => (await c.Service<ProjectService>().SubmitAsync(c.UserId(), ProjectQueryFields.ProjectId(c, "projectId"),
                c.GetArgument<List<OpRequest>>("ops"))).Acks);

        mutation.Field<NonNullGraphType<ListGraphType<NonNullGraphType<CollaboratorGraphType>>>>("setCollaborator")
            .Argument<NonNullGraphType<IdGraphType>>("projectId")
            .Argument<NonNullGraphType<IdGraphType>>("userId")
            .Argument<NonNullGraphType<StringGraphType>>("role")
            .ResolveAsync(async c => await c.Service<ProjectService>().SetCollaboratorAsync(c.UserId(), ProjectQueryFields.ProjectId(c, "projectId"),
                c.GuidArgument("userId", "a user id"),
                c.GetArgument<string>("role")));

        mutation.Field<NonNullGraphType<InvitationGraphType>>("inviteToProject")
            .Description("Invites an email address (owner only); the answer is the same whether or not it has an account.")
            .Argument<NonNullGraphType<IdGraphType>>("projectId")
            .Argument<NonNullGraphType<StringGraphType>>("email")
            .Argument<NonNullGraphType<StringGraphType>>("role")
            .ResolveAsync(async c => await c.Service<ProjectInvitations>().InviteAsync(c.UserId(), ProjectQueryFields.ProjectId(c, "projectId"),
                new InvitationRequest(c.GetArgument<string>("email"), c.GetArgument<string>("role"))));

        mutation.Field<NonNullGraphType<AcceptedInvitationGraphType>>("acceptInvitation")
            .Description("Joins the project of an invitation link; the caller's verified address must be the invited one.")
            .Argument<NonNullGraphType<StringGraphType>>("token")
            .ResolveAsync(async c => await c.Service<ProjectInvitations>().AcceptAsync(c.UserId(), c.GetArgument<string>("token")));

        mutation.Field<NonNullGraphType<BooleanGraphType>>("removeCollaborator")
            .Argument<NonNullGraphType<IdGraphType>>("projectId")
            .Argument<NonNullGraphType<IdGraphType>>("userId")
            .ResolveAsync(async c =>
            {
                await c.Service<ProjectService>().RemoveCollaboratorAsync(c.UserId(), ProjectQueryFields.ProjectId(c, "projectId"),
                    c.GuidArgument("userId", "a user id"));
                return true;
            });

        mutation.Field<NonNullGraphType<NamedSnapshotGraphType>>("createSnapshot")
            .Argument<NonNullGraphType<IdGraphType>>("projectId")
            .Argument<NonNullGraphType<StringGraphType>>("name")
            .Argument<LongGraphType>("version")
            .ResolveAsync(async c => await c.Service<ProjectService>().CreateSnapshotAsync(c.UserId(), ProjectQueryFields.ProjectId(c, "projectId"),
                new CreateSnapshotRequest(c.GetArgument<string>("name"), c.GetArgument<long?>("version"))));

        mutation.Field<NonNullGraphType<OpAckGraphType>>("restoreVersion")
            .Argument<NonNullGraphType<IdGraphType>>("projectId")
            .Argument<NonNullGraphType<LongGraphType>>("version")
            .ResolveAsync(async c => await c.Service<ProjectService>().RestoreAsync(c.UserId(), ProjectQueryFields.ProjectId(c, "projectId"), c.GetArgument<long>("version")));

        mutation.Field<NonNullGraphType<ProjectGraphType>>("forkProject")
            .Argument<NonNullGraphType<IdGraphType>>("projectId")
            .Argument<LongGraphType>("version")
            .Argument<StringGraphType>("name")
            .ResolveAsync(async c => await c.Service<ProjectService>().ForkAsync(c.UserId(), ProjectQueryFields.ProjectId(c, "projectId"),
                new ForkRequest(c.GetArgument<long?>("version"), c.GetArgument<string?>("name"))));

        mutation.Field<NonNullGraphType<BooleanGraphType>>("deleteProject")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c =>
            {
                await c.Service<ProjectService>().DeleteAsync(c.UserId(), ProjectQueryFields.ProjectId(c));
                return true;
            });
    }
}
