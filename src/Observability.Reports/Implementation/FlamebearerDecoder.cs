using System.Text.Json;
using Observability.Reports.Model;

namespace Observability.Reports.Implementation;

/// <summary>
/// Turns Pyroscope's flamebearer (<c>names</c> + <c>levels</c>) back into root-first stacks with self values.
/// Row d holds the nodes at depth d as groups of four numbers <c>[xDelta, total, self, nameIndex]</c>; a node's x is
/// its xDelta plus the end (x + total) of the previous node in the row, and its parent is the node of row d-1 whose
/// [x, x + total) holds that x. Row 0 is the synthetic <c>total</c> node, left out of the stacks.
/// </summary>
internal static class FlamebearerDecoder
{
    private sealed record Node(long X, long Total, long Self, int Name, int Parent);

    public static List<StackSample> Decode(IReadOnlyList<string> names, IReadOnlyList<IReadOnlyList<long>> levels)
    {
        var rows = new List<List<Node>>(levels.Count);
        for (var depth = 0; depth < levels.Count; depth++)
        {
            var values = levels[depth];
            if (values.Count % 4 != 0)
            {
                throw new FormatException($"flamebearer level {depth} has {values.Count} numbers, not a multiple of 4");
            }

            var row = new List<Node>(values.Count / 4);
            var parentRow = depth == 0 ? null : rows[depth - 1];
            var parentIndex = 0;
            long x = 0;
            for (var i = 0; i < values.Count; i += 4)
            {
                x += values[i];
                var name = (int)values[i + 3];
                if (name < 0 || name >= names.Count)
                {
                    throw new FormatException($"flamebearer level {depth} names index {name}, but there are {names.Count} names");
                }

                var parent = -1;
                if (parentRow is not null)
                {
                    // Rows are ordered by x, so the parent search only moves forward.
                    while (parentIndex < parentRow.Count && parentRow[parentIndex].X + parentRow[parentIndex].Total <= x)
                    {
                        parentIndex++;
                    }

                    if (parentIndex == parentRow.Count || parentRow[parentIndex].X > x)
                    {
                        throw new FormatException($"flamebearer node at level {depth}, x={x} has no parent");
                    }

                    parent = parentIndex;
                }

                row.Add(new Node(x, values[i + 1], values[i + 2], name, parent));
                x += values[i + 1];
            }

            rows.Add(row);
        }

        var stacks = new List<StackSample>();
        for (var depth = 1; depth < rows.Count; depth++)
        {
            foreach (var node in rows[depth].Where(n => n.Self > 0))
            {
                var frames = new string[depth];
                var current = node;
                for (var d = depth; d >= 1; d--)
                {
                    frames[d - 1] = names[current.Name];
                    current = d > 1 ? rows[d - 1][current.Parent] : current;
                }

                stacks.Add(new StackSample(frames, node.Self));
            }
        }

        return stacks;
    }

    /// <summary>Reads the <c>flamebearer</c> object of a <c>/pyroscope/render</c> answer.</summary>
    public static (List<StackSample> Stacks, long NumTicks) FromRenderJson(JsonElement root)
    {
        if (!root.TryGetProperty("flamebearer", out var fb) || fb.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("the answer has no flamebearer object");
        }

        var names = fb.GetProperty("names").EnumerateArray().Select(n => n.GetString() ?? "").ToList();
        var levels = fb.GetProperty("levels").EnumerateArray()
            .Select(row => (IReadOnlyList<long>)row.EnumerateArray().Select(v => v.GetInt64()).ToList())
            .ToList();
        var numTicks = fb.TryGetProperty("numTicks", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt64() : 0;
        return (Decode(names, levels), numTicks);
    }
}
