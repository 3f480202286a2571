using Jacameno.Assets;

namespace Jacameno.Rendering;

/// <summary>What to render: a project at a pinned version, into which file format.</summary>
public sealed record RenderInput(Guid ProjectId, long Version, AudioFileFormat Format, int SampleRate, int BitDepth, bool Stems, bool Mp3Cbr320 = false);
