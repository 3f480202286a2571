using System.Runtime.CompilerServices;

// The plugin benchmark calls the plugin classes in its own process: the baseline the host process is measured against.
[assembly: InternalsVisibleTo("Jacameno.Benchmarks.Plugins")]
