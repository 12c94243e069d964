namespace Observability.Hosting.Tests;

/// <summary>
/// The query-string table of issue 12, shared by the unit test, the exported spans and the exported log
/// records: every value is redacted (keys kept) unless its key is allow-listed. Each secret value contains
/// <see cref="Marker"/>, so a search of the raw export finds any that escaped.
/// </summary>
public static class QueryRedactionTable
{
    public const string Marker = "s3cr3t";

    /// <summary>Query as sent → query as recorded, with no allow-list. Every row survives <see cref="Uri"/> unchanged.</summary>
    public static readonly TheoryData<string, string> Rows = new()
    {
        { "?code=code-s3cr3t", "?code=REDACTED" },
        { "?state=state-s3cr3t", "?state=REDACTED" },
        { "?sig=sig-s3cr3t", "?sig=REDACTED" },
        { "?X-Amz-Signature=amz-s3cr3t", "?X-Amz-Signature=REDACTED" },
        { "?session=session-s3cr3t", "?session=REDACTED" },
        { "?jwt=eyJ.s3cr3t.jwt", "?jwt=REDACTED" },
        { "?email=someone-s3cr3t%40example.test", "?email=REDACTED" },
        { "?q=search-s3cr3t", "?q=REDACTED" },
        { "?api_key=key-s3cr3t", "?api_key=REDACTED" },
        { "?password=hunter2-s3cr3t", "?password=REDACTED" },
        { "?flag&empty=", "?flag&empty=REDACTED" },
        { "?q=one-s3cr3t&q=two-s3cr3t&q=three-s3cr3t", "?q=REDACTED&q=REDACTED&q=REDACTED" },
        { "?%C3%A9t%C3%A9=ete-s3cr3t&a%26b=amp-s3cr3t", "?%C3%A9t%C3%A9=REDACTED&a%26b=REDACTED" },
        { "?page=2&sort=title-s3cr3t", "?page=REDACTED&sort=REDACTED" },
        { "?a=1-s3cr3t&&=lone-s3cr3t&b==eq-s3cr3t", "?a=REDACTED&&=REDACTED&b=REDACTED" },
        {
            "?code=c-s3cr3t&state=st-s3cr3t&sig=sg-s3cr3t&X-Amz-Signature=x-s3cr3t&session=se-s3cr3t&jwt=j-s3cr3t&email=e-s3cr3t&q=q-s3cr3t",
            "?code=REDACTED&state=REDACTED&sig=REDACTED&X-Amz-Signature=REDACTED&session=REDACTED&jwt=REDACTED&email=REDACTED&q=REDACTED"
        },
    };

    /// <summary>The allow-list used by <see cref="AllowListedRows"/>.</summary>
    public static readonly string[] AllowList = ["page", "q"];

    /// <summary>Query → recorded with <see cref="AllowList"/>: exact keys keep their value, nothing else does.</summary>
    public static readonly TheoryData<string, string> AllowListedRows = new()
    {
        { "?page=2&q=books&code=code-s3cr3t", "?page=2&q=books&code=REDACTED" },
        { "?Q=upper-s3cr3t&PAGE=upper-s3cr3t", "?Q=REDACTED&PAGE=REDACTED" },
        { "?q=a&q=b&state=state-s3cr3t", "?q=a&q=b&state=REDACTED" },
        { "?%70age=3&%71=encoded", "?%70age=3&%71=encoded" },
        { "?page", "?page" },
        { "?pages=many-s3cr3t&q_=under-s3cr3t", "?pages=REDACTED&q_=REDACTED" },
    };
}
