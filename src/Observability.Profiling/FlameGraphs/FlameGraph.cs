namespace Observability.Profiling.FlameGraphs;

/// <summary>A call tree merged from weighted stacks, ready to render as a flame graph.</summary>
public sealed class FlameGraph
{
    /// <summary>Name of the synthetic root frame that holds every stack.</summary>
    public const string RootName = "all";

    private FlameGraph(FlameNode root, int maxDepth)
    {
        Root = root;
        MaxDepth = maxDepth;
    }

    /// <summary>The synthetic root; its <see cref="FlameNode.Total"/> is the sum of all values.</summary>
    public FlameNode Root { get; }

    /// <summary>Depth of the deepest frame (0 when the graph is empty).</summary>
    public int MaxDepth { get; }

    /// <summary>
    /// Merges stacks into a tree. Each key is a stack listed root first; each value its weight
    /// (samples or nanoseconds). Non-positive weights and empty frame names are ignored.
    /// </summary>
    public static FlameGraph FromStacks(IEnumerable<KeyValuePair<IReadOnlyList<string>, long>> stacks)
    {
        ArgumentNullException.ThrowIfNull(stacks);
        var root = new FlameNode(RootName, null);
        var maxDepth = 0;
        foreach (var (stack, value) in stacks)
        {
            if (value <= 0 || stack is null) continue;
            var node = root;
            node.Total = checked(node.Total + value);
            foreach (var frame in stack)
            {
                if (string.IsNullOrEmpty(frame)) continue;
                node = node.GetOrAddChild(frame);
                node.Total += value;
            }
            node.Self += value;
            if (node.Depth > maxDepth) maxDepth = node.Depth;
        }
        root.SortRecursively();
        return new FlameGraph(root, maxDepth);
    }

    /// <summary>Every frame, depth first, parents before children.</summary>
    public IEnumerable<FlameNode> Nodes()
    {
        var stack = new Stack<FlameNode>();
        stack.Push(Root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            yield return node;
            for (var i = node.Children.Count - 1; i >= 0; i--) stack.Push(node.Children[i]);
        }
    }
}
