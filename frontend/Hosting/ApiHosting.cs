using System.Text.Json;
using System.Text.Json.Serialization;
using GraphQL;
using Jacameno.Frontend.AI;
using Jacameno.Frontend.Apps;
using Jacameno.Frontend.Assets;
using Jacameno.Frontend.Auth;
using Jacameno.Frontend.Auth.External;
using Jacameno.Frontend.Blobs;
using Jacameno.Frontend.GraphQL;
using Jacameno.Frontend.Http;
using Jacameno.Frontend.Insights;
using Jacameno.Frontend.Jobs;
using Jacameno.Frontend.Loops;
using Jacameno.Frontend.Marketplace;
using Jacameno.Frontend.Moderation;
using Jacameno.Frontend.Operations;
using Jacameno.Frontend.Plugins;
using Jacameno.Frontend.Projects;
using Jacameno.Frontend.Push;
using Jacameno.Frontend.Realtime;
using Jacameno.Frontend.Sharing;
using Jacameno.Frontend.Streaming;
using Jacameno.Frontend.Uploads;
using Jacameno.Frontend.Users;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.SignalR;
using Scalar.AspNetCore;

namespace Jacameno.Frontend.Hosting;

public static class ApiHosting
{
    /// <summary>The most a JSON request body may hold; endpoints that take files raise it for themselves.</summary>
    public const long MaxJsonBodyBytes = 1024 * 1024;

    public static WebApplicationBuilder AddJacamenoApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxJsonBodyBytes);
        builder.AddJacamenoObservability();

        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        // Unreadable bodies throw, so the exception handler can say what was wrong instead of a bare 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        // Enums travel as camelCase names on every surface ("audio", "editor", "applied"), as op payloads use them.
        services.Configure<JsonOptions>(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        services.AddOpenApi();

        services.AddJacamenoAuth(builder.Configuration);
        services.AddJacamenoForwardedHeaders(builder.Configuration);
        services.AddJacamenoRateLimits(builder.Configuration);
        services.AddJacamenoHttpCaching(builder.Configuration);
        services.AddHttpContextAccessor();
        services.AddJacamenoEdge();
        services.AddSingleton<AccountService>();
        services.AddSingleton<EmailVerification>();
        services.AddSingleton<AccountRecovery>();
        services.AddSingleton<AccountGate>();
        services.AddSingleton<ProjectInvitations>();
        services.AddOptions<Mail.MailOptions>().BindConfiguration(Mail.MailOptions.SectionName).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<Mail.MailOptions>, Mail.MailOptionsValidator>();
        services.AddSingleton<Mail.MailDelivery>();
        services.AddSingleton<Mail.MailOutboxSender>();
        services.AddHostedService(sp => sp.GetRequiredService<Mail.MailOutboxSender>());
        services.AddSingleton<Mail.Mailer>();
        services.AddSingleton<Mail.AccountMails>();
        services.AddJacamenoPush(builder.Configuration);
        HubErrors.Register(builder);
        services.AddSignalR(o =>
            {
                o.MaximumReceiveMessageSize = 256 * 1024;
                o.AddFilter<HubErrors>();
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)))
            .AddMessagePackProtocol();
        services.AddSingleton<ProjectService>();
        services.AddSingleton<TrackPreviews>();
        services.AddSingleton<IQueryFields, TrackPreviewQueryFields>();
        services.AddSingleton<ProjectFanout>();
        services.AddHostedService(sp => sp.GetRequiredService<ProjectFanout>());
        services.AddSingleton<IQueryFields, ProjectQueryFields>();
        services.AddSingleton<AssetLibrary>();
        services.AddSingleton<IQueryFields, AssetQueryFields>();
        services.AddSingleton<UploadTargets>();
        services.AddSingleton<UploadWriter>();
        services.AddSingleton<IQueryFields, UploadQueryFields>();
        services.AddSingleton<IMutationFields, UploadMutationFields>();
        services.AddSingleton(sp => Jacameno.Audio.Instruments.SoundFontLibrary.Of(sp.GetRequiredService<IConfiguration>()[Jacameno.Audio.Instruments.SoundFontLibrary.DirectoryKey]));
        services.AddSingleton<IQueryFields, EffectQueryFields>();
        services.AddSingleton<IMutationFields, ProjectMutationFields>();
        services.AddSingleton<JobService>();
        services.AddSingleton<UserFanout>();
        services.AddSingleton<IQueryFields, JobQueryFields>();
        services.AddSingleton<IMutationFields, JobMutationFields>();
        services.AddSingleton<AiService>();
        services.AddSingleton<IMutationFields, AiMutationFields>();
        services.AddSingleton<IQueryFields, AiQueryFields>();
        services.AddSingleton<ReleaseService>();
        services.AddSingleton<SocialService>();
        services.AddSingleton<MarketService>();
        services.AddSingleton<IQueryFields, MarketQueryFields>();
        services.AddSingleton<IMutationFields, MarketMutationFields>();
        services.AddSingleton<LoopService>();
        services.AddSingleton<IQueryFields, LoopQueryFields>();
        services.AddSingleton<IMutationFields, LoopMutationFields>();
        services.AddJacamenoSharing();
        services.AddSingleton<IQueryFields, StreamingQueryFields>();
        services.AddSingleton<ReleaseCountsWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<ReleaseCountsWatch>());
        services.AddSingleton<ISubscriptionFields, StreamingSubscriptionFields>();
        services.AddSingleton<ISubscriptionFields, LiveSubscriptionFields>();
        services.AddSingleton<IMutationFields, StreamingMutationFields>();

        services.AddSingleton<IQueryFields, UserQueryFields>();
        services.AddSingleton<IMutationFields, UserMutationFields>();
        services.AddSingleton<PremiumService>();
        services.AddSingleton<AccountDataExport>();
        services.AddSingleton<ModerationService>();
        services.AddSingleton<IQueryFields, ModerationQueryFields>();
        services.AddSingleton<IMutationFields, ModerationMutationFields>();
        services.AddSingleton<IQueryFields, PremiumQueryFields>();
        services.AddSingleton<IMutationFields, PremiumMutationFields>();
        services.AddOptions<Insights.InsightsOptions>().BindConfiguration(Insights.InsightsOptions.SectionName);
        services.AddSingleton<Insights.InsightsService>();
        services.AddSingleton<IQueryFields, Insights.InsightsQueryFields>();
        services.AddSingleton<Operations.BackupService>();
        services.AddSingleton<IMutationFields, Operations.BackupMutationFields>();
        services.AddSingleton<Apps.PersonalTokenService>();
        services.AddSingleton<IQueryFields, Apps.AppQueryFields>();
        services.AddSingleton<IMutationFields, Apps.AppMutationFields>();
        services.AddSingleton<PluginService>();
        services.AddSingleton<IQueryFields, PluginQueryFields>();
        services.AddSingleton<IMutationFields, PluginMutationFields>();
        services.AddSingleton<IMutationFields, AuthMutationFields>();
        services.AddSingleton<IQueryFields, AuthQueryFields>();
        services.AddOptions<GraphQLOptions>().BindConfiguration(GraphQLOptions.SectionName).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<GraphQLOptions>, GraphQLOptionsValidator>();
        services.AddSingleton<PersistedQueries>();
        services.AddGraphQL(graphql => graphql
            .AddSchema<JacamenoSchema>()
            .AddGraphTypes(typeof(JacamenoSchema).Assembly)
            .AddSystemTextJson()
            .AddExecutionStrategy<SharedEventExecutionStrategy>(GraphQLParser.AST.OperationType.Subscription)
            .AddComplexityAnalyzer(o =>
            {
                o.MaxDepth = 12;
                // A whole project (tracks → clips → notes, effects → parameters) must fit; nesting lists deeper does not.
                o.MaxComplexity = 250_000;
            }));
        return builder;
    }

    public static WebApplication MapJacamenoApi(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages(context => Problems.WriteStatusAsync(context.HttpContext));
        app.UseWebApp();
        app.UseCors();
        // GraphQL subscriptions' WebSockets (the hub adds its own): pings keep idle sockets open through proxies.
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.UseAuthentication();
        Apps.ScopeRules.UseScopeRules(app);
        app.UseRateLimiter();
        app.UseAuthorization();
        AccountGate.UseAccountRestrictions(app);
        app.UseJacamenoHttpCaching();

        app.MapOpenApi("/openapi/{documentName}.json");
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<EdgeOptions>>().Value.ApiDocs)
        {
            app.MapScalarApiReference("/docs", o => o.WithTitle("Jacameno API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        }

        app.MapJacamenoHealth();
        app.MapAuthEndpoints();
        app.MapExternalLoginEndpoints();
        app.MapUserEndpoints();
        app.MapAppEndpoints();
        app.MapInsightsEndpoints();
        app.MapBackupEndpoints();
        app.MapOAuthServerEndpoints();
        app.MapPremiumEndpoints();
        app.MapModerationEndpoints();
        app.MapProjectEndpoints();
        app.MapTrackPreviewEndpoints();
        app.MapAssetEndpoints();
        app.MapUploadEndpoints();
        app.MapEffectEndpoints();
        app.MapPluginEndpoints();
        app.MapJobEndpoints();
        app.MapDawProjectEndpoints();
        app.MapAiEndpoints();
        app.MapReleaseEndpoints();
        app.MapSocialEndpoints();
        app.MapPushEndpoints();
        app.MapMarketEndpoints();
        app.MapLoopEndpoints();
        app.MapBlobEndpoints();
        app.MapGraphQLEndpoints();
        app.MapHub<StudioHub>("/hubs/studio");
        // Unknown API routes answer with problem details, not the web app's index page.
        app.Map("/api/{**rest}", (HttpContext http) =>
            Results.Problem(statusCode: 404, title: "Not found", detail: $"No endpoint {http.Request.Method} {http.Request.Path}."));
        app.MapSharingEndpoints();
        app.MapWebAppFallback();
        return app;
    }
}
