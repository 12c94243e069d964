using BenchmarkDotNet.Running;

// Micro-benchmarks of the kit's per-request work; see bench/README.md. Example:
//   dotnet run -c Release --project bench/Observability.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Observability.Benchmarks.RequestPipelineBenchmarks).Assembly).Run(args);
