using Jacameno.Common;
using Jacameno.Frontend.Hosting;
using Microsoft.AspNetCore.SignalR;

namespace Jacameno.Frontend.Realtime;

/// <summary>
/// What a hub method's failure tells the client, and the log, as the REST exception handler does: a domain error
/// reaches the client as a HubException with its reason, a cluster that is changing as one saying to retry (as
/// REST's 503 does), and both are the client's business, not the log's; anything else stays hidden from the
/// client and is logged here as an error. SignalR's own dispatcher logs every failure, a refused join included,
/// as an error, so its category is kept to critical (<see cref="Register"/>).
/// </summary>
public sealed partial class HubErrors(ILogger<HubErrors> logger) : IHubFilter
{
    public static void Register(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<HubErrors>();
        builder.Logging.AddFilter("Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher", LogLevel.Critical);
    }

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (DomainException e)
        {
            throw new HubException(e.Message);
        }
        catch (Exception e) when (Problems.IsTransient(e))
        {
            throw new HubException(Problems.Restarting);
        }
        catch (Exception e) when (e is not HubException and not OperationCanceledException)
        {
            LogFailed(logger, e, invocationContext.HubMethodName);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Hub method {Method} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string method);
}
