using System.Globalization;
using System.Text;
using Observability.Profiling.FlameGraphs.Implementation;

namespace Observability.Profiling.FlameGraphs;

/// <summary>
/// Renders a <see cref="FlameGraph"/> as one self-contained SVG (no scripts, no external files), so it
/// can be opened in a browser or embedded in a Markdown report. The root is at the bottom, callees
/// above their callers, widths proportional to value; every frame has a hover title.
/// </summary>
public static class FlameGraphSvg
{
    private const double FontSize = 12;
    private const double CharWidth = 7.0; // Average advance of a 12 px sans-serif glyph, slightly generous.
    private const double Margin = 10;
    private const double HeaderHeight = 52;

    /// <summary>Renders <paramref name="graph"/> to SVG text.</summary>
    public static string Render(FlameGraph graph, FlameGraphSvgOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        options ??= new FlameGraphSvgOptions();
        var width = Math.Max(200, options.Width);
        var frameHeight = Math.Max(10, options.FrameHeight);
        var rows = graph.MaxDepth + 1;
        var height = HeaderHeight + rows * frameHeight + Margin * 2;
        var inv = CultureInfo.InvariantCulture;

        var sb = new StringBuilder(4096);
        sb.Append(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{width}\" height=\"{SvgText.Num(height)}\" ")
          .Append(inv, $"viewBox=\"0 0 {width} {SvgText.Num(height)}\" font-family=\"Verdana, 'DejaVu Sans', Arial, sans-serif\" font-size=\"{FontSize}\">\n");
        sb.Append("<style>rect.f{stroke:#fff;stroke-width:0.5}g.n:hover rect.f{stroke:#000;stroke-width:1}text{fill:#111}</style>\n");
        sb.Append(inv, $"<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{SvgText.Num(height)}\" fill=\"#f8f8f8\"/>\n");
        sb.Append(inv, $"<text x=\"{width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"17\" font-weight=\"bold\">{SvgText.Escape(options.Title)}</text>\n");
        var subtitle = options.Subtitle is null ? "" : options.Subtitle + " · ";
        subtitle += "total " + SvgText.FormatValue(graph.Root.Total, options.Unit);
        sb.Append(inv, $"<text x=\"{width / 2}\" y=\"40\" text-anchor=\"middle\" fill=\"#555\">{SvgText.Escape(subtitle)}</text>\n");

        if (graph.Root.Total > 0)
        {
            var scale = (width - 2 * Margin) / graph.Root.Total;
            var bottom = HeaderHeight + Margin + graph.MaxDepth * frameHeight;
            WriteFrame(sb, graph.Root, Margin, scale, bottom, frameHeight, graph.Root.Total, options);
        }
        else
        {
            sb.Append(inv, $"<text x=\"{width / 2}\" y=\"{SvgText.Num(HeaderHeight + Margin + FontSize)}\" text-anchor=\"middle\">no samples</text>\n");
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    // Depth-first with an explicit stack: deep recursive call paths must not overflow ours.
    private static void WriteFrame(StringBuilder sb, FlameNode root, double rootX, double scale, double bottom,
        int frameHeight, long grandTotal, FlameGraphSvgOptions options)
    {
        var work = new Stack<(FlameNode Node, double X)>();
        work.Push((root, rootX));
        while (work.Count > 0)
        {
            var (node, x) = work.Pop();
            var w = node.Total * scale;
            if (w < options.MinFrameWidth) continue;
            var y = bottom - node.Depth * frameHeight;
            var fill = options.FillColor?.Invoke(node) ?? (node.Parent is null ? "rgb(200,200,205)" : NamespaceColors.For(node.Name));
            var percent = 100.0 * node.Total / grandTotal;
            var title = $"{node.Name} ({SvgText.FormatValue(node.Total, options.Unit)}, {percent.ToString("0.##", CultureInfo.InvariantCulture)}%";
            if (node.Self > 0 && node.Self != node.Total) title += $"; self {SvgText.FormatValue(node.Self, options.Unit)}";
            title += ")";

            sb.Append("<g class=\"n\"><title>").Append(SvgText.Escape(title)).Append("</title>");
            sb.Append("<rect class=\"f\" x=\"").Append(SvgText.Num(x)).Append("\" y=\"").Append(SvgText.Num(y))
              .Append("\" width=\"").Append(SvgText.Num(w)).Append("\" height=\"").Append(frameHeight - 1)
              .Append("\" rx=\"2\" fill=\"").Append(SvgText.Escape(fill)).Append("\"/>");
            var label = SvgText.Fit(node.Name, (int)((w - 6) / CharWidth));
            if (label is not null)
            {
                sb.Append("<text x=\"").Append(SvgText.Num(x + 3)).Append("\" y=\"").Append(SvgText.Num(y + frameHeight - 5))
                  .Append("\">").Append(SvgText.Escape(label)).Append("</text>");
            }
            sb.Append("</g>\n");

            var childX = x;
            foreach (var child in node.Children)
            {
                work.Push((child, childX));
                childX += child.Total * scale;
            }
        }
    }
}
