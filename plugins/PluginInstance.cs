using System.IO.MemoryMappedFiles;
using Jacameno.Audio.Rendering;

namespace Jacameno.Plugins;

/// <summary>
/// One plugin loaded into a <see cref="PluginHost"/> process. Its audio passes through a shared-memory block of its
/// own, which both processes map (<see cref="SharedBlockLayout"/>); its commands go through the host's pipes. A
/// failure of the host (a crash, a hang, too much memory) throws a <see cref="PluginException"/> naming this plugin
/// when it is the one being called.
/// </summary>
public sealed unsafe class PluginInstance : IDisposable
{
    private readonly PluginHost host;
    private readonly MemoryMappedFile map;
    private readonly MemoryMappedViewAccessor view;
    private readonly byte* shared;
    private bool disposed;

    internal PluginInstance(PluginHost host, int slot, string id, int maxBlock)
    {
        this.host = host;
        Slot = slot;
        Id = id;
        Name = id;
        MaxBlock = maxBlock;
        var directory = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        SharedFile = Path.Combine(directory, $"jacameno-plugin-{Guid.NewGuid():N}");
        using (var stream = new FileStream(SharedFile, FileMode.CreateNew, FileAccess.ReadWrite))
        {
            stream.SetLength(SharedBlockLayout.Size(maxBlock));
        }

        try
        {
            map = MemoryMappedFile.CreateFromFile(SharedFile, FileMode.Open, null, 0, MemoryMappedFileAccess.ReadWrite);
            view = map.CreateViewAccessor(0, SharedBlockLayout.Size(maxBlock));
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            shared = pointer + view.PointerOffset;
        }
        catch
        {
            File.Delete(SharedFile);
            throw;
        }
    }

    public string Id { get; }

    /// <summary>The plugin's name once loaded (its id until then).</summary>
    public string Name { get; private set; }

    public PluginInfo Info { get; private set; } = null!;

    /// <summary>Frames of delay the plugin reports.</summary>
    public int Latency { get; private set; }

    public int MaxBlock { get; }

    /// <summary>The host process's id (tests kill it to check that a crash is reported).</summary>
    public int ProcessId => host.ProcessId;

    internal int Slot { get; }

    internal string SharedFile { get; }

    internal bool IsLoaded => Info is not null;

    /// <summary>Starts a host of its own and loads the plugin into it (a catalog or preset call; a render shares one host).</summary>
    public static PluginInstance Start(PluginHostOptions options, string id, int sampleRate, double tempo, int maxBlock = 4096, string? bundle = null) =>
        PluginHost.Start(options, id).Load(id, sampleRate, tempo, maxBlock, bundle);

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

        Call(PluginOp.Set, w =>
        {
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
        ObjectDisposedException.ThrowIf(disposed, this);
        host.Process(this, frames, events);
    }

    public byte[] SaveState() => Call(PluginOp.GetState, null, r => r.ReadBytes(r.ReadInt32()));

    public void RestoreState(byte[] state) => Call(PluginOp.SetState, w =>
    {
        w.Write(state.Length);
        w.Write(state);
    });

    public void LoadPreset(string presetId) => Call(PluginOp.LoadPreset, w => w.Write(presetId));

    /// <summary>Every parameter's current value (after a preset or a state, what the plugin now holds).</summary>
    public IReadOnlyDictionary<string, double> Parameters() => Call(PluginOp.GetParameters, null,
        r => Enumerable.Range(0, r.ReadInt32()).Select(_ => (Id: r.ReadString(), Value: r.ReadDouble())).ToDictionary(p => p.Id, p => p.Value));

    /// <summary>Unloads the plugin; the host process ends with its last plugin.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        host.Unload(this);
        view.Dispose();
        map.Dispose();
    }

    internal void Loaded(PluginInfo info, int latency) => (Info, Latency, Name) = (info, latency, info.Name);

    /// <summary>Both processes have mapped the block (or the load failed): the name is no longer needed, and nothing is left behind on a crash.</summary>
    internal void Mapped() => File.Delete(SharedFile);

    private void Call(PluginOp op, Action<BinaryWriter> fields) => Call(op, fields, static _ => 0);

    private T Call<T>(PluginOp op, Action<BinaryWriter>? fields, Func<BinaryReader, T> read)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return host.Call(this, op, fields, read);
    }
}
