using Jacameno.Common;
using Microsoft.Extensions.Logging;

namespace Jacameno.Users;

/// <summary>Publishing to a user's stream (<see cref="StreamNames.UserEvents"/>), which frontends forward to their SignalR connections.</summary>
public static partial class UserStream
{
    /// <summary>
    /// Publishes <paramref name="userEvent"/> to the user's stream. A failure is logged, not thrown: live events
    /// are a courtesy, the same state is always readable from the API.
    /// </summary>
    public static Task PublishToUserAsync(this Grain grain, Guid userId, UserEvent userEvent, ILogger logger) =>
        grain.GetStreamProvider(StreamNames.Provider).PublishToUserAsync(userId, userEvent, logger);

    /// <summary>The same from outside a grain (a frontend's cluster client).</summary>
    public static async Task PublishToUserAsync(this Orleans.Streams.IStreamProvider streams, Guid userId, UserEvent userEvent, ILogger logger)
    {
        try
        {
            await streams.GetStream<UserEvent>(StreamId.Create(StreamNames.UserEvents, userId)).OnNextAsync(userEvent);
        }
        catch (Exception e)
        {
            LogPublishFailed(logger, e, userEvent.Kind, userId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing {Kind} to user {UserId} failed")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, UserEventKind kind, Guid userId);
}
