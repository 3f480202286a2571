namespace Jacameno.Common;

/// <summary>Names of the grain storage providers every silo registers.</summary>
public static class StorageNames
{
    /// <summary>Durable grain state (users, projects, listings...).</summary>
    public const string Grains = "jacameno";

    /// <summary>Orleans' own name for the store of stream subscriptions.</summary>
    public const string PubSub = "PubSubStore";
}

/// <summary>Names of stream providers and namespaces.</summary>
public static class StreamNames
{
    public const string Provider = "jacameno-streams";

    /// <summary>Events for one user (notifications, job progress); keyed by user id.</summary>
    public const string UserEvents = "user-events";
}
