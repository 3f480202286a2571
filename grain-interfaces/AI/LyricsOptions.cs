using Jacameno.Common;
using Microsoft.Extensions.Options;

namespace Jacameno.AI.Lyrics;

/// <summary>The lyrics model, section <c>Jacameno:AI:Lyrics</c>: any OpenAI-compatible endpoint (vLLM, llama.cpp server, Ollama).</summary>
public sealed class LyricsOptions
{
    public const string SectionName = "Jacameno:AI:Lyrics";

    /// <summary>Base URL of the OpenAI-compatible API, e.g. http://gpu-1:8000/v1. Unset: only the offline lyricist.</summary>
    public string? Endpoint { get; set; }

    public string Model { get; set; } = "default";

    public string? ApiKey { get; set; }

    /// <summary>How long one answer may take. Default 60 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    public bool HasModel => !string.IsNullOrWhiteSpace(Endpoint);
}

public sealed class LyricsOptionsValidator : IValidateOptions<LyricsOptions>
{
    public ValidateOptionsResult Validate(string? name, LyricsOptions o) => OptionChecks.Result(
        (o.Endpoint is null || Uri.TryCreate(o.Endpoint, UriKind.Absolute, out _), "Jacameno:AI:Lyrics:Endpoint must be an absolute URL."),
        (!string.IsNullOrWhiteSpace(o.Model), "Jacameno:AI:Lyrics:Model must be set."),
        (o.Timeout > TimeSpan.Zero, "Jacameno:AI:Lyrics:Timeout must be positive."));
}
