using System.IO.MemoryMappedFiles;
using Jacameno.Audio.Rendering;

namespace Jacameno.Plugins.Host;

/// <summary>One plugin the host holds, with the shared block its renderer mapped for it (<see cref="SharedBlockLayout"/>).</summary>
internal sealed unsafe class HostedInstance : IDisposable
{
    private readonly MemoryMappedFile map;
    private readonly MemoryMappedViewAccessor view;
    private readonly float*[] inputs;
    private readonly float*[] outputs;
    private readonly int maxBlock;

    private HostedInstance(IHostedPlugin plugin, MemoryMappedFile map, MemoryMappedViewAccessor view, int maxBlock)
    {
        Plugin = plugin;
        this.map = map;
        this.view = view;
        this.maxBlock = maxBlock;
        byte* basePointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref basePointer);
        basePointer += view.PointerOffset;
        inputs = [(float*)(basePointer + SharedBlockLayout.InputOffset(0, maxBlock)), (float*)(basePointer + SharedBlockLayout.InputOffset(1, maxBlock))];
        outputs = [(float*)(basePointer + SharedBlockLayout.OutputOffset(0, maxBlock)), (float*)(basePointer + SharedBlockLayout.OutputOffset(1, maxBlock))];
    }

    public IHostedPlugin Plugin { get; }

    /// <summary>Takes a loaded plugin and maps its block; the plugin is disposed if it cannot run here.</summary>
    public static HostedInstance Load(IHostedPlugin plugin, string sharedFile, int maxBlock)
    {
        MemoryMappedFile? map = null;
        try
        {
            if (plugin.Info.Unsupported is { } reason)
            {
                throw new PluginException($"{plugin.Info.Name} cannot run here: {reason}");
            }

            map = MemoryMappedFile.CreateFromFile(sharedFile, FileMode.Open, null, 0, MemoryMappedFileAccess.ReadWrite);
            return new HostedInstance(plugin, map, map.CreateViewAccessor(0, SharedBlockLayout.Size(maxBlock)), maxBlock);
        }
        catch (Exception e) when (e is PluginException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            map?.Dispose();
            plugin.Dispose();
            throw e as PluginException ?? new PluginException($"{plugin.Info.Name}: its shared block could not be mapped ({e.Message}).");
        }
    }

    /// <summary>
    /// One block, with the channel mapping around the plugin: a mono input hears both channels, a mono output feeds
    /// both, a plugin without outputs (an analyser) passes the audio through.
    /// </summary>
    public void Process(int frames, ReadOnlySpan<MidiEvent> events)
    {
        frames = Math.Clamp(frames, 0, maxBlock);
        if (Plugin.Info.AudioInputs == 1)
        {
            for (var i = 0; i < frames; i++)
            {
                inputs[0][i] = 0.5f * (inputs[0][i] + inputs[1][i]);
            }
        }

        if (Plugin.Info.IsInstrument)
        {
            new Span<float>(outputs[0], frames).Clear();
            new Span<float>(outputs[1], frames).Clear();
        }

        Plugin.Process(inputs, outputs, frames, events);
        if (Plugin.Info.AudioOutputs == 0)
        {
            Buffer.MemoryCopy(inputs[0], outputs[0], frames * sizeof(float), frames * sizeof(float));
            Buffer.MemoryCopy(inputs[1], outputs[1], frames * sizeof(float), frames * sizeof(float));
        }
        else if (Plugin.Info.AudioOutputs == 1)
        {
            Buffer.MemoryCopy(outputs[0], outputs[1], frames * sizeof(float), frames * sizeof(float));
        }
    }

    public void Dispose()
    {
        Plugin.Dispose();
        view.SafeMemoryMappedViewHandle.ReleasePointer();
        view.Dispose();
        map.Dispose();
    }
}
