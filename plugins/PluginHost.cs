using System.Diagnostics;
using System.Globalization;

namespace Jacameno.Plugins;

/// <summary>
/// One plugin host process and the conversation with it. A render keeps all its plugins in one host (one process
/// start instead of one per plugin); a catalog or preset call has a host for its one plugin. Commands go one at a
/// time (the host is single-threaded), each naming the instance it is for. A watchdog kills the host when a command
/// takes longer than its timeout or the process grows over the memory limit; whatever ends the host, the call that
/// meets it throws a <see cref="PluginException"/> naming the plugin it was calling, and later calls fail the same
/// way.
/// </summary>
public sealed class PluginHost : IDisposable
{
    private readonly Process process;
    private readonly BinaryWriter commands;
    private readonly BinaryReader answers;
    private readonly Timer watchdog;
    private readonly PluginHostOptions options;
    private readonly Queue<string> lastErrors = new();
    private readonly Lock gate = new();
    private readonly List<PluginInstance> instances = [];
    private long callStarted;
    private TimeSpan callLimit;
    private PluginInstance? calling;
    private string? killedBecause;
    private int nextSlot;
    private bool disposed;

    private PluginHost(PluginHostOptions options, string purpose)
    {
        this.options = options;
        var start = options.StartInfo("serve");
        process = System.Diagnostics.Process.Start(start) ?? throw new PluginException($"The plugin host ({start.FileName}) did not start.");
        var span = Common.JacamenoTelemetry.ProcessStarted("plugin-host", purpose);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => Common.JacamenoTelemetry.ProcessEnded("plugin-host", span);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                lock (lastErrors)
                {
                    lastErrors.Enqueue(line);
                    if (lastErrors.Count > 5)
                    {
                        lastErrors.Dequeue();
                    }
                }
            }
        };
        process.BeginErrorReadLine();
        // Buffered both ways: a command is one write and an answer one read, not a system call per field.
        commands = new BinaryWriter(new BufferedStream(process.StandardInput.BaseStream, 4096));
        answers = new BinaryReader(new BufferedStream(process.StandardOutput.BaseStream, 4096));
        watchdog = new Timer(_ => Watch(), null, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
    }

    /// <summary>The host process's id (tests kill it to check that a crash is reported).</summary>
    public int ProcessId => process.Id;

    /// <summary>Starts a host process; <paramref name="purpose"/> names it in traces (a plugin id, or "render").</summary>
    public static PluginHost Start(PluginHostOptions options, string purpose) => new(options, purpose);

    /// <summary>
    /// Loads a plugin into this host at the render's rate and tempo; given the plugin's LV2 bundle (from the scan),
    /// the host reads only that bundle. Every plugin of one host shares its rate, block size and tempo.
    /// </summary>
    public PluginInstance Load(string id, int sampleRate, double tempo, int maxBlock = 4096, string? bundle = null)
    {
        PluginInstance instance;
        lock (gate)
        {
            instance = new PluginInstance(this, nextSlot++, id, maxBlock);
            instances.Add(instance);
        }

        try
        {
            var (info, latency) = Call(instance, PluginOp.Load, w =>
            {
                w.Write(id);
                w.Write((double)sampleRate);
                w.Write(tempo);
                w.Write(bundle ?? "");
                w.Write(instance.SharedFile);
                w.Write(maxBlock);
            }, r => (System.Text.Json.JsonSerializer.Deserialize<PluginInfo>(r.ReadString(), PluginWire.Json)!, r.ReadInt32()));
            instance.Loaded(info, latency);
            return instance;
        }
        catch
        {
            instance.Dispose();
            throw;
        }
        finally
        {
            instance.Mapped();
        }
    }

    /// <summary>
    /// Sends one command for <paramref name="instance"/> (its op, the instance's slot, then <paramref name="fields"/>)
    /// and reads its answer after the Ok byte with <paramref name="read"/>.
    /// </summary>
    internal T Call<T>(PluginInstance instance, PluginOp op, Action<BinaryWriter>? fields, Func<BinaryReader, T> read)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            Begin(instance, op == PluginOp.Load ? options.LoadTimeout : options.CallTimeout);
            try
            {
                commands.Write((byte)op);
                commands.Write(instance.Slot);
                fields?.Invoke(commands);
                commands.Flush();
                Answer(instance);
                return read(answers);
            }
            catch (Exception e) when (e is IOException or EndOfStreamException)
            {
                throw Died(instance);
            }
            finally
            {
                End();
            }
        }
    }

    /// <summary>The hot path: one block of audio (already in the instance's shared block) and its MIDI; no allocation.</summary>
    internal void Process(PluginInstance instance, int frames, ReadOnlySpan<Audio.Rendering.MidiEvent> events)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            Begin(instance, options.CallTimeout);
            try
            {
                commands.Write((byte)PluginOp.Process);
                commands.Write(instance.Slot);
                commands.Write(frames);
                commands.Write(events.Length);
                foreach (var e in events)
                {
                    commands.Write(e.Offset);
                    commands.Write(e.Status);
                    commands.Write(e.Data1);
                    commands.Write(e.Data2);
                }

                commands.Flush();
                Answer(instance);
            }
            catch (Exception e) when (e is IOException or EndOfStreamException)
            {
                throw Died(instance);
            }
            finally
            {
                End();
            }
        }
    }

    /// <summary>Whether the host has ended (its last plugin unloaded, or disposed); a new one is needed for more.</summary>
    public bool HasEnded => disposed;

    /// <summary>Unloads an instance; the host ends with its last one.</summary>
    internal void Unload(PluginInstance instance)
    {
        lock (gate)
        {
            instances.Remove(instance);
            if (disposed || instances.Count == 0 || !instance.IsLoaded)
            {
                // The host's end frees the last one (or it never held this one).
            }
            else
            {
                try
                {
                    commands.Write((byte)PluginOp.Unload);
                    commands.Write(instance.Slot);
                    commands.Flush();
                    Answer(instance);
                }
                catch (Exception e) when (e is IOException or EndOfStreamException or PluginException or InvalidOperationException)
                {
                    // The host is gone or the plugin would not let go; the host's end frees it.
                }
            }

            if (instances.Count > 0)
            {
                return;
            }
        }

        Dispose();
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
        }

        watchdog.Dispose();
        try
        {
            if (!process.HasExited)
            {
                commands.Write((byte)PluginOp.Quit);
                commands.Flush();
                if (!process.WaitForExit(2000))
                {
                    process.Kill();
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // Already gone.
        }

        process.Dispose();
    }

    private void Begin(PluginInstance instance, TimeSpan limit)
    {
        calling = instance;
        callLimit = limit;
        Volatile.Write(ref callStarted, Stopwatch.GetTimestamp());
    }

    private void End()
    {
        Volatile.Write(ref callStarted, 0);
        calling = null;
    }

    private void Answer(PluginInstance instance)
    {
        if (answers.ReadByte() != PluginWire.Ok)
        {
            throw new PluginException($"Plugin '{instance.Name}' ({instance.Id}): {answers.ReadString()}");
        }
    }

    private PluginException Died(PluginInstance instance)
    {
        process.WaitForExit(2000);
        var code = process.HasExited ? process.ExitCode : -1;
        string last;
        lock (lastErrors)
        {
            last = lastErrors.Count > 0 ? $" Its last words: {string.Join(" | ", lastErrors)}" : "";
        }

        return new PluginException(killedBecause is { } reason
            ? $"Plugin '{instance.Name}' ({instance.Id}) was stopped: {reason}."
            : $"Plugin '{instance.Name}' ({instance.Id}) crashed (its host exited with code {code}).{last}");
    }

    private void Watch()
    {
        try
        {
            if (process.HasExited)
            {
                return;
            }

            var started = Volatile.Read(ref callStarted);
            if (started != 0 && Stopwatch.GetElapsedTime(started) > callLimit)
            {
                Kill($"it did not answer within {callLimit.TotalSeconds:0.#} s");
            }
            else if (Resident() is var bytes && bytes > options.MemoryLimitBytes)
            {
                // The limit is the host's; with several plugins in it, the one in the middle of a call is named, and the others listed.
                var others = instances.Where(i => i != calling).Select(i => i.Name).ToList();
                Kill($"its host used {bytes >> 20} MiB, over the {options.MemoryLimitBytes >> 20} MiB limit"
                    + (others.Count > 0 ? $" (with {string.Join(", ", others)})" : ""));
            }
        }
        catch (InvalidOperationException)
        {
            // The process is gone, or the instance list changed under the look.
        }
    }

    private void Kill(string reason)
    {
        killedBecause = reason;
        process.Kill();
    }

    // Resident set size from /proc (the second field of statm, in pages).
    private long Resident()
    {
        try
        {
            var fields = File.ReadAllText($"/proc/{process.Id}/statm").Split(' ');
            return long.Parse(fields[1], CultureInfo.InvariantCulture) * Environment.SystemPageSize;
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
