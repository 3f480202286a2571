using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GraphQL.Transport;
using Microsoft.Extensions.Options;

namespace Jacameno.Frontend.GraphQL;

/// <summary>GraphQL settings, section <c>Jacameno:GraphQL</c>.</summary>
public sealed class GraphQLOptions
{
    public const string SectionName = "Jacameno:GraphQL";

    /// <summary>
    /// The persisted queries: a JSON file holding one object that maps each document's SHA-256 (64 hexadecimal
    /// digits, of its UTF-8 text exactly as the client sends it) to the document. A relative path is taken from the
    /// content root. Default none: every hash-only request answers <c>PERSISTED_QUERY_NOT_FOUND</c>.
    /// </summary>
    public string? PersistedQueries { get; set; }

    /// <summary>
    /// Run only the documents of <see cref="PersistedQueries"/> (sent by hash, or in full), for a deployment that
    /// serves only its own apps. Default false: any document runs.
    /// </summary>
    public bool PersistedOnly { get; set; }

    /// <summary>
    /// Operations (subscriptions, and queries and mutations in flight) one WebSocket may run at once; a subscribe over
    /// the limit gets a TOO_MANY_REQUESTS error. Default 100.
    /// </summary>
    public int MaxOperationsPerSocket { get; set; } = 100;

    /// <summary>The largest message a WebSocket client may send, in bytes; a larger one closes the socket (1009). Default 256 KiB, as the hub's.</summary>
    public int MaxSocketMessageBytes { get; set; } = 256 * 1024;

    /// <summary>How long a new WebSocket has to send connection_init before it is closed (4408). Default 10 seconds.</summary>
    public TimeSpan ConnectionInitTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often a signed-in WebSocket checks that its session is still on; when it ended (sign-out, password change),
    /// the socket is closed (4403). Each subscribe checks it too. Default 1 minute.
    /// </summary>
    public TimeSpan SessionCheckInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// The allow list of persisted queries and the Apollo request shape that names one:
/// <c>extensions: { persistedQuery: { version: 1, sha256Hash } }</c>, with or without the query itself.
/// The list is fixed at start; unlike automatic persisted queries, a request never adds to it.
/// </summary>
public sealed class PersistedQueries
{
    private readonly FrozenDictionary<string, string> documents;
    private readonly bool persistedOnly;

    public PersistedQueries(IOptions<GraphQLOptions> options, IHostEnvironment environment)
    {
        persistedOnly = options.Value.PersistedOnly;
        documents = options.Value.PersistedQueries is { Length: > 0 } path
            ? Read(Path.Combine(environment.ContentRootPath, path), out var error) ?? throw new InvalidOperationException(error)
            : FrozenDictionary<string, string>.Empty;
    }

    /// <summary>What a request runs: its own query, a stored one, or why neither.</summary>
    public abstract record Resolution
    {
        public sealed record Run(string Query) : Resolution;

        /// <summary>The request is malformed (a 400 with the reason).</summary>
        public sealed record Invalid(string Reason) : Resolution;

        /// <summary>A GraphQL error before anything runs, with the code clients look for.</summary>
        public sealed record Refused(string Message, string Code) : Resolution;
    }

    public Resolution Resolve(GraphQLRequest request)
    {
        var query = string.IsNullOrWhiteSpace(request.Query) ? null : request.Query;
        if (request.Extensions is { } extensions && extensions.TryGetValue("persistedQuery", out var persisted))
        {
            if (HashOf(persisted) is not { } hash)
            {
                return new Resolution.Invalid("extensions.persistedQuery must be {\"version\": 1, \"sha256Hash\": \"<64 hexadecimal digits>\"}.");
            }

            if (query is null)
            {
                return documents.TryGetValue(hash, out var stored)
                    ? new Resolution.Run(stored)
                    // The message is the one Apollo's persisted-query link looks for, before it sends the query in full.
                    : new Resolution.Refused("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND");
            }

            if (Sha256(query) != hash)
            {
                return new Resolution.Invalid("extensions.persistedQuery.sha256Hash is not the SHA-256 of the query sent.");
            }
        }

        if (query is null)
        {
            return new Resolution.Invalid("The request has no 'query'.");
        }

        return persistedOnly && !documents.ContainsKey(Sha256(query))
            ? new Resolution.Refused("This server runs only its persisted queries; send one of them, by its sha256Hash.", "QUERY_NOT_IN_SAFELIST")
            : new Resolution.Run(query);
    }

    public static string Sha256(string document) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(document)));

    /// <summary>The hash of <c>{version: 1, sha256Hash}</c> in lower case; null for anything else.</summary>
    private static string? HashOf(object? persisted)
    {
        if (persisted is not IReadOnlyDictionary<string, object?> fields
            || !fields.TryGetValue("version", out var version) || version is not (1 or 1L)
            || !fields.TryGetValue("sha256Hash", out var value) || value is not string { Length: 64 } hash
            || !hash.All(char.IsAsciiHexDigit))
        {
            return null;
        }

        return hash.ToLowerInvariant();
    }

    /// <summary>The list in the file, each hash checked against its document; null with the reason when it is not one.</summary>
    public static FrozenDictionary<string, string>? Read(string path, out string? error)
    {
        Dictionary<string, string>? entries;
        try
        {
            entries = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            error = $"{GraphQLOptions.SectionName}:PersistedQueries: {path} is not readable as a JSON object of SHA-256 → query ({e.Message}).";
            return null;
        }

        var wrong = (entries ?? []).Where(e => !string.Equals(e.Key, Sha256(e.Value), StringComparison.OrdinalIgnoreCase)).Select(e => e.Key).ToList();
        if (entries is null || wrong.Count > 0)
        {
            error = $"{GraphQLOptions.SectionName}:PersistedQueries: in {path}, {(entries is null ? "null" : string.Join(", ", wrong.Take(5)))} "
                + "is not the SHA-256 of its query (64 hexadecimal digits of the document's UTF-8 text).";
            return null;
        }

        error = null;
        return entries.DistinctBy(e => e.Key.ToLowerInvariant()).ToFrozenDictionary(e => e.Key.ToLowerInvariant(), e => e.Value);
    }
}

public sealed class GraphQLOptionsValidator(IHostEnvironment environment) : IValidateOptions<GraphQLOptions>
{
    public ValidateOptionsResult Validate(string? name, GraphQLOptions options)
    {
        if (options.MaxOperationsPerSocket < 1 || options.MaxSocketMessageBytes < 1024
            || options.ConnectionInitTimeout <= TimeSpan.Zero || options.SessionCheckInterval <= TimeSpan.Zero)
        {
            return ValidateOptionsResult.Fail($"{GraphQLOptions.SectionName}: MaxOperationsPerSocket must be at least 1, MaxSocketMessageBytes at least 1024, "
                + "ConnectionInitTimeout and SessionCheckInterval positive.");
        }

        if (options.PersistedQueries is not { Length: > 0 } path)
        {
            return options.PersistedOnly
                ? ValidateOptionsResult.Fail($"{GraphQLOptions.SectionName}:PersistedOnly needs {GraphQLOptions.SectionName}:PersistedQueries, the file of the queries to run.")
                : ValidateOptionsResult.Success;
        }

        return PersistedQueries.Read(Path.Combine(environment.ContentRootPath, path), out var error) is null
            ? ValidateOptionsResult.Fail(error!)
            : ValidateOptionsResult.Success;
    }
}
