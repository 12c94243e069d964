using TestSupport;

namespace Observability.Profiling.Tests;

/// <summary>Runs Debian's <c>go tool pprof</c> offline, with throwaway HOME and caches.</summary>
internal static class GoPprof
{
    public static async Task<string> TopAsync(byte[] profile, params string[] extraArgs)
    {
        var dir = Directory.CreateTempSubdirectory("pprof-test-");
        try
        {
            var file = Path.Combine(dir.FullName, "profile.pb.gz");
            await File.WriteAllBytesAsync(file, profile);
            var env = new Dictionary<string, string>
            {
                ["HOME"] = dir.FullName,
                ["GOCACHE"] = Path.Combine(dir.FullName, "gocache"),
                ["GOPATH"] = Path.Combine(dir.FullName, "gopath"),
                ["GOFLAGS"] = "-mod=mod",
                ["GOPROXY"] = "off",
                ["GOTOOLCHAIN"] = "local",
                ["PPROF_TMPDIR"] = dir.FullName,
            };
            var args = new List<string> { "tool", "pprof", "-top", "-symbolize=none" };
            args.AddRange(extraArgs);
            args.Add(file);
            var result = await ProcessRunner.RunAsync(Tools.Go, args, TimeSpan.FromMinutes(2), dir.FullName, env);
            Assert.True(result.ExitCode == 0, $"go tool pprof failed ({result.ExitCode}): {result.StdErr}\n{result.StdOut}");
            return result.StdOut;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
