using Orleans.Streams.Filtering;

namespace Jacameno.Projects;

/// <summary>
/// Runs in the silo's stream agents for every subscription: a frontend subscribes to a project's stream with its
/// own origin id as the filter data, and ops it submitted (which it delivered from the ack) are not sent back to
/// it. That saves a message to and from that frontend per op, and it needs no duplicate tracking.
/// </summary>
public sealed class ProjectStreamFilter : IStreamFilter
{
    public bool ShouldDeliver(StreamId streamId, object item, string? filterData) =>
        item is not ProjectEvent { Origin: { } origin } || filterData is null || origin != filterData;
}
