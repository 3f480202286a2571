namespace Jacameno.Projects;

/// <summary>
/// The frontends listening on a project's stream (origin → end of lease, in <see cref="Environment.TickCount64"/>
/// ms), so that ops nobody else listens for are not published: in embedded mode, or while one frontend has the
/// project open, the stream would only carry them to a filter that drops them. Not stored: a reactivated project
/// assumes listeners until every frontend had a lease's time to renew.
/// </summary>
internal sealed class ListenerLeases
{
    private readonly Dictionary<string, long> leases = [];
    private long knownFrom;

    /// <summary>After a reactivation: until a lease's time has passed, some frontend may listen without having said so here.</summary>
    public void AssumeListeners() => knownFrom = Environment.TickCount64 + (long)ProjectStreams.ListenerLease.TotalMilliseconds;

    public void Renew(string frontend, bool listening)
    {
        var now = Environment.TickCount64;
        foreach (var expired in leases.Where(l => l.Value <= now).Select(l => l.Key).ToList())
        {
            leases.Remove(expired);
        }

        if (listening)
        {
            leases[frontend] = now + (long)ProjectStreams.ListenerLease.TotalMilliseconds;
        }
        else
        {
            leases.Remove(frontend);
        }
    }

    /// <summary>Whether a frontend other than <paramref name="origin"/> (which delivers its ops itself) may listen.</summary>
    public bool OthersListen(string? origin)
    {
        var now = Environment.TickCount64;
        if (origin is null || now < knownFrom)
        {
            return true;
        }

        foreach (var (frontend, leaseEnd) in leases)
        {
            if (frontend != origin && leaseEnd > now)
            {
                return true;
            }
        }

        return false;
    }
}
