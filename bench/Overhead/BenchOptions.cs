using System.Globalization;

namespace Overhead;

/// <summary>Command-line options of the overhead runner (all have defaults except the API build).</summary>
public sealed class BenchOptions
{
    public string ApiDll { get; set; } = "";

    /// <summary>Seconds of each measured run.</summary>
    public int Duration { get; set; } = 20;

    /// <summary>Seconds of load before each measured run (JIT, pools, caches), not measured.</summary>
    public int Warmup { get; set; } = 5;

    /// <summary>Interleaved repetitions per variant and endpoint.</summary>
    public int Reps { get; set; } = 3;

    public int Connections { get; set; } = 32;

    public int WrkThreads { get; set; } = 1;

    public string ArticlesPath { get; set; } = "/v2/articles?page=1&size=20";

    /// <summary>
    /// A request that does (almost) nothing but still passes through the whole kit (traced, measured, baggage read):
    /// an unmatched path answered 404 without a token. Health paths are excluded from tracing, so they would not do.
    /// </summary>
    public string EmptyPath { get; set; } = "/empty";

    public string ReadyPath { get; set; } = "/health/ready";

    public string TokenPath { get; set; } = "/auth/token";

    /// <summary>
    /// Upper bound of the open-loop rate: the generator shares the machine, and beyond a few thousand requests per
    /// second it measures itself more than the server.
    /// </summary>
    public double OpenLoopMaxRate { get; set; } = 4000;

    /// <summary>Skip the open-loop half-saturation runs.</summary>
    public bool SkipOpenLoop { get; set; }

    /// <summary>Soak mode: minutes of steady load on the full variant only, RSS sampled over time (0 = off).</summary>
    public int SoakMinutes { get; set; }

    /// <summary>Soak request rate in req/s (0 = a third of the measured saturation).</summary>
    public double SoakRate { get; set; }

    /// <summary>Soak: rate of the extra stream of empty requests (req/s).</summary>
    public double SoakEmptyRate { get; set; } = 300;

    /// <summary>Markdown file the results section is written to (the runner also prints it).</summary>
    public string Out { get; set; } = "bench/results/latest.md";

    /// <summary>Extra environment for the full variant (KEY=VALUE), e.g. a profiler sampling rate.</summary>
    public List<string> FullEnv { get; } = [];

    /// <summary>Extra environment for both variants (KEY=VALUE), e.g. the seed size.</summary>
    public List<string> Env { get; } = [];

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int NextInt() => int.Parse(Next(), CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--api-dll": options.ApiDll = Next(); break;
                case "--duration": options.Duration = NextInt(); break;
                case "--warmup": options.Warmup = NextInt(); break;
                case "--reps": options.Reps = NextInt(); break;
                case "--connections": options.Connections = NextInt(); break;
                case "--wrk-threads": options.WrkThreads = NextInt(); break;
                case "--articles-path": options.ArticlesPath = Next(); break;
                case "--empty-path": options.EmptyPath = Next(); break;
                case "--ready-path": options.ReadyPath = Next(); break;
                case "--token-path": options.TokenPath = Next(); break;
                case "--skip-open-loop": options.SkipOpenLoop = true; break;
                case "--open-loop-max-rate": options.OpenLoopMaxRate = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--soak-minutes": options.SoakMinutes = NextInt(); break;
                case "--soak-rate": options.SoakRate = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--soak-empty-rate": options.SoakEmptyRate = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--out": options.Out = Next(); break;
                case "--full-env": options.FullEnv.Add(Next()); break;
                case "--env": options.Env.Add(Next()); break;
                default: throw new ArgumentException($"unknown option {args[i]} (see bench/README.md)");
            }
        }

        if (options.ApiDll.Length == 0 || !File.Exists(options.ApiDll))
        {
            throw new ArgumentException($"--api-dll must name the built Articles.Api.dll (got '{options.ApiDll}')");
        }

        return options;
    }

    internal static IEnumerable<KeyValuePair<string, string>> Pairs(IEnumerable<string> entries) =>
        entries.Select(e => e.Split('=', 2)).Select(p => p.Length == 2
            ? KeyValuePair.Create(p[0], p[1])
            : throw new ArgumentException($"expected KEY=VALUE, got '{string.Join('=', p)}'"));
}
