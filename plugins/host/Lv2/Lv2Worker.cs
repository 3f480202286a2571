using System.Runtime.InteropServices;

namespace Jacameno.Plugins.Host.Lv2;

/// <summary>
/// The LV2 worker feature for an offline render: work a plugin schedules is done at once, on the same thread, and
/// its responses are handed back after the plugin's run (as the extension requires), followed by end_run. A render
/// waits for the work instead of glitching, which is what an export should do.
/// </summary>
internal sealed unsafe class Lv2Worker
{
    private static readonly List<byte[]> Responses = [];
    private static LilvInstance* current;
    private static LV2WorkerInterface* worker;
    private static readonly byte* InterfaceUri = (byte*)Marshal.StringToCoTaskMemUTF8("http://lv2plug.in/ns/ext/worker#interface");

    public Lv2Worker()
    {
        Schedule = (LV2WorkerSchedule*)NativeMemory.AllocZeroed((nuint)sizeof(LV2WorkerSchedule));
        Schedule->ScheduleWork = &ScheduleWork;
    }

    public LV2WorkerSchedule* Schedule { get; }

    /// <summary>The instance's worker interface, or null: looked up once per instance.</summary>
    public static LV2WorkerInterface* Interface(LilvInstance* instance) =>
        instance->Descriptor->ExtensionData is null ? null : (LV2WorkerInterface*)instance->Descriptor->ExtensionData(InterfaceUri);

    /// <summary>
    /// The instance whose work requests are served from now on: a host holds several plugins and runs one at a time,
    /// so each attaches itself before it runs or restores a state.
    /// </summary>
    public static void Attach(LilvInstance* instance, LV2WorkerInterface* workerInterface)
    {
        current = instance;
        worker = workerInterface;
    }

    /// <summary>Hands the responses of this cycle's work to the plugin; called after each run.</summary>
    public static void Deliver(bool endRun = true)
    {
        if (worker is null || current is null)
        {
            return;
        }

        while (Responses.Count > 0)
        {
            var pending = Responses.ToArray();
            Responses.Clear();
            foreach (var response in pending)
            {
                fixed (byte* data = response)
                {
                    worker->WorkResponse(current->Handle, (uint)response.Length, data);
                }
            }
        }

        if (endRun && worker->EndRun is not null)
        {
            worker->EndRun(current->Handle);
        }
    }

    [UnmanagedCallersOnly]
    private static int ScheduleWork(void* handle, uint size, void* data)
    {
        if (worker is null || current is null || worker->Work is null)
        {
            return 1; // LV2_WORKER_ERR_UNKNOWN
        }

        return worker->Work(current->Handle, &Respond, null, size, data);
    }

    [UnmanagedCallersOnly]
    private static int Respond(void* handle, uint size, void* data)
    {
        Responses.Add(new ReadOnlySpan<byte>(data, (int)size).ToArray());
        return 0;
    }
}
