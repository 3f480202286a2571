using Jacameno.Push;

namespace Jacameno.Storage.Push;

public enum PushDeviceKind
{
    /// <summary>A browser, by its Web Push subscription (an endpoint URL and its keys).</summary>
    WebPush,

    /// <summary>An Android or web client of Firebase Cloud Messaging, by its registration token.</summary>
    Fcm,

    /// <summary>An Apple device, by its APNs device token.</summary>
    Apns,
}

/// <summary>
/// One device that receives a user's pushes. <see cref="Address"/> is the Web Push endpoint or the FCM/APNs token;
/// <see cref="P256dh"/> and <see cref="Auth"/> are a browser's encryption keys (Web Push only). <see cref="SessionId"/> is
/// the sign-in session that registered it, whose end removes it; null when a token without a session (a personal
/// access token, an app's) registered it.
/// </summary>
public sealed record PushDevice(Guid Id, Guid UserId, PushDeviceKind Kind, string Name, string Address, string? P256dh, string? Auth, DateTimeOffset CreatedAt,
    Guid? SessionId = null);

/// <summary>
/// The devices that receive pushes, and which topics each user wants pushed, in the database every frontend and silo
/// shares (beside the push outbox, so an event and its pushes are written together).
/// </summary>
public interface IPushDevices
{
    /// <summary>
    /// Adds the device, or, when that endpoint or token is already registered, gives it to this user with the new name
    /// and keys (a browser signed in with another account now pushes for that one). Null when the user already has
    /// <paramref name="max"/> devices.
    /// </summary>
    Task<PushDevice?> RegisterAsync(PushDevice device, int max, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<PushDevice>> ListAsync(Guid userId, CancellationToken cancellationToken = default);

    Task<IReadOnlyDictionary<Guid, PushDevice>> GetAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default);

    /// <summary>Removes a device and the pushes waiting for it; with <paramref name="userId"/>, only that user's. False when there was none.</summary>
    Task<bool> RemoveAsync(Guid id, Guid? userId, CancellationToken cancellationToken = default);

    /// <summary>Removes the devices a sign-in session registered, and the pushes waiting for them (the session ended).</summary>
    Task RemoveSessionAsync(Guid userId, Guid sessionId, CancellationToken cancellationToken = default);

    /// <summary>Whether each topic pushes for the user: their choice, or the topic's default.</summary>
    Task<IReadOnlyDictionary<PushTopic, bool>> GetPreferencesAsync(Guid userId, CancellationToken cancellationToken = default);

    /// <summary>Sets the topics named; the others stay as they were.</summary>
    Task SetPreferencesAsync(Guid userId, IReadOnlyDictionary<PushTopic, bool> topics, CancellationToken cancellationToken = default);

    /// <summary>Forgets a user's devices, choices and waiting pushes (the account is deleted).</summary>
    Task DeleteUserAsync(Guid userId, CancellationToken cancellationToken = default);
}
