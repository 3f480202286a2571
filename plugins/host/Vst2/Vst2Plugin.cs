using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Jacameno.Audio.Rendering;

namespace Jacameno.Plugins.Host.Vst2;

/// <summary>
/// A Linux VST2 plugin (a shared object) loaded into this process: opened at the render's sample rate and block
/// size, resumed, and run with processReplacing. Parameters are the plugin's normalised 0-1 values; state is the
/// plugin's chunk where it keeps one (effFlagsProgramChunks), else every parameter value.
/// </summary>
internal sealed unsafe class Vst2Plugin : IHostedPlugin
{
    private const int StringCapacity = 256;
    private const byte ChunkState = (byte)'C';
    private const byte ParameterState = (byte)'P';

    // The host callback has no user pointer: one process runs one plugin at a time, so these are the process's.
    private static double sampleRate = 48_000;
    private static int blockSize = 4096;
    private static VstTimeInfo* timeInfo;

    private readonly nint library;
    private readonly AEffect* effect;
    private readonly float* silence;
    private readonly float* scratch;
    private readonly float** inputs;
    private readonly float** outputs;
    private readonly nint events;
    private readonly int maxBlock;

    private Vst2Plugin(string id, string path, double rate, int maxBlock, double tempo)
    {
        sampleRate = rate;
        blockSize = maxBlock;
        this.maxBlock = maxBlock;
        if (timeInfo is null)
        {
            timeInfo = (VstTimeInfo*)NativeMemory.AllocZeroed((nuint)sizeof(VstTimeInfo));
        }

        *timeInfo = new VstTimeInfo
        {
            SampleRate = rate,
            Tempo = tempo,
            TimeSigNumerator = 4,
            TimeSigDenominator = 4,
            Flags = VstTimeInfo.TransportPlaying | VstTimeInfo.TempoValid | VstTimeInfo.PpqPosValid | VstTimeInfo.TimeSigValid,
        };

        library = NativeLibrary.Load(path);
        if (!NativeLibrary.TryGetExport(library, "VSTPluginMain", out var main) && !NativeLibrary.TryGetExport(library, "main", out main))
        {
            throw new PluginException($"{path} is not a VST2 plugin (it exports neither VSTPluginMain nor main).");
        }

        effect = ((delegate* unmanaged<delegate* unmanaged<AEffect*, int, int, nint, void*, float, nint>, AEffect*>)main)(&AudioMaster);
        if (effect is null || effect->MagicNumber != AEffect.Magic)
        {
            throw new PluginException($"{path} did not return a VST2 effect.");
        }

        if ((effect->Flags & EffectFlags.CanReplacing) == 0 || effect->ProcessReplacing is null)
        {
            throw new PluginException($"{path} cannot process in place (processReplacing), which this host requires.");
        }

        Dispatch(EffOp.Open);
        Dispatch(EffOp.SetSampleRate, opt: (float)rate);
        Dispatch(EffOp.SetBlockSize, value: maxBlock);
        Dispatch(EffOp.MainsChanged, value: 1);
        Dispatch(EffOp.StartProcess);

        silence = (float*)NativeMemory.AllocZeroed((nuint)(maxBlock * sizeof(float)));
        scratch = (float*)NativeMemory.AllocZeroed((nuint)(maxBlock * sizeof(float)));
        inputs = (float**)NativeMemory.AllocZeroed((nuint)(Math.Max(1, effect->NumInputs) * sizeof(nint)));
        outputs = (float**)NativeMemory.AllocZeroed((nuint)(Math.Max(1, effect->NumOutputs) * sizeof(nint)));
        events = (nint)NativeMemory.AllocZeroed(16 + (256 * (nuint)sizeof(nint)) + (256 * (nuint)sizeof(VstMidiEvent)));
        Info = Describe(id);
    }

    public PluginInfo Info { get; }

    public int Latency => effect->InitialDelay;

    public static Vst2Plugin Load(string id, double rate, int maxBlock, double tempo)
    {
        var path = id[PluginInfo.Vst2Prefix.Length..];
        if (!Path.IsPathRooted(path) || !path.EndsWith(".so", StringComparison.Ordinal) || !File.Exists(path))
        {
            throw new PluginException($"No VST2 plugin at '{path}'.");
        }

        return new Vst2Plugin(id, path, rate, maxBlock, tempo);
    }

    public void Set(string id, double value)
    {
        var index = ParameterIndex(id);
        if (!double.IsFinite(value) || value is < 0 or > 1)
        {
            throw new PluginException($"{Info.Name}: parameter {id} ({Info.Parameters[index].Name}) takes a value between 0 and 1.");
        }

        effect->SetParameter(effect, index, (float)value);
    }

    public IEnumerable<(string Id, double Value)> Parameters()
    {
        var values = new List<(string, double)>();
        for (var i = 0; i < effect->NumParams; i++)
        {
            values.Add((i.ToString(CultureInfo.InvariantCulture), effect->GetParameter(effect, i)));
        }

        return values;
    }

    public void Process(float*[] inputChannels, float*[] outputChannels, int frames, ReadOnlySpan<MidiEvent> midi)
    {
        for (var i = 0; i < effect->NumInputs; i++)
        {
            inputs[i] = i < inputChannels.Length ? inputChannels[i] : silence;
        }

        for (var i = 0; i < effect->NumOutputs; i++)
        {
            outputs[i] = i < outputChannels.Length ? outputChannels[i] : scratch;
        }

        if (midi.Length > 0)
        {
            SendEvents(midi);
        }

        effect->ProcessReplacing(effect, inputs, outputs, frames);
        timeInfo->SamplePos += frames;
        timeInfo->PpqPos = timeInfo->SamplePos / sampleRate * timeInfo->Tempo / 60;
    }

    public byte[] SaveState()
    {
        if ((effect->Flags & EffectFlags.ProgramChunks) != 0)
        {
            void* data = null;
            var size = (int)Dispatch(EffOp.GetChunk, index: 0, ptr: &data);
            if (size > 0 && data is not null)
            {
                return [ChunkState, .. new ReadOnlySpan<byte>(data, size)];
            }
        }

        var state = new byte[1 + (4 * effect->NumParams)];
        state[0] = ParameterState;
        for (var i = 0; i < effect->NumParams; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(state.AsSpan(1 + (4 * i)), effect->GetParameter(effect, i));
        }

        return state;
    }

    public void RestoreState(byte[] state)
    {
        if (state.Length > 1 && state[0] == ChunkState)
        {
            fixed (byte* data = &state[1])
            {
                Dispatch(EffOp.SetChunk, index: 0, value: state.Length - 1, ptr: data);
            }

            return;
        }

        if (state.Length != 1 + (4 * effect->NumParams) || state[0] != ParameterState)
        {
            throw new PluginException($"{Info.Name}: the saved state is not this plugin's.");
        }

        for (var i = 0; i < effect->NumParams; i++)
        {
            effect->SetParameter(effect, i, BinaryPrimitives.ReadSingleLittleEndian(state.AsSpan(1 + (4 * i))));
        }
    }

    public void LoadPreset(string id)
    {
        if (!int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var program) || program >= effect->NumPrograms)
        {
            throw new PluginException($"{Info.Name} has no preset '{id}'.");
        }

        Dispatch(EffOp.SetProgram, value: program);
    }

    public void Dispose()
    {
        Dispatch(EffOp.StopProcess);
        Dispatch(EffOp.MainsChanged, value: 0);
        Dispatch(EffOp.Close);
        NativeMemory.Free(silence);
        NativeMemory.Free(scratch);
        NativeMemory.Free(inputs);
        NativeMemory.Free(outputs);
        NativeMemory.Free((void*)events);
        // The library stays loaded: plugins often leave threads or atexit handlers behind, and the process ends soon.
    }

    private PluginInfo Describe(string id)
    {
        var category = (PlugCategory)(int)Dispatch(EffOp.GetPlugCategory);
        var isSynth = (effect->Flags & EffectFlags.IsSynth) != 0 || category == PlugCategory.Synth;
        var name = String(EffOp.GetEffectName) is { Length: > 0 } effectName ? effectName
            : String(EffOp.GetProductString) is { Length: > 0 } product ? product
            : Path.GetFileNameWithoutExtension(id);
        var parameters = new List<PluginParameter>();
        for (var i = 0; i < effect->NumParams; i++)
        {
            parameters.Add(new PluginParameter(i.ToString(CultureInfo.InvariantCulture), String(EffOp.GetParamName, i), 0, 1,
                effect->GetParameter(effect, i), String(EffOp.GetParamLabel, i)));
        }

        var presets = new List<PluginPreset>();
        for (var i = 0; effect->NumPrograms > 1 && i < effect->NumPrograms && i < 1024; i++)
        {
            presets.Add(new PluginPreset(i.ToString(CultureInfo.InvariantCulture), String(EffOp.GetProgramNameIndexed, i) is { Length: > 0 } p ? p : $"Program {i + 1}"));
        }

        return new PluginInfo(id, name, String(EffOp.GetVendorString), isSynth ? "Instrument" : category.ToString(), isSynth,
            effect->NumInputs, effect->NumOutputs, parameters, presets,
            category == PlugCategory.Shell ? "Shell plugins (several plugins in one file) are not supported." : null);
    }

    private int ParameterIndex(string id) =>
        int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < effect->NumParams ? index
            : throw new PluginException($"{Info.Name} has no parameter '{id}'; its parameters are numbered 0-{effect->NumParams - 1}.");

    private void SendEvents(ReadOnlySpan<MidiEvent> midi)
    {
        var count = Math.Min(midi.Length, 256);
        var header = (byte*)events;
        var pointers = (VstMidiEvent**)(header + 16);
        var bodies = (VstMidiEvent*)(header + 16 + (256 * sizeof(nint)));
        *(int*)header = count;
        for (var i = 0; i < count; i++)
        {
            var e = &bodies[i];
            *e = new VstMidiEvent { Type = VstMidiEvent.MidiType, ByteSize = sizeof(VstMidiEvent), DeltaFrames = midi[i].Offset };
            e->MidiData[0] = midi[i].Status;
            e->MidiData[1] = midi[i].Data1;
            e->MidiData[2] = midi[i].Data2;
            pointers[i] = e;
        }

        Dispatch(EffOp.ProcessEvents, ptr: (void*)events);
    }

    private string String(EffOp op, int index = 0)
    {
        var buffer = stackalloc byte[StringCapacity];
        new Span<byte>(buffer, StringCapacity).Clear();
        Dispatch(op, index, ptr: buffer);
        return Encoding.UTF8.GetString(buffer, new ReadOnlySpan<byte>(buffer, StringCapacity - 1).IndexOf((byte)0) is var end and >= 0 ? end : StringCapacity - 1).Trim();
    }

    private nint Dispatch(EffOp op, int index = 0, nint value = 0, void* ptr = null, float opt = 0) =>
        effect->Dispatcher(effect, (int)op, index, value, ptr, opt);

    [UnmanagedCallersOnly]
    private static nint AudioMaster(AEffect* effect, int opcode, int index, nint value, void* ptr, float opt)
    {
        switch ((HostOp)opcode)
        {
            case HostOp.Version:
                return 2400;
            case HostOp.GetTime:
                return (nint)timeInfo;
            case HostOp.GetSampleRate:
                return (nint)sampleRate;
            case HostOp.GetBlockSize:
                return blockSize;
            case HostOp.GetCurrentProcessLevel:
                return 4; // offline
            case HostOp.GetAutomationState:
                return 1; // off
            case HostOp.GetVendorString:
                return WriteString(ptr, "Jacameno");
            case HostOp.GetProductString:
                return WriteString(ptr, "Jacameno plugin host");
            case HostOp.GetVendorVersion:
                return 1;
            case HostOp.GetLanguage:
                return 1; // English
            case HostOp.CanDo:
                var what = ptr is null ? "" : Marshal.PtrToStringUTF8((nint)ptr) ?? "";
                return what is "sendVstEvents" or "sendVstMidiEvent" or "sendVstTimeInfo" or "supplyIdle" ? 1 : 0;
            default:
                return 0;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static nint WriteString(void* destination, string value)
    {
        if (destination is null)
        {
            return 0;
        }

        var bytes = Encoding.ASCII.GetBytes(value + "\0");
        bytes.CopyTo(new Span<byte>(destination, bytes.Length));
        return 1;
    }
}
