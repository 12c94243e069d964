namespace Observability.Profiling.FlameGraphs;

/// <summary>One frame of a <see cref="FlameGraph"/>: a function (or span) reached by one call path.</summary>
public sealed class FlameNode
{
    private readonly List<FlameNode> _children = new();
    private Dictionary<string, FlameNode>? _byName;

    internal FlameNode(string name, FlameNode? parent)
    {
        Name = name;
        Parent = parent;
        Depth = parent is null ? 0 : parent.Depth + 1;
    }

    /// <summary>Frame text (for example <c>Namespace.Type.Method</c>).</summary>
    public string Name { get; }

    /// <summary>Value of this frame and everything it called.</summary>
    public long Total { get; internal set; }

    /// <summary>Value spent in this frame itself (leaf samples).</summary>
    public long Self { get; internal set; }

    /// <summary>The caller, or null for the root.</summary>
    public FlameNode? Parent { get; }

    /// <summary>Distance from the root (the root is 0).</summary>
    public int Depth { get; }

    /// <summary>Callees, ordered by name so two graphs of the same code line up.</summary>
    public IReadOnlyList<FlameNode> Children => _children;

    internal FlameNode GetOrAddChild(string name)
    {
        // Few children are the common case: a list scan is cheaper than a dictionary until it grows.
        if (_byName is null)
        {
            foreach (var child in _children)
            {
                if (child.Name == name) return child;
            }
            if (_children.Count >= 8)
            {
                _byName = new Dictionary<string, FlameNode>(StringComparer.Ordinal);
                foreach (var child in _children) _byName[child.Name] = child;
            }
        }
        else if (_byName.TryGetValue(name, out var found))
        {
            return found;
        }

        var created = new FlameNode(name, this);
        _children.Add(created);
        _byName?.Add(name, created);
        return created;
    }

    internal void SortRecursively()
    {
        _children.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        _byName = null;
        foreach (var child in _children) child.SortRecursively();
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} (total {Total}, self {Self})";
}
