namespace Articles.Api.Configuration;

/// <summary>
/// <c>Articles:Seed:*</c>: sizes of the deterministic demo data written when the database is empty.
/// The defaults make <c>GET /v1/articles</c> take hundreds of milliseconds on a laptop.
/// </summary>
public sealed class SeedOptions
{
    /// <summary>When false only the schema is created.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Fixed seed of the pseudo-random generator: the same options always give the same data.</summary>
    public int RandomSeed { get; set; } = 20240601;

    public int Users { get; set; } = 1_000;

    public int Articles { get; set; } = 20_000;

    public int Comments { get; set; } = 200_000;

    public int Likes { get; set; } = 300_000;

    public int Tags { get; set; } = 50;

    /// <summary>Each article gets between 0 and this many distinct tags.</summary>
    public int MaxTagsPerArticle { get; set; } = 5;
}
