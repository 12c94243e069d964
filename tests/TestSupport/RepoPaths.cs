using System.Reflection;

namespace TestSupport;

/// <summary>Paths inside the repository, found from the test assembly's location.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The folder that holds Observability.sln.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>A path under the repository root.</summary>
    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Observability.sln")))
            {
                return dir.FullName;
            }
        }

        // Builds with -p:ArtifactsPath outside the tree: fall back to the working directory's ancestors.
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Observability.sln")))
            {
                return dir.FullName;
            }
        }

        var built = typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepoRoot")?.Value;
        if (!string.IsNullOrEmpty(built) && File.Exists(Path.Combine(built, "Observability.sln")))
        {
            return built;
        }

        var fromEnv = Environment.GetEnvironmentVariable("OBS_REPO_ROOT");
        if (!string.IsNullOrEmpty(fromEnv) && File.Exists(Path.Combine(fromEnv, "Observability.sln")))
        {
            return fromEnv;
        }

        throw new InvalidOperationException(
            "Cannot find Observability.sln above the test assembly or the working directory; set OBS_REPO_ROOT.");
    }
}
