using System.Diagnostics;

namespace Jacameno.Plugins.Tests;

/// <summary>
/// Deliberately broken VST2 plugins, compiled by the tests with the system C compiler: one crashes (a write through
/// a null pointer) and one hangs in processReplacing. Everything else about them is a valid plugin.
/// </summary>
internal static class BrokenPlugins
{
    private const string Source = """
        #include <stdint.h>
        #include <string.h>
        #include <unistd.h>
        typedef struct AEffect AEffect;
        typedef intptr_t (*Dispatcher)(AEffect*, int32_t, int32_t, intptr_t, void*, float);
        typedef void (*Process)(AEffect*, float**, float**, int32_t);
        typedef void (*SetParameter)(AEffect*, int32_t, float);
        typedef float (*GetParameter)(AEffect*, int32_t);
        struct AEffect {
            int32_t magic; Dispatcher dispatcher; Process process; SetParameter setParameter; GetParameter getParameter;
            int32_t numPrograms, numParams, numInputs, numOutputs, flags; intptr_t r1, r2;
            int32_t initialDelay, realQualities, offQualities; float ioRatio; void *object, *user;
            int32_t uniqueID, version; Process processReplacing; void* processDoubleReplacing; char future[56];
        };
        static intptr_t dispatch(AEffect* e, int32_t op, int32_t index, intptr_t value, void* ptr, float opt) {
            if (op == 45) { strcpy((char*)ptr, "Broken " MODE); return 1; }
            return 0;
        }
        static void process(AEffect* e, float** in, float** out, int32_t frames) {
        #ifdef CRASH
            *(volatile int*)0 = 1;
        #else
            for (;;) sleep(1);
        #endif
        }
        static void set(AEffect* e, int32_t i, float v) {}
        static float get(AEffect* e, int32_t i) { return 0; }
        static AEffect effect = { 0x56737450, dispatch, 0, set, get, 1, 0, 2, 2, 1 << 4 };
        AEffect* VSTPluginMain(void* host) { effect.processReplacing = process; return &effect; }
        """;

    public static string Build(string mode)
    {
        var directory = Path.Combine(Path.GetTempPath(), "jacameno-broken-plugins");
        Directory.CreateDirectory(directory);
        var output = Path.Combine(directory, $"broken-{mode}.so");
        if (File.Exists(output))
        {
            return output;
        }

        var source = Path.Combine(directory, $"broken-{mode}.c");
        File.WriteAllText(source, Source);
        var arguments = new[] { "-shared", "-fPIC", "-O0", $"-DMODE=\"{mode}\"", mode == "crash" ? "-DCRASH" : "-DHANG", "-o", output + ".tmp", source };
        var start = new ProcessStartInfo("cc", arguments) { RedirectStandardError = true };
        using var compiler = Process.Start(start)!;
        var errors = compiler.StandardError.ReadToEnd();
        compiler.WaitForExit();
        Assert.True(compiler.ExitCode == 0, $"cc failed: {errors}");
        File.Move(output + ".tmp", output, overwrite: true);
        return output;
    }
}
