using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Jacameno.Assets;

/// <summary>
/// How many files a silo processes at once, in all and per user (<see cref="AssetOptions.ProcessingPerSilo"/>,
/// <see cref="AssetOptions.ProcessingPerUser"/>). A file waits for its user's slot first, then for the silo's, so
/// one user's queue never holds the silo's slots while it waits.
/// </summary>
public sealed class AssetProcessingSlots(IOptions<AssetOptions> options)
{
    private readonly SemaphoreSlim silo = new(Math.Max(1, options.Value.ProcessingPerSilo));
    private readonly ConcurrentDictionary<Guid, UserSlots> users = new();

    public async Task<IDisposable> TakeAsync(Guid userId, CancellationToken cancellationToken)
    {
        var user = Enter(userId);
        try
        {
            await user.Semaphore.WaitAsync(cancellationToken);
            try
            {
                await silo.WaitAsync(cancellationToken);
            }
            catch
            {
                user.Semaphore.Release();
                throw;
            }
        }
        catch
        {
            Leave(userId, user);
            throw;
        }

        return new Slot(this, userId, user);
    }

    private UserSlots Enter(Guid userId)
    {
        while (true)
        {
            var user = users.GetOrAdd(userId, _ => new UserSlots(Math.Max(1, options.Value.ProcessingPerUser)));
            lock (user)
            {
                // A user whose last file just left was removed; take a fresh entry instead of the removed one.
                if (!user.Removed)
                {
                    user.Holders++;
                    return user;
                }
            }
        }
    }

    private void Leave(Guid userId, UserSlots user)
    {
        lock (user)
        {
            if (--user.Holders == 0)
            {
                user.Removed = true;
                users.TryRemove(new KeyValuePair<Guid, UserSlots>(userId, user));
            }
        }
    }

    private sealed class UserSlots(int count)
    {
        public SemaphoreSlim Semaphore { get; } = new(count);

        public int Holders { get; set; }

        public bool Removed { get; set; }
    }

    private sealed class Slot(AssetProcessingSlots owner, Guid userId, UserSlots user) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                owner.silo.Release();
                user.Semaphore.Release();
                owner.Leave(userId, user);
            }
        }
    }
}
