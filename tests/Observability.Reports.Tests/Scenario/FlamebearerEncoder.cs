using System.Text.Json.Nodes;

namespace Observability.Reports.Tests.Scenario;

/// <summary>
/// Builds a <c>/pyroscope/render</c> answer from stacks the way Pyroscope lays out its flamebearer: one row per depth,
/// nodes as [xDelta, total, self, nameIndex], a node's self before its children, children ordered by name.
/// </summary>
public static class FlamebearerEncoder
{
    private sealed class Node(string name)
    {
        public string Name { get; } = name;
        public long Total { get; set; }
        public long Self { get; set; }
        public SortedDictionary<string, Node> Children { get; } = new(StringComparer.Ordinal);
    }

    public static string RenderAnswer(IEnumerable<(string[] Frames, long Value)> stacks, string units = "samples")
    {
        var root = new Node("total");
        foreach (var (frames, value) in stacks)
        {
            var node = root;
            root.Total += value;
            foreach (var frame in frames)
            {
                if (!node.Children.TryGetValue(frame, out var child))
                {
                    node.Children[frame] = child = new Node(frame);
                }

                child.Total += value;
                node = child;
            }

            node.Self += value;
        }

        var names = new List<string>();
        var nameIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var levels = new List<List<long>>();
        var rowEnds = new List<long>();
        var maxSelf = 0L;
        void Visit(Node node, int depth, long x)
        {
            if (levels.Count == depth)
            {
                levels.Add([]);
                rowEnds.Add(0);
            }

            if (!nameIndex.TryGetValue(node.Name, out var index))
            {
                nameIndex[node.Name] = index = names.Count;
                names.Add(node.Name);
            }

            levels[depth].AddRange([x - rowEnds[depth], node.Total, node.Self, index]);
            rowEnds[depth] = x + node.Total;
            maxSelf = Math.Max(maxSelf, node.Self);
            var childX = x + node.Self;
            foreach (var child in node.Children.Values)
            {
                Visit(child, depth + 1, childX);
                childX += child.Total;
            }
        }

        Visit(root, 0, 0);
        var answer = new JsonObject
        {
            ["version"] = 1,
            ["flamebearer"] = new JsonObject
            {
                ["names"] = new JsonArray(names.Select(n => (JsonNode?)n).ToArray()),
                ["levels"] = new JsonArray(levels.Select(l => (JsonNode?)new JsonArray(l.Select(v => (JsonNode?)v).ToArray())).ToArray()),
                ["numTicks"] = root.Total,
                ["maxSelf"] = maxSelf,
            },
            ["metadata"] = new JsonObject { ["format"] = "single", ["spyName"] = "dotnet-eventpipe", ["sampleRate"] = 100, ["units"] = units, ["name"] = "" },
            ["timeline"] = null,
            ["groups"] = null,
            ["heatmap"] = null,
        };
        return answer.ToJsonString();
    }
}
