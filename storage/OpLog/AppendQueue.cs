using Jacameno.Projects;

namespace Jacameno.Storage.OpLog;

/// <summary>
/// Group commit for op-log appends: while one write is in flight, the appends that arrive (from every project in
/// this process) wait, and then go together as the next write. An append alone is written at once; under load
/// batches grow by themselves. On two loaded cores a write per append cost PostgreSQL and the silo about a third of
/// a core at 1 000 edits/s (benchmarks/history.md). The log's own write completes each append of the batch.
/// An append that finds no write in flight starts it on its own thread rather than waking a writer: that wake-up
/// was one more thread-pool hop on every edit's path to its ack.
/// </summary>
public sealed class AppendQueue : IAsyncDisposable
{
    /// <summary>Ops per write at most; a single append larger than this still goes alone.</summary>
    private const int MaxOps = 1000;

    private readonly Func<IReadOnlyList<PendingAppend>, Task> write;
    private readonly Queue<PendingAppend> pending = new();
    private readonly Lock gate = new();
    private bool writing;
    private bool disposed;
    private Task drained = Task.CompletedTask;

    /// <param name="write">Writes a batch and completes each of its appends (a conflict fails only its own).</param>
    public AppendQueue(Func<IReadOnlyList<PendingAppend>, Task> write) => this.write = write;

    public Task AppendAsync(Guid projectId, IReadOnlyList<AppliedOp> ops, CancellationToken cancellationToken)
    {
        if (ops.Count == 0)
        {
            return Task.CompletedTask;
        }

        var append = new PendingAppend(projectId, ops);
        Task<Task>? leader = null;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            pending.Enqueue(append);
            if (!writing)
            {
                writing = true;
                leader = new Task<Task>(WriteAllAsync);
                drained = leader.Unwrap();
            }
        }

        // Inline, under the default scheduler: the caller is usually a grain, and the writer's continuations must not
        // queue on its scheduler (nor depend on it staying active).
        leader?.RunSynchronously(TaskScheduler.Default);

        // Once queued, the append is written even if the caller stops waiting, as a statement already sent is.
        return append.Done.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Task last;
        lock (gate)
        {
            disposed = true;
            last = drained;
        }

        await last;
    }

    /// <summary>Writes batches until none is waiting; only the first write's start runs on the appender's thread.</summary>
    private async Task WriteAllAsync()
    {
        var batch = new List<PendingAppend>();
        for (var first = true; ; first = false)
        {
            lock (gate)
            {
                var ops = 0;
                while (ops < MaxOps && pending.TryDequeue(out var append))
                {
                    batch.Add(append);
                    ops += append.Ops.Count;
                }

                if (batch.Count == 0)
                {
                    writing = false;
                    return;
                }
            }

            var written = WriteAsync(batch);
            if (first && written.IsCompleted)
            {
                // A synchronous log (SQLite) must not write everyone's appends in the caller's turn; later batches
                // already run on the thread pool.
                await Task.Yield();
            }

            await written;
            batch.Clear();
        }
    }

    private async Task WriteAsync(List<PendingAppend> batch)
    {
        try
        {
            await write(batch);
        }
        catch (Exception e)
        {
            batch.ForEach(a => a.Done.TrySetException(e));
        }
    }
}

/// <summary>One project's batch of ops waiting in an <see cref="AppendQueue"/>; the log completes it once written.</summary>
public sealed record PendingAppend(Guid ProjectId, IReadOnlyList<AppliedOp> Ops)
{
    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Conflicted() => Done.TrySetException(new OpLogConflictException(ProjectId, Ops[0].Version));
}
