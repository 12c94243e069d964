using Observability.Profiling.FlameGraphs.Implementation;
using Observability.Profiling.Implementation.Sampling;

namespace Observability.Profiling.Tests;

public class FrameTextTests
{
    [Theory]
    [InlineData("App.Web.Handlers.ArticleHandler.Get", "App.Web.Handlers")]
    [InlineData("Type.Method", "Type")]
    [InlineData("Main", "Main")]
    [InlineData("postgresql SELECT articles", "postgresql")]
    [InlineData("GET /v1/articles", "GET")]
    [InlineData("A.B.C.M(int32)", "A.B")]
    public void Namespace_of_frame(string frame, string expected) => Assert.Equal(expected, NamespaceColors.NamespaceOf(frame));

    [Theory]
    [InlineData("abcdef", 10, "abcdef")]
    [InlineData("abcdef", 5, "abc..")]
    [InlineData("abcdef", 2, null)]
    public void Fit_truncates_with_marker(string text, int max, string? expected) => Assert.Equal(expected, SvgText.Fit(text, max));

    [Theory]
    [InlineData("System.Threading.Thread.StartCallback()", "System.Threading.Thread.StartCallback")]
    [InlineData("App.Jwt.Verify(class System.String,int32)", "App.Jwt.Verify")]
    [InlineData("", "[unknown]")]
    [InlineData(null, "[unknown]")]
    public void Method_names_lose_their_parameter_list(string? raw, string expected) => Assert.Equal(expected, FrameNames.Clean(raw));

    [Theory]
    [InlineData("a", 10_000_000L)]
    [InlineData("0x14", 20_000_000L)]
    [InlineData("1", 1_000_000L)]
    [InlineData("", null)]
    [InlineData("zz", null)]
    [InlineData("0", null)]
    public void Sampling_variable_is_hex_milliseconds(string value, long? nanos) => Assert.Equal(nanos, SamplingRate.FromVariable(value));
}

public class SpanFrameNameTests
{
    [Fact]
    public void Db_spans_show_system_operation_and_table_never_values()
    {
        using var activity = new System.Diagnostics.Activity("query");
        activity.SetTag("db.system.name", "postgresql");
        activity.SetTag("db.query.text", "INSERT INTO comments (body) VALUES ('secret value')");
        Assert.Equal("postgresql INSERT comments", Observability.Profiling.Implementation.Spans.SpanFrameNames.For(activity));
    }

    [Fact]
    public void A_display_name_already_in_the_db_shape_is_kept()
    {
        using var activity = new System.Diagnostics.Activity("query");
        activity.DisplayName = "postgresql SELECT articles";
        activity.SetTag("db.system.name", "postgresql");
        activity.SetTag("db.query.text", "WITH page AS (SELECT id FROM articles) SELECT * FROM page");
        Assert.Equal("postgresql SELECT articles", Observability.Profiling.Implementation.Spans.SpanFrameNames.For(activity));
    }

    [Fact]
    public void Explicit_operation_and_collection_tags_win()
    {
        using var activity = new System.Diagnostics.Activity("query");
        activity.SetTag("db.system", "postgresql");
        activity.SetTag("db.operation.name", "select");
        activity.SetTag("db.collection.name", "articles");
        activity.SetTag("db.query.text", "SELECT * FROM other");
        Assert.Equal("postgresql SELECT articles", Observability.Profiling.Implementation.Spans.SpanFrameNames.For(activity));
    }
}
