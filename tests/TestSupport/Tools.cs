namespace TestSupport;

/// <summary>
/// Locations of the real tools the tests use. scripts/install-deps.sh installs them from Debian's packages;
/// a missing tool is a clear failure, never a silent skip.
/// </summary>
public static class Tools
{
    public static string Promtool => Find("promtool", "OBS_PROMTOOL");

    public static string Prometheus => Find("prometheus", "OBS_PROMETHEUS");

    public static string Go => Find("go", "OBS_GO", "/usr/lib/go/bin/go");

    public static string Chromium => Find("chromium", "OBS_CHROMIUM", "/usr/bin/chromium");

    public static string DockerCompose => Find("docker-compose", "OBS_DOCKER_COMPOSE");

    public static string Node => Find("node", "OBS_NODE");

    public static string RedisServer => Find("redis-server", "OBS_REDIS_SERVER", "/usr/bin/redis-server");

    /// <summary>The bin folder of the newest PostgreSQL server installed (initdb, pg_ctl, postgres).</summary>
    public static string PostgresBin
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("OBS_PG_BIN");
            if (!string.IsNullOrEmpty(fromEnv) && File.Exists(Path.Combine(fromEnv, "initdb")))
            {
                return fromEnv;
            }

            const string root = "/usr/lib/postgresql";
            var bin = Directory.Exists(root)
                ? Directory.GetDirectories(root)
                    .Select(d => Path.Combine(d, "bin"))
                    .Where(d => File.Exists(Path.Combine(d, "initdb")))
                    .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                    .FirstOrDefault()
                : null;
            return bin ?? throw new InvalidOperationException(
                "PostgreSQL server binaries not found under /usr/lib/postgresql: run scripts/install-deps.sh (package postgresql) or set OBS_PG_BIN.");
        }
    }

    /// <summary>Finds an executable by environment override, PATH, then fallbacks.</summary>
    public static string Find(string name, string envVar, params string[] fallbacks)
    {
        var fromEnv = Environment.GetEnvironmentVariable(envVar);
        if (!string.IsNullOrEmpty(fromEnv) && File.Exists(fromEnv))
        {
            return fromEnv;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        foreach (var candidate in fallbacks)
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"'{name}' was not found on PATH (or in {envVar}): run scripts/install-deps.sh, which installs it from Debian's packages.");
    }
}
