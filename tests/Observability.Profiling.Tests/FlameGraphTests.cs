using System.Xml.Linq;
using Observability.Profiling.FlameGraphs;

namespace Observability.Profiling.Tests;

public class FlameGraphTests
{
    private static KeyValuePair<IReadOnlyList<string>, long> S(long value, params string[] frames) => new(frames, value);

    [Fact]
    public void Merges_stacks_into_totals_and_self_values()
    {
        var graph = FlameGraph.FromStacks(new[]
        {
            S(1, "a", "b", "e"),
            S(2, "a", "c"),
            S(1, "a", "c", "d"),
            S(0, "ignored"),
        });

        Assert.Equal(4, graph.Root.Total);
        var a = Assert.Single(graph.Root.Children);
        Assert.Equal(("a", 4L, 0L), (a.Name, a.Total, a.Self));
        Assert.Equal(new[] { "b", "c" }, a.Children.Select(c => c.Name));
        var c = a.Children[1];
        Assert.Equal((3L, 2L), (c.Total, c.Self));
        Assert.Same(a, c.Parent);
        Assert.Equal(3, graph.MaxDepth);
    }

    [Fact]
    public void Svg_is_well_formed_with_hover_titles_percentages_and_escaped_names()
    {
        var graph = FlameGraph.FromStacks(new[]
        {
            S(750, "App.Web.Handler.Get", "App.Data.Repo<T>.Find&Load"),
            S(250, "App.Web.Handler.Get", "System.Text.Json.JsonSerializer.Serialize"),
        });

        var svg = FlameGraphSvg.Render(graph, new FlameGraphSvgOptions { Title = "CPU <test>", Unit = "samples" });

        var doc = XDocument.Parse(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        var titles = doc.Descendants(ns + "title").Select(t => t.Value).ToList();
        Assert.Contains("App.Data.Repo<T>.Find&Load (750 samples, 75%)", titles);
        Assert.Contains("all (1,000 samples, 100%)", titles);
        Assert.Contains(doc.Descendants(ns + "text"), t => t.Value == "CPU <test>");
        Assert.Equal(4, doc.Descendants(ns + "rect").Count(r => (string?)r.Attribute("class") == "f"));
        Assert.DoesNotContain("<script", svg);
    }

    [Fact]
    public void Frame_widths_follow_values()
    {
        var graph = FlameGraph.FromStacks(new[] { S(3, "A.B.big"), S(1, "A.B.small") });
        var doc = XDocument.Parse(FlameGraphSvg.Render(graph, new FlameGraphSvgOptions { Width = 1020 }));
        XNamespace ns = "http://www.w3.org/2000/svg";
        double Width(string name) => doc.Descendants(ns + "g")
            .Where(g => g.Element(ns + "title")!.Value.StartsWith(name + " ", StringComparison.Ordinal))
            .Select(g => double.Parse(g.Element(ns + "rect")!.Attribute("width")!.Value, System.Globalization.CultureInfo.InvariantCulture))
            .Single();
        Assert.Equal(1000, Width("all"), 1);
        Assert.Equal(750, Width("A.B.big"), 1);
        Assert.Equal(250, Width("A.B.small"), 1);
    }

    [Fact]
    public void Same_namespace_same_colour_and_override_wins()
    {
        var graph = FlameGraph.FromStacks(new[] { S(1, "My.App.A.Run", "My.App.B.Go"), S(1, "Other.Lib.C.Do") });
        var svg = FlameGraphSvg.Render(graph);
        var doc = XDocument.Parse(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        string Fill(string name) => doc.Descendants(ns + "g")
            .Single(g => g.Element(ns + "title")!.Value.StartsWith(name + " ", StringComparison.Ordinal))
            .Element(ns + "rect")!.Attribute("fill")!.Value;
        Assert.Equal(Fill("My.App.A.Run"), Fill("My.App.B.Go"));
        Assert.NotEqual(Fill("My.App.A.Run"), Fill("Other.Lib.C.Do"));

        var red = FlameGraphSvg.Render(graph, new FlameGraphSvgOptions { FillColor = n => n.Name == "Other.Lib.C.Do" ? "#ff0000" : null });
        Assert.Contains("fill=\"#ff0000\"", red);
    }

    [Fact]
    public void Long_names_are_truncated_in_labels_but_whole_in_titles()
    {
        var longName = "Very.Long.Namespace.Name.That.Does.Not.Fit.Type." + new string('M', 400);
        var graph = FlameGraph.FromStacks(new[] { S(1, longName) });
        var doc = XDocument.Parse(FlameGraphSvg.Render(graph, new FlameGraphSvgOptions { Width = 400 }));
        XNamespace ns = "http://www.w3.org/2000/svg";
        var frame = doc.Descendants(ns + "g").Single(g => g.Element(ns + "title")!.Value.StartsWith(longName, StringComparison.Ordinal));
        var label = frame.Element(ns + "text")!.Value;
        Assert.EndsWith("..", label);
        Assert.True(label.Length < 60, label);
    }

    [Fact]
    public void Nanoseconds_are_shown_as_time_and_empty_graph_says_so()
    {
        var graph = FlameGraph.FromStacks(new[] { S(300_000_000, "GET /x", "postgresql SELECT articles") });
        var svg = FlameGraphSvg.Render(graph, new FlameGraphSvgOptions { Unit = "nanoseconds" });
        Assert.Contains("postgresql SELECT articles (300 ms, 100%)", svg);

        var empty = FlameGraphSvg.Render(FlameGraph.FromStacks(Array.Empty<KeyValuePair<IReadOnlyList<string>, long>>()));
        Assert.Contains("no samples", empty);
        XDocument.Parse(empty);
    }

    [Fact]
    public void Control_characters_do_not_break_the_xml()
    {
        var graph = FlameGraph.FromStacks(new[] { S(1, "bad\u0001name\"'<>\uD800") });
        XDocument.Parse(FlameGraphSvg.Render(graph));
    }
}
