using System.Text.Json;
using GraphQL;
using GraphQL.Transport;
using GraphQL.Types;
using GraphQL.Utilities;
using GraphQLParser.AST;
using Jacameno.Common;
using Jacameno.Frontend.Hosting;

namespace Jacameno.Frontend.GraphQL;

/// <summary>
/// GraphQL over HTTP (the GraphQL-over-HTTP specification): POST with a JSON body, GET with query
/// parameters (queries only), both application/graphql-response+json and application/json responses, and queries
/// named by the hash of a persisted one (<see cref="PersistedQueries"/>).
/// GraphQL.NET's server transport packages are not used (the package feed this project builds from lacks them), so
/// the transport is ours, over DocumentExecuter.
/// </summary>
public static partial class GraphQLEndpoints
{
    public const string GraphQLResponseJson = "application/graphql-response+json";
    public const string ApplicationJson = "application/json";
    internal const int MaxQueryLength = 32 * 1024;

    public static IEndpointRouteBuilder MapGraphQLEndpoints(this IEndpointRouteBuilder app)
    {
        // A second (discarded) parameter keeps these out of the plain RequestDelegate overload, which the OpenAPI document skips.
        app.MapPost("/graphql", async (HttpContext http, CancellationToken _) =>
        {
            if (!http.Request.HasJsonContentType())
            {
                await Problems.WriteAsync(http, 415, Problems.TitleOf(415), "Send a GraphQL request as application/json.");
                return;
            }

            GraphQLRequest? request;
            try
            {
                request = await http.RequestServices.GetRequiredService<IGraphQLTextSerializer>()
                    .ReadAsync<GraphQLRequest>(http.Request.Body, http.RequestAborted);
            }
            catch (Exception ex) when (ex is JsonException or global::GraphQL.Execution.InvalidOperationError or InvalidOperationException or NotSupportedException)
            {
                await Problems.WriteAsync(http, 400, "Bad request", "The body is not a GraphQL request: JSON with a string 'query', and optional 'variables' (an object) and 'operationName'.");
                return;
            }

            await ExecuteAsync(http, request, allowMutations: true);
        }).DisableAntiforgery().WithTags("GraphQL")
            .WithSummary("GraphQL over HTTP: {query, variables?, operationName?} as application/json; the schema is at /graphql/schema.");

        app.MapGet("/graphql", async (HttpContext http, CancellationToken _) =>
        {
            if (http.WebSockets.IsWebSocketRequest)
            {
                await GraphQLWebSockets.AcceptAsync(http);
                return;
            }

            var query = http.Request.Query;
            var serializer = http.RequestServices.GetRequiredService<IGraphQLTextSerializer>();
            var objects = new Dictionary<string, Inputs?>();
            foreach (var parameter in (string[])["variables", "extensions"])
            {
                try
                {
                    objects[parameter] = query[parameter] is [{ Length: > 0 } json] ? serializer.Deserialize<Inputs>(json) : null;
                }
                catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException)
                {
                    await Problems.WriteAsync(http, 400, "Bad request", $"'{parameter}' must be a JSON object.");
                    return;
                }
            }

            await ExecuteAsync(http, new GraphQLRequest
            {
                Query = query["query"].ToString(),
                OperationName = query["operationName"] is [{ Length: > 0 } name] ? name : null,
                Variables = objects.GetValueOrDefault("variables"),
                Extensions = objects.GetValueOrDefault("extensions"),
            }, allowMutations: false);
        }).WithTags("GraphQL")
            .WithSummary("GraphQL queries over GET: ?query=&variables=&operationName= (mutations are refused with 405); "
                + "a WebSocket upgrade with the graphql-transport-ws subprotocol runs subscriptions (docs/api.md).");

        app.MapGet("/graphql/schema", (ISchema schema) => TypedResults.Text(schema.Print(), "text/plain; charset=utf-8"))
            .WithTags("GraphQL").WithSummary("The schema in SDL.");
        return app;
    }

    private static async Task ExecuteAsync(HttpContext http, GraphQLRequest? request, bool allowMutations)
    {
        var mediaType = Negotiate(http.Request);
        if (mediaType is null)
        {
            await Problems.WriteAsync(http, 406, "Not acceptable", $"Accept {GraphQLResponseJson} or application/json.");
            return;
        }

        request ??= new GraphQLRequest();
        if (request.Query?.Length > MaxQueryLength)
        {
            await Problems.WriteAsync(http, 413, Problems.TitleOf(413), $"The query is longer than {MaxQueryLength} characters.");
            return;
        }

        string document;
        switch (http.RequestServices.GetRequiredService<PersistedQueries>().Resolve(request))
        {
            case PersistedQueries.Resolution.Run run:
                document = run.Query;
                break;
            case PersistedQueries.Resolution.Refused refused:
                await WriteResultAsync(http, mediaType, new ExecutionResult { Errors = [new ExecutionError(refused.Message) { Code = refused.Code }] });
                return;
            case PersistedQueries.Resolution.Invalid invalid:
                await Problems.WriteAsync(http, 400, "Bad request", invalid.Reason);
                return;
            default:
                throw new InvalidOperationException("A persisted-query resolution this endpoint does not know.");
        }

        var result = await RunAsync(http.RequestServices, http.User, request, document, http.RequestAborted,
            allowMutations ? [new NoSubscriptionsOverHttp()] : [new NoSubscriptionsOverHttp(), new QueriesOnlyOverGet()]);

        if (!allowMutations && result.Errors?.Any(e => e is QueriesOnlyOverGet.MutationOverGetError) == true)
        {
            http.Response.Headers.Allow = "POST";
            await Problems.WriteAsync(http, 405, Problems.TitleOf(405), "Mutations must be sent with POST.");
            return;
        }

        if (result.Executed && result.Operation?.Operation == OperationType.Mutation)
        {
            // A mutation can change anything public; the short public cache is dropped rather than guessed at.
            await Http.HttpCaching.EvictPublicAsync(http.RequestServices.GetRequiredService<Microsoft.AspNetCore.OutputCaching.IOutputCacheStore>());
        }

        await WriteResultAsync(http, mediaType, result);
    }

    /// <summary>
    /// Runs a document with the rules every transport shares (size limits, complexity, account restrictions, domain
    /// errors as coded GraphQL errors) and the transport's own <paramref name="rules"/>.
    /// </summary>
    internal static Task<ExecutionResult> RunAsync(IServiceProvider services, System.Security.Claims.ClaimsPrincipal user, GraphQLRequest request,
        string document, CancellationToken cancellationToken, IEnumerable<global::GraphQL.Validation.IValidationRule> rules,
        Dictionary<string, object?>? userContext = null) =>
        services.GetRequiredService<IDocumentExecuter<JacamenoSchema>>().ExecuteAsync(options =>
        {
            options.Query = document;
            options.OperationName = request.OperationName;
            options.Variables = request.Variables;
            options.Extensions = request.Extensions;
            options.User = user;
            options.UserContext = userContext ?? [];
            options.RequestServices = services;
            options.CancellationToken = cancellationToken;
            options.ValidationRules = [.. global::GraphQL.Validation.DocumentValidator.CoreRules, new RequestSizeLimits(), .. rules];
            options.Listeners.Add(new RestrictedAccountsListener());
            options.UnhandledExceptionDelegate = context =>
            {
                if (context.OriginalException is DomainException domain)
                {
                    context.Exception = new ExecutionError(domain.Message) { Code = CodeOf(domain.Kind) };
                }
                else
                {
                    LogUnhandled(services.GetRequiredService<ILoggerFactory>().CreateLogger("Jacameno.Frontend.GraphQL"), context.OriginalException);
                }

                return Task.CompletedTask;
            };
        });

    private static async Task WriteResultAsync(HttpContext http, string mediaType, ExecutionResult result)
    {
        // application/graphql-response+json: a request that never executed (parse or validation error, a persisted
        // query not found or not allowed) is a 400; application/json answers 200 to every well-formed request.
        http.Response.StatusCode = mediaType == GraphQLResponseJson && !result.Executed ? 400 : 200;
        http.Response.ContentType = mediaType + "; charset=utf-8";
        await http.RequestServices.GetRequiredService<IGraphQLTextSerializer>().WriteAsync(http.Response.Body, result, http.RequestAborted);
    }

    /// <summary>
    /// The response's media type, as the GraphQL-over-HTTP specification asks: the first acceptable type by quality;
    /// a wildcard or no Accept at all gets application/json, which every client reads.
    /// </summary>
    private static string? Negotiate(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0)
        {
            return ApplicationJson;
        }

        foreach (var type in accept.Where(a => a.Quality is not 0).OrderByDescending(a => a.Quality ?? 1))
        {
            if (type.MediaType.Equals(GraphQLResponseJson, StringComparison.OrdinalIgnoreCase))
            {
                return GraphQLResponseJson;
            }

            if (type.MediaType.Equals(ApplicationJson, StringComparison.OrdinalIgnoreCase)
                || type.MediaType.Equals("*/*", StringComparison.Ordinal)
                || type.MediaType.Equals("application/*", StringComparison.OrdinalIgnoreCase))
            {
                return ApplicationJson;
            }
        }

        return null;
    }

    public static string CodeOf(DomainErrorKind kind) => kind switch
    {
        DomainErrorKind.Unauthorized => "UNAUTHENTICATED",
        DomainErrorKind.Forbidden => "FORBIDDEN",
        DomainErrorKind.NotFound => "NOT_FOUND",
        DomainErrorKind.Conflict => "CONFLICT",
        DomainErrorKind.TooManyRequests => "TOO_MANY_REQUESTS",
        DomainErrorKind.NotReady => "NOT_READY",
        _ => "BAD_USER_INPUT",
    };

    /// <summary>A suspended or banned account's mutations are refused before any field runs, as its REST writes are.</summary>
    private sealed class RestrictedAccountsListener : global::GraphQL.Execution.DocumentExecutionListenerBase
    {
        public override async Task BeforeExecutionAsync(global::GraphQL.Execution.IExecutionContext context)
        {
            if (context.Operation.Operation == OperationType.Mutation && context.User is { } user && Auth.AuthSetup.OptionalUserId(user) is { } userId)
            {
                await context.RequestServices!.GetRequiredService<Users.AccountGate>().EnsureMayWriteAsync(userId);
            }
        }
    }

    /// <summary>GET must not change anything: a mutation sent over GET is refused before it runs.</summary>
    private sealed class QueriesOnlyOverGet : global::GraphQL.Validation.ValidationRuleBase
    {
        public override ValueTask<global::GraphQL.Validation.INodeVisitor?> GetPreNodeVisitorAsync(global::GraphQL.Validation.ValidationContext context) =>
            new(new global::GraphQL.Validation.MatchingNodeVisitor<GraphQLOperationDefinition>((operation, ctx) =>
            {
                if (operation == ctx.Operation && operation.Operation == OperationType.Mutation)
                {
                    ctx.ReportError(new MutationOverGetError(ctx.Document.Source, operation));
                }
            }));

        public sealed class MutationOverGetError(GraphQLParser.ROM source, ASTNode node)
            : global::GraphQL.Validation.ValidationError(source, "5.0", "Only queries can be sent with GET.", node);
    }

    /// <summary>Subscriptions are events over time: they need the WebSocket transport, not one HTTP response.</summary>
    private sealed class NoSubscriptionsOverHttp : global::GraphQL.Validation.ValidationRuleBase
    {
        public override ValueTask<global::GraphQL.Validation.INodeVisitor?> GetPreNodeVisitorAsync(global::GraphQL.Validation.ValidationContext context)
        {
            if (context.Operation.Operation == OperationType.Subscription)
            {
                context.ReportError(new global::GraphQL.Validation.ValidationError(context.Document.Source, "5.0",
                    $"Subscriptions run over a WebSocket at /graphql with the {GraphQLWebSockets.SubProtocol} subprotocol, not over HTTP.", context.Operation));
            }

            return default;
        }
    }

    /// <summary>
    /// Caps what one request may ask for at once: root fields of the operation (fragments included) and aliases in
    /// the whole document. Without them, one request of 600 aliased <c>login</c> fields is 600 password guesses in a
    /// single HTTP request, and aliases multiply any costly field past the complexity limit's view of one field.
    /// </summary>
    public sealed class RequestSizeLimits : global::GraphQL.Validation.ValidationRuleBase
    {
        public const int MaxRootFields = 20;
        public const int MaxAliases = 50;

        public override ValueTask<global::GraphQL.Validation.INodeVisitor?> GetPreNodeVisitorAsync(global::GraphQL.Validation.ValidationContext context)
        {
            var fragments = new Dictionary<string, GraphQLFragmentDefinition>(StringComparer.Ordinal);
            foreach (var fragment in context.Document.Definitions.OfType<GraphQLFragmentDefinition>())
            {
                fragments.TryAdd(fragment.FragmentName.Name.StringValue, fragment);
            }

            if (RootFields(fragments, context.Operation.SelectionSet, depth: 0) > MaxRootFields)
            {
                context.ReportError(new global::GraphQL.Validation.ValidationError(context.Document.Source, "5.0",
                    $"A request may select at most {MaxRootFields} root fields; send the rest in another request.", context.Operation));
            }

            var aliases = 0;
            return new(new global::GraphQL.Validation.MatchingNodeVisitor<GraphQLField>((field, ctx) =>
            {
                if (field.Alias is not null && ++aliases == MaxAliases + 1)
                {
                    ctx.ReportError(new global::GraphQL.Validation.ValidationError(ctx.Document.Source, "5.0",
                        $"A request may use at most {MaxAliases} aliases.", field));
                }
            }));
        }

        // Fragments nest (and a cyclic one is refused by another rule): the depth stops a cycle from looping here.
        private static int RootFields(Dictionary<string, GraphQLFragmentDefinition> fragments, GraphQLSelectionSet selections, int depth) =>
            depth > 8 ? 0 : selections.Selections.Sum(selection => selection switch
            {
                GraphQLField => 1,
                GraphQLInlineFragment inline => RootFields(fragments, inline.SelectionSet, depth + 1),
                GraphQLFragmentSpread spread when fragments.TryGetValue(spread.FragmentName.Name.StringValue, out var fragment) =>
                    RootFields(fragments, fragment.SelectionSet, depth + 1),
                _ => 0,
            });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error in a GraphQL resolver")]
    private static partial void LogUnhandled(ILogger logger, Exception exception);
}
