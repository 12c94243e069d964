using Overhead;
using Overhead.Implementation;
using TestSupport;

// Overhead benchmark of the observability kit: see bench/README.md. Normally started by bench/overhead.sh.
var options = BenchOptions.Parse(args);
var benchDir = Path.Combine(RepoPaths.Root, "bench");
var lua = Path.Combine(benchDir, "wrk", "bench.lua");
var outPath = Path.GetFullPath(options.Out, RepoPaths.Root);
Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);

var report = new Report();
report.Line(await MachineInfo.DescribeAsync(options, args));
await using (var environment = await BenchEnvironment.StartAsync(options))
{
    Console.Error.WriteLine($"process logs in {environment.LogDir}");
    if (options.SoakMinutes > 0)
    {
        var csv = Path.ChangeExtension(outPath, ".csv");
        await new SoakRun(options, environment, lua).RunAsync(report, Path.GetRelativePath(RepoPaths.Root, csv));
    }
    else
    {
        await new SideBySide(options, environment, lua).RunAsync(report);
    }
}

await File.WriteAllTextAsync(outPath, report.ToString());
Console.WriteLine(report.ToString());
Console.Error.WriteLine($"written to {outPath}");
