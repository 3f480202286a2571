using System.Diagnostics;
using System.Globalization;
using System.IO.MemoryMappedFiles;
using System.Text.Json;
using Jacameno.Audio.Rendering;

namespace Jacameno.Plugins;

/// <summary>
/// One plugin running in its own host process. Audio passes through a shared-memory block both processes map
/// (<see cref="SharedBlockLayout"/>); commands through the host's standard input and output. A watchdog kills the
/// host when a command takes longer than its timeout or the process grows over the memory limit; whatever ends
/// the host, the next call throws a <see cref="PluginException"/> that names the plugin and the cause.
/// </summary>
public sealed unsafe class PluginInstance : IDisposable
{
    private readonly Process process;
    private readonly BinaryWriter commands;
    private readonly BinaryReader answers;
    private readonly MemoryMappedFile map;
    private readonly MemoryMappedViewAccessor view;
    private readonly byte* shared;
    private readonly Timer watchdog;
    private readonly PluginHostOptions options;
    private readonly Queue<string> lastErrors = new();
    private long callStarted;
    private TimeSpan callLimit;
    private string? killedBecause;
    private bool disposed;

    private PluginInstance(PluginHostOptions options, string id, int maxBlock)
    {
        this.options = options;
        Id = id;
        Name = id;
        MaxBlock = maxBlock;
        var directory = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        var file = Path.Combine(directory, $"jacameno-plugin-{Guid.NewGuid():N}");
        using (var stream = new FileStream(file, FileMode.CreateNew, FileAccess.ReadWrite))
        {
            stream.SetLength(SharedBlockLayout.Size(maxBlock));
        }

        try
        {
            map = MemoryMappedFile.CreateFromFile(file, FileMode.Open, null, 0, MemoryMappedFileAccess.ReadWrite);
            view = map.CreateViewAccessor(0, SharedBlockLayout.Size(maxBlock));
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            shared = pointer + view.PointerOffset;
            var start = options.StartInfo("serve", file, maxBlock.ToString(CultureInfo.InvariantCulture));
            process = System.Diagnostics.Process.Start(start) ?? throw new PluginException($"The plugin host ({start.FileName}) did not start.");
            var span = Common.JacamenoTelemetry.ProcessStarted("plugin-host", id);
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
        catch
        {
            File.Delete(file);
            throw;
        }

        SharedFile = file;
    }

    public string Id { get; }

    /// <summary>The plugin's name once loaded (its id until then).</summary>
    public string Name { get; private set; }

    public PluginInfo Info { get; private set; } = null!;

    /// <summary>Frames of delay the plugin reports.</summary>
    public int Latency { get; private set; }

    public int MaxBlock { get; }

    /// <summary>The host process's id (tests kill it to check that a crash is reported).</summary>
    public int ProcessId => process.Id;

    private string SharedFile { get; }

    /// <summary>
    /// Starts a host and loads the plugin into it at the render's rate and tempo; given the plugin's LV2 bundle (from
    /// the scan), the host reads only that bundle.
    /// </summary>
    public static PluginInstance Start(PluginHostOptions options, string id, int sampleRate, double tempo, int maxBlock = 4096, string? bundle = null)
    {
        var instance = new PluginInstance(options, id, maxBlock);
        try
        {
            instance.Call(options.LoadTimeout, w =>
            {
                w.Write((byte)PluginOp.Load);
                w.Write(id);
                w.Write((double)sampleRate);
                w.Write(tempo);
                w.Write(bundle ?? "");
            });
            instance.Info = JsonSerializer.Deserialize<PluginInfo>(instance.answers.ReadString(), PluginWire.Json)!;
            instance.Latency = instance.answers.ReadInt32();
            instance.Name = instance.Info.Name;
            return instance;
        }
        catch
        {
            instance.Dispose();
            throw;
        }
        finally
        {
            // Both processes have mapped it: the name is no longer needed, and nothing is left behind on a crash.
            File.Delete(instance.SharedFile);
        }
    }

    /// <summary>The input channels of the shared block, to fill before <see cref="Process"/>.</summary>
    public Span<float> Input(int channel) => new(shared + SharedBlockLayout.InputOffset(channel, MaxBlock), MaxBlock);

    /// <summary>The output channels of the shared block, valid after <see cref="Process"/>.</summary>
    public Span<float> Output(int channel) => new(shared + SharedBlockLayout.OutputOffset(channel, MaxBlock), MaxBlock);

    public void Set(IEnumerable<KeyValuePair<string, double>> values)
    {
        var list = values.ToList();
        if (list.Count == 0)
        {
            return;
        }

        Call(options.CallTimeout, w =>
        {
            w.Write((byte)PluginOp.Set);
            w.Write(list.Count);
            foreach (var (name, value) in list)
            {
                w.Write(name);
                w.Write(value);
            }
        });
    }

    /// <summary>Runs the plugin over the first <paramref name="frames"/> of the shared block, with the block's MIDI.</summary>
    public void Process(int frames, ReadOnlySpan<MidiEvent> events = default)
    {
        callLimit = options.CallTimeout;
        Volatile.Write(ref callStarted, Stopwatch.GetTimestamp());
        try
        {
            commands.Write((byte)PluginOp.Process);
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
            Answer();
        }
        catch (IOException)
        {
            throw Died();
        }
        finally
        {
            Volatile.Write(ref callStarted, 0);
        }
    }

    public byte[] SaveState()
    {
        Call(options.CallTimeout, w => w.Write((byte)PluginOp.GetState));
        return answers.ReadBytes(answers.ReadInt32());
    }

    public void RestoreState(byte[] state) => Call(options.CallTimeout, w =>
    {
        w.Write((byte)PluginOp.SetState);
        w.Write(state.Length);
        w.Write(state);
    });

    public void LoadPreset(string presetId) => Call(options.CallTimeout, w =>
    {
        w.Write((byte)PluginOp.LoadPreset);
        w.Write(presetId);
    });

    /// <summary>Every parameter's current value (after a preset or a state, what the plugin now holds).</summary>
    public IReadOnlyDictionary<string, double> Parameters()
    {
        Call(options.CallTimeout, w => w.Write((byte)PluginOp.GetParameters));
        return Enumerable.Range(0, answers.ReadInt32()).Select(_ => (Id: answers.ReadString(), Value: answers.ReadDouble()))
            .ToDictionary(p => p.Id, p => p.Value);
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        watchdog?.Dispose();
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

        process?.Dispose();
        view?.Dispose();
        map?.Dispose();
    }

    private void Call(TimeSpan limit, Action<BinaryWriter> write)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        callLimit = limit;
        Volatile.Write(ref callStarted, Stopwatch.GetTimestamp());
        try
        {
            write(commands);
            commands.Flush();
            Answer();
        }
        catch (Exception e) when (e is IOException or EndOfStreamException)
        {
            throw Died();
        }
        finally
        {
            Volatile.Write(ref callStarted, 0);
        }
    }

    private void Answer()
    {
        if (answers.ReadByte() != PluginWire.Ok)
        {
            throw new PluginException($"Plugin '{Name}' ({Id}): {answers.ReadString()}");
        }
    }

    private PluginException Died()
    {
        process.WaitForExit(2000);
        var code = process.HasExited ? process.ExitCode : -1;
        string last;
        lock (lastErrors)
        {
            last = lastErrors.Count > 0 ? $" Its last words: {string.Join(" | ", lastErrors)}" : "";
        }

        return new PluginException(killedBecause is { } reason
            ? $"Plugin '{Name}' ({Id}) was stopped: {reason}."
            : $"Plugin '{Name}' ({Id}) crashed (its host exited with code {code}).{last}");
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
                Kill($"it used {bytes >> 20} MiB, over the {options.MemoryLimitBytes >> 20} MiB limit");
            }
        }
        catch (InvalidOperationException)
        {
            // The process is gone.
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
