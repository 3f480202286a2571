using System.ClientModel;
using System.Text.Json;
using Jacameno.Jobs;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;

namespace Jacameno.AI.Lyrics;

/// <summary>
/// Writes lyrics with the model (through <see cref="IChatClient"/>) or the offline lyricist. The report holds
/// the sections and, for every line, what the assistant measures (syllables, rhyme letter), so a client can
/// show where a model's lines miss the asked shape.
/// </summary>
public sealed class LyricsJob(IOptions<LyricsOptions> options) : IJobHandler
{
    public JobKind Kind => JobKind.Lyrics;

    public async Task<JobResult> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var input = context.Input<LyricsInput>();
        var spec = new LyricsSpec(input.Theme, input.Genre, input.Mood, input.Structure, input.RhymeScheme, input.SyllablesPerLine, input.Language, input.Seed);
        context.Report(10, input.UseModel ? "asking the model" : "writing");
        var sections = input.UseModel ? await AskModelAsync(spec, cancellationToken) : LyricsWriter.Write(spec);
        var text = string.Join("\n\n", sections.Select(s => $"[{s.Name}]\n{string.Join('\n', s.Lines)}"));
        var report = new
        {
            provider = input.UseModel ? "model" : "offline",
            model = input.UseModel ? options.Value.Model : null,
            input.Seed,
            structure = input.Structure,
            input.RhymeScheme,
            input.SyllablesPerLine,
            sections = sections.Select(s =>
            {
                var analysis = LyricsAssistant.Analyse(string.Join('\n', s.Lines), 120, 4);
                return new { name = s.Name, lines = analysis.Lines.Select(l => new { text = l.Text, syllables = l.Syllables, rhyme = l.Rhyme }) };
            }),
            text,
        };
        return new JobResult(new Dictionary<string, Guid>(), JsonSerializer.Serialize(report, JsonSerializerOptions.Web));
    }

    private async Task<IReadOnlyList<LyricsSection>> AskModelAsync(LyricsSpec spec, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.HasModel)
        {
            throw new JobRejectedException("No lyrics model is configured on this platform; ask for the offline lyricist.");
        }

        var client = new OpenAI.Chat.ChatClient(o.Model, new ApiKeyCredential(o.ApiKey ?? "none"),
            new OpenAIClientOptions { Endpoint = new Uri(o.Endpoint!), NetworkTimeout = o.Timeout, RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) }).AsIChatClient();
        var system = """
            You are a lyricist. Answer with JSON only: {"sections":[{"name":"verse","lines":["...","..."]}, ...]}.
            One object per requested section, in order, named as requested; each section has one line per letter of the rhyme scheme;
            lines with the same letter rhyme; every line has the requested number of syllables. A repeated chorus repeats its lines.
            """;
        var user = JsonSerializer.Serialize(new
        {
            theme = spec.Theme, genre = spec.Genre, mood = spec.Mood, structure = spec.Structure, rhymeScheme = spec.RhymeScheme,
            syllablesPerLine = spec.SyllablesPerLine, language = spec.Language,
        });
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(o.Timeout);
        ChatResponse response;
        try
        {
            response = await client.GetResponseAsync([new ChatMessage(ChatRole.System, system), new ChatMessage(ChatRole.User, user)],
                new ChatOptions { ResponseFormat = ChatResponseFormat.Json, Seed = spec.Seed, Temperature = 0.9f }, timer.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new JobRetryException($"The lyrics model did not answer within {o.Timeout.TotalSeconds:0} s.");
        }
        catch (ClientResultException e)
        {
            throw new JobRetryException($"The lyrics model's endpoint failed (HTTP {e.Status}).");
        }
        catch (HttpRequestException e)
        {
            throw new JobRetryException($"The lyrics model's endpoint cannot be reached ({e.Message}).");
        }

        return Parse(response.Text, spec) ?? throw new JobRetryException("The lyrics model answered with something other than lyrics in the asked shape.");
    }

    /// <summary>The model's sections, if its answer is the asked JSON (fences tolerated) with the asked sections in order.</summary>
    public static IReadOnlyList<LyricsSection>? Parse(string? text, LyricsSpec spec)
    {
        var json = (text ?? "").Trim();
        if (json.StartsWith("```", StringComparison.Ordinal))
        {
            json = json[(json.IndexOf('\n') + 1)..].TrimEnd('`', '\n', ' ');
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("sections", out var array) || array.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var sections = new List<LyricsSection>();
            foreach (var section in array.EnumerateArray())
            {
                var name = section.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()!.ToLowerInvariant().Replace("-", "", StringComparison.Ordinal) : null;
                if (name is null || !section.TryGetProperty("lines", out var lines) || lines.ValueKind != JsonValueKind.Array)
                {
                    return null;
                }

                var texts = lines.EnumerateArray().Select(l => l.ValueKind == JsonValueKind.String ? l.GetString()!.Trim() : "").ToList();
                if (texts.Count is 0 or > 32 || texts.Any(t => t.Length is 0 or > 200))
                {
                    return null;
                }

                sections.Add(new LyricsSection(name, texts));
            }

            return sections.Select(s => s.Name).SequenceEqual(spec.Structure) ? sections : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
