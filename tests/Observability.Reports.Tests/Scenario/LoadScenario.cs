using System.Globalization;

namespace Observability.Reports.Tests.Scenario;

/// <summary>
/// A deterministic simulated load test of the sample API, in two versions: v1 (list endpoint with correlated COUNT
/// subqueries and an RS256 check per request) and v2 (one grouped query, cached key). Only the numbers are made
/// up; they pass through a real Prometheus scrape before the report reads them.
/// </summary>
public sealed class LoadScenario(string version, int seed)
{
    public const int Batches = 6;
    public const int RequestsPerBatch = 50;

    public string Version { get; } = version;

    public string ListRoute => $"/{Version}/articles";

    public string ItemRoute => $"/{Version}/articles/{{id}}";

    /// <summary>The requests of each batch, the same on every call for the same seed.</summary>
    public IReadOnlyList<IReadOnlyList<SimulatedRequest>> Requests()
    {
        var random = new Random(seed);
        var batches = new List<IReadOnlyList<SimulatedRequest>>();
        for (var b = 0; b < Batches; b++)
        {
            var batch = new List<SimulatedRequest>();
            for (var i = 0; i < RequestsPerBatch; i++)
            {
                var pick = random.NextDouble();
                batch.Add(pick switch
                {
                    < 0.6 => new SimulatedRequest("GET", ListRoute, 200, Between(random, ListSeconds)),
                    < 0.9 => new SimulatedRequest("GET", ItemRoute, 200, Between(random, ItemSeconds)),
                    // A few failed writes in both versions.
                    _ => new SimulatedRequest("POST", $"/{Version}/articles", random.NextDouble() < 0.1 ? 500 : 201, Between(random, (0.03, 0.2))),
                });
            }

            batches.Add(batch);
        }

        return batches;
    }

    private (double Low, double High) ListSeconds => Version == "v1" ? (0.35, 1.4) : (0.02, 0.09);

    private (double Low, double High) ItemSeconds => Version == "v1" ? (0.03, 0.12) : (0.008, 0.03);

    /// <summary>Root-first stacks per profile kind, in nanoseconds, for <paramref name="requests"/> requests.</summary>
    public IReadOnlyList<(string[] Frames, long Value)> Stacks(string kind, int requests)
    {
        const string kestrel = "Microsoft.AspNetCore.Server.Kestrel.Core.Internal.Http.HttpProtocol.ProcessRequests";
        var list = "Articles.Api.Endpoints.ArticleEndpoints.List";
        var jwt = "Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler.ValidateTokenAsync";
        var rsa = "System.Security.Cryptography.RSAOpenSsl.VerifyHash";
        var repo = "Articles.Api.Data.ArticleRepository.FindAll";
        var read = "Npgsql.NpgsqlDataReader.Read";
        var json = "System.Text.Json.JsonSerializer.Serialize";
        var v1 = Version == "v1";
        (string[], double)[] perRequestMs = kind switch
        {
            "cpu" =>
            [
                ([kestrel, jwt, rsa], v1 ? 2.4 : 0.05),
                ([kestrel, jwt, "Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode"], 0.08),
                ([kestrel, list, repo, read], v1 ? 0.9 : 0.3),
                ([kestrel, list, json], 0.35),
                ([kestrel, "Microsoft.AspNetCore.Routing.Matching.DfaMatcher.MatchAsync"], 0.05),
            ],
            "wall" =>
            [
                ([kestrel, jwt, rsa], v1 ? 2.5 : 0.06),
                ([kestrel, list, repo, "Npgsql.Internal.NpgsqlReadBuffer.Ensure", "System.Net.Sockets.Socket.Receive"], v1 ? 620 : 32),
                ([kestrel, list, json], 0.4),
                (["System.Threading.ThreadPoolWorkQueue.Dispatch", "System.Threading.WaitHandle.WaitOne"], 40),
            ],
            _ =>
            [
                ([$"GET {ListRoute}", "jwt validate"], v1 ? 2.6 : 0.1),
                ([$"GET {ListRoute}", repo, "postgresql SELECT articles"], v1 ? 610 : 28),
                ([$"GET {ListRoute}", repo, "postgresql SELECT users"], 2.1),
                ([$"GET {ItemRoute}", "postgresql SELECT articles"], v1 ? 25 : 9),
            ],
        };
        return perRequestMs.Select(s => (s.Item1, (long)(s.Item2 * 1_000_000 * requests))).ToList();
    }

    /// <summary>The DB statements of the list endpoint, with a typical duration in milliseconds.</summary>
    public IReadOnlyList<(string Statement, double Ms)> ListStatements() => Version == "v1"
        ?
        [
            ("SELECT a.id, a.title, (SELECT COUNT(*) FROM comments c WHERE c.article_id = a.id) AS comments, (SELECT COUNT(*) FROM likes l WHERE l.article_id = a.id) AS likes FROM articles a ORDER BY a.created_at DESC LIMIT 20", 610),
            ("SELECT id, name FROM users WHERE id = $1", 2.1),
        ]
        :
        [
            ("SELECT a.id, a.title, COALESCE(c.n, 0), COALESCE(l.n, 0) FROM articles a LEFT JOIN (SELECT article_id, COUNT(*) n FROM comments GROUP BY article_id) c ON c.article_id = a.id LEFT JOIN (SELECT article_id, COUNT(*) n FROM likes GROUP BY article_id) l ON l.article_id = a.id ORDER BY a.created_at DESC LIMIT 20", 28),
            ("SELECT id, name FROM users WHERE id = $1", 1.9),
        ];

    private static double Between(Random random, (double Low, double High) range) =>
        Math.Round(range.Low + (random.NextDouble() * (range.High - range.Low)), 4);

    public override string ToString() => Version.ToString(CultureInfo.InvariantCulture);
}
