using System.Threading.Channels;
using Jacameno.Projects;

namespace Jacameno.Infrastructure.OpLog;

/// <summary>
/// Group commit for op-log appends: while one write is in flight, the appends that arrive (from every project in
/// this process) wait, and then go together as the next write. An append alone is written at once; under load
/// batches grow by themselves. On two loaded cores a write per append cost PostgreSQL and the silo about a third of
/// a core at 1 000 edits/s (benchmarks/README.md). The log's own write completes each append of the batch.
/// </summary>
public sealed class AppendQueue : IAsyncDisposable
{
    /// <summary>Ops per write at most; a single append larger than this still goes alone.</summary>
    private const int MaxOps = 1000;

    private readonly Func<IReadOnlyList<PendingAppend>, Task> write;
    private readonly Channel<PendingAppend> pending = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock startGate = new();
    private Task? writer;

    /// <param name="write">Writes a batch and completes each of its appends (a conflict fails only its own).</param>
    public AppendQueue(Func<IReadOnlyList<PendingAppend>, Task> write) => this.write = write;

    public Task AppendAsync(Guid projectId, IReadOnlyList<AppliedOp> ops, CancellationToken cancellationToken)
    {
        if (ops.Count == 0)
        {
            return Task.CompletedTask;
        }

        var append = new PendingAppend(projectId, ops);
        if (!pending.Writer.TryWrite(append))
        {
            throw new ObjectDisposedException(nameof(AppendQueue));
        }

        EnsureWriter();
        // Once queued, the append is written even if the caller stops waiting, as a statement already sent is.
        return append.Done.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        pending.Writer.TryComplete();
        if (writer is { } running)
        {
            await running;
        }
    }

    private void EnsureWriter()
    {
        if (writer is not null)
        {
            return;
        }

        lock (startGate)
        {
            writer ??= Task.Run(WriteLoopAsync); // never on the calling grain's scheduler
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingAppend>();
        while (await pending.Reader.WaitToReadAsync())
        {
            var ops = 0;
            while (ops < MaxOps && pending.Reader.TryRead(out var append))
            {
                batch.Add(append);
                ops += append.Ops.Count;
            }

            try
            {
                await write(batch);
            }
            catch (Exception e)
            {
                batch.ForEach(a => a.Done.TrySetException(e));
            }

            batch.Clear();
        }
    }
}

/// <summary>One project's batch of ops waiting in an <see cref="AppendQueue"/>; the log completes it once written.</summary>
public sealed record PendingAppend(Guid ProjectId, IReadOnlyList<AppliedOp> Ops)
{
    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Conflicted() => Done.TrySetException(new OpLogConflictException(ProjectId, Ops[0].Version));
}
