using System.Text.Json;
using TestSupport;

namespace Stack.Tests.Implementation;

/// <summary>Runs k6/articles.js under Node.js with the stand-in k6 modules of tests/Stack.Tests/k6-harness.</summary>
internal static class K6Harness
{
    private static readonly string HarnessDir = RepoPaths.Combine("tests", "Stack.Tests", "k6-harness");

    /// <summary>Copies the harness and the script (as an ES module with its k6 imports pointed at the stubs) into a temp dir.</summary>
    public static DirectoryInfo Prepare()
    {
        var dir = Directory.CreateTempSubdirectory("stack-k6-");
        Directory.CreateDirectory(Path.Combine(dir.FullName, "stubs"));
        foreach (var file in Directory.GetFiles(HarnessDir, "*.mjs").Concat(Directory.GetFiles(Path.Combine(HarnessDir, "stubs"), "*.mjs")))
        {
            File.Copy(file, Path.Combine(dir.FullName, Path.GetRelativePath(HarnessDir, file)));
        }

        var script = File.ReadAllText(StackPaths.K6Script)
            .Replace("from 'k6/http'", "from './stubs/http.mjs'", StringComparison.Ordinal)
            .Replace("from 'k6/execution'", "from './stubs/execution.mjs'", StringComparison.Ordinal)
            .Replace("from 'k6/crypto'", "from './stubs/crypto.mjs'", StringComparison.Ordinal)
            .Replace("from 'k6'", "from './stubs/k6.mjs'", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(dir.FullName, "articles.mjs"), script);
        return dir;
    }

    public static async Task<ProcessResult> RunAsync(IReadOnlyDictionary<string, string> env)
    {
        var dir = Prepare();
        try
        {
            return await ProcessRunner.RunAsync(Tools.Node, ["run.mjs", "./articles.mjs"], TimeSpan.FromMinutes(1), dir.FullName, env);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    public static async Task<JsonDocument> RunJsonAsync(IReadOnlyDictionary<string, string> env)
    {
        var result = await RunAsync(env);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("the k6 script failed under the harness:\n" + result.Output);
        }

        return JsonDocument.Parse(result.StdOut);
    }
}
