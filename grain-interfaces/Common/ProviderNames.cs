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

    /// <summary>
    /// Queues of the memory stream provider. Silos and clients must use the same number, or events land in queues
    /// no agent pulls. Each queue is polled every few milliseconds even when idle (a grain call each time), so
    /// there are few: Orleans' default of 8 cost an idle silo a tenth of a core on the benchmark machine.
    /// </summary>
    public const int Queues = 2;

    /// <summary>Events for one user (notifications, job progress); keyed by user id.</summary>
    public const string UserEvents = "user-events";
}

/// <summary>Users that are the platform itself.</summary>
public static class SystemUsers
{
    /// <summary>The assistant: the author of changes AI tools make to projects.</summary>
    public static readonly Guid Assistant = new("a1a1a1a1-0000-4000-8000-00000000a111");
}
