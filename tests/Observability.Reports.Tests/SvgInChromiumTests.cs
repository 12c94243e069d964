using System.Net;
using Observability.Reports.Tests.Scenario;

namespace Observability.Reports.Tests;

/// <summary>The report's SVGs as a browser sees them: parsed without errors, decodable as images, titles present.</summary>
[Collection(ReportScenarioCollection.Name)]
public sealed class SvgInChromiumTests(ReportScenarioFixture fixture)
{
    [Theory]
    [InlineData("v1-run/latency.svg", "Latency, test v1-run")]
    [InlineData("v1-run/throughput.svg", "Throughput, test v1-run")]
    [InlineData("v1-run/flamegraph-cpu.svg", "CPU flame graph")]
    [InlineData("v2-run/flamegraph-request.svg", "Request time (spans, I/O included) flame graph")]
    [InlineData("compare-v1-run-vs-v2-run/flamegraph-diff-wall.svg", "Wall clock diff: v1-run → v2-run")]
    public async Task Svg_parses_in_chromium_and_shows_its_title(string file, string title)
    {
        var dom = await HeadlessChromium.DumpDomAsync(Path.Combine(fixture.ReportsDir, file));

        Assert.StartsWith("<svg", dom.TrimStart());
        Assert.DoesNotContain("parsererror", dom);
        Assert.DoesNotContain("This page contains the following errors", dom);
        // The title is one <text> run in both ScottPlot's and the flame graph renderer's output.
        Assert.Matches($"<text[^>]*>\\s*{System.Text.RegularExpressions.Regex.Escape(WebUtility.HtmlEncode(title).Replace("&#8594;", "→"))}\\s*</text>", dom);
    }

    [Fact]
    public async Task Every_svg_of_the_report_and_the_comparison_decodes_as_an_image()
    {
        var files = Directory.GetFiles(fixture.ReportsDir, "*.svg", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}partial{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(13, files.Count); // 2 charts + 3 flame graphs per run, 3 diff graphs
        var page = Path.Combine(fixture.ReportsDir, "images.html");
        var images = string.Concat(files.Select((f, i) =>
            $"<img id=\"i{i}\" src=\"{new Uri(f).AbsoluteUri}\" onload=\"mark(this, 'ok ' + this.naturalWidth)\" onerror=\"mark(this, 'broken')\">"));
        await File.WriteAllTextAsync(page,
            "<!doctype html><html><body><script>function mark(img, text) { const p = document.createElement('p'); p.className = 'r'; " +
            "p.textContent = img.id + ' ' + text; document.body.appendChild(p); }</script>" + images + "</body></html>");

        var dom = await HeadlessChromium.DumpDomAsync(page);

        for (var i = 0; i < files.Count; i++)
        {
            Assert.Matches($"<p class=\"r\">i{i} ok [1-9][0-9]+</p>", dom);
        }

        Assert.DoesNotContain(" broken</p>", dom);
    }
}
