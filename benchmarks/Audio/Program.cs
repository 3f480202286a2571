using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Jacameno.Benchmarks.LoudnessBenchmark).Assembly).Run(args);
