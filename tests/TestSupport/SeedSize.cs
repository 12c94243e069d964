using System.Globalization;

namespace TestSupport;

/// <summary>
/// How many rows Articles.Api seeds at start (its <c>Articles:Seed</c> section). Each test wants rows, not slowness,
/// in the amounts its own queries need; this names the keys once, for a host in the test process or a process.
/// </summary>
public sealed record SeedSize(int Users, int Articles, int Comments, int Likes, int Tags, int? MaxTagsPerArticle = null)
{
    /// <summary>As host settings (<c>Articles:Seed:Users</c>, ...), for the service hosted in the test process.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings() =>
        Values(":").Select(value => KeyValuePair.Create(value.Key, (string?)value.Value));

    /// <summary>As environment variables (<c>Articles__Seed__Users</c>, ...), for <see cref="ArticlesApiProcess"/>.</summary>
    public IEnumerable<KeyValuePair<string, string>> EnvironmentVariables() => Values("__");

    private IEnumerable<KeyValuePair<string, string>> Values(string separator)
    {
        var counts = new List<(string Name, int Count)>
        {
            ("Users", Users), ("Articles", Articles), ("Comments", Comments), ("Likes", Likes), ("Tags", Tags),
        };
        if (MaxTagsPerArticle is { } max) counts.Add(("MaxTagsPerArticle", max));
        return counts.Select(c => KeyValuePair.Create(
            string.Join(separator, "Articles", "Seed", c.Name), c.Count.ToString(CultureInfo.InvariantCulture)));
    }
}
