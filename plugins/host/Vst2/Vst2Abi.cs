using System.Runtime.InteropServices;

namespace Jacameno.Plugins.Host.Vst2;

// The VST 2.4 binary interface, declared from its public description (the layout of AEffect, the opcode numbers of
// the dispatcher and the host callback, VstTimeInfo and VstMidiEvent): a plugin is a shared object exporting
// VSTPluginMain (or main), which takes the host callback and returns an AEffect.

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct AEffect
{
    public const int Magic = 0x56737450; // 'VstP'

    public int MagicNumber;
    public delegate* unmanaged<AEffect*, int, int, nint, void*, float, nint> Dispatcher;
    public void* DeprecatedProcess;
    public delegate* unmanaged<AEffect*, int, float, void> SetParameter;
    public delegate* unmanaged<AEffect*, int, float> GetParameter;
    public int NumPrograms;
    public int NumParams;
    public int NumInputs;
    public int NumOutputs;
    public int Flags;
    public nint Reserved1;
    public nint Reserved2;
    public int InitialDelay;
    public int RealQualities;
    public int OffQualities;
    public float IoRatio;
    public void* Object;
    public void* User;
    public int UniqueId;
    public int Version;
    public delegate* unmanaged<AEffect*, float**, float**, int, void> ProcessReplacing;
    public void* ProcessDoubleReplacing;
    public fixed byte Future[56];
}

internal static class EffectFlags
{
    public const int CanReplacing = 1 << 4;
    public const int ProgramChunks = 1 << 5;
    public const int IsSynth = 1 << 8;
}

/// <summary>What the host asks the plugin (the dispatcher's opcodes).</summary>
internal enum EffOp
{
    Open = 0,
    Close = 1,
    SetProgram = 2,
    GetProgram = 3,
    GetParamLabel = 6,
    GetParamDisplay = 7,
    GetParamName = 8,
    SetSampleRate = 10,
    SetBlockSize = 11,
    MainsChanged = 12,
    GetChunk = 23,
    SetChunk = 24,
    ProcessEvents = 25,
    GetProgramNameIndexed = 29,
    GetPlugCategory = 35,
    GetEffectName = 45,
    GetVendorString = 47,
    GetProductString = 48,
    StartProcess = 71,
    StopProcess = 72,
}

/// <summary>What the plugin asks the host (the callback's opcodes) that this host answers.</summary>
internal enum HostOp
{
    Automate = 0,
    Version = 1,
    CurrentId = 2,
    Idle = 3,
    GetTime = 7,
    ProcessEvents = 8,
    IoChanged = 13,
    GetSampleRate = 16,
    GetBlockSize = 17,
    GetCurrentProcessLevel = 23,
    GetAutomationState = 24,
    GetVendorString = 32,
    GetProductString = 33,
    GetVendorVersion = 34,
    CanDo = 37,
    GetLanguage = 38,
    UpdateDisplay = 42,
    BeginEdit = 43,
    EndEdit = 44,
}

internal enum PlugCategory
{
    Unknown = 0,
    Effect = 1,
    Synth = 2,
    Analysis = 3,
    Mastering = 4,
    Spacializer = 5,
    RoomFx = 6,
    SurroundFx = 7,
    Restoration = 8,
    OfflineProcess = 9,
    Shell = 10,
    Generator = 11,
}

[StructLayout(LayoutKind.Sequential)]
internal struct VstTimeInfo
{
    public const int TransportPlaying = 1 << 1;
    public const int PpqPosValid = 1 << 9;
    public const int TempoValid = 1 << 10;
    public const int TimeSigValid = 1 << 13;

    public double SamplePos;
    public double SampleRate;
    public double NanoSeconds;
    public double PpqPos;
    public double Tempo;
    public double BarStartPos;
    public double CycleStartPos;
    public double CycleEndPos;
    public int TimeSigNumerator;
    public int TimeSigDenominator;
    public int SmpteOffset;
    public int SmpteFrameRate;
    public int SamplesToNextClock;
    public int Flags;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct VstMidiEvent
{
    public const int MidiType = 1;

    public int Type;
    public int ByteSize;
    public int DeltaFrames;
    public int Flags;
    public int NoteLength;
    public int NoteOffset;
    public fixed byte MidiData[4];
    public sbyte Detune;
    public byte NoteOffVelocity;
    public byte Reserved1;
    public byte Reserved2;
}
