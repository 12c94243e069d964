namespace Observability.Profiling.Implementation.Perf.Symbols;

/// <summary>
/// Code address ranges and their names, for the sampler's lookups: sorted, disjoint ranges in arrays searched by
/// binary search. Additions wait in a pending list merged on the next lookup, so a burst of them (the runtime's first
/// jitdump read holds thousands) costs one merge. A newer range removes every older range it overlaps: the runtime
/// reuses code memory after it frees methods (collected dynamic methods) and logs no unloads. Bounded: beyond the
/// capacity new ranges are dropped and counted. Not thread-safe: one thread (the sampler's) adds and looks up.
/// </summary>
internal sealed class CodeRangeTable
{
    public const int DefaultCapacity = 1_000_000;

    private readonly int _capacity;
    private readonly List<(ulong Start, ulong End, string Name)> _pending = new();
    private ulong[] _starts = new ulong[256];
    private ulong[] _ends = new ulong[256];
    private string?[] _names = new string?[256];
    private int _count;

    public CodeRangeTable(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
    }

    /// <summary>Ranges held, pending ones merged.</summary>
    public int Count
    {
        get
        {
            Merge();
            return _count;
        }
    }

    /// <summary>Ranges not added because the table was full (counted with the ones pending, before any replacement).</summary>
    public long Dropped { get; private set; }

    /// <summary>Adds <c>[start, start + size)</c>; an empty range names nothing and is ignored.</summary>
    public void Add(ulong start, ulong size, string name)
    {
        if (size == 0) return;
        if (_count + _pending.Count >= _capacity)
        {
            Dropped++;
            return;
        }
        var end = start + size < start ? ulong.MaxValue : start + size;
        _pending.Add((start, end, name));
    }

    /// <summary>The name of the range holding <paramref name="address"/> (start &lt;= address &lt; start + size), or null.</summary>
    public string? Find(ulong address)
    {
        Merge();
        var i = _starts.AsSpan(0, _count).BinarySearch(address);
        if (i < 0) i = ~i - 1;
        return i >= 0 && address < _ends[i] ? _names[i] : null;
    }

    public bool Contains(ulong address) => Find(address) is not null;

    /// <summary>Every range held, by address.</summary>
    public IEnumerable<(ulong Start, ulong Size, string Name)> Ranges()
    {
        Merge();
        for (var i = 0; i < _count; i++) yield return (_starts[i], _ends[i] - _starts[i], _names[i]!);
    }

    private void Merge()
    {
        if (_pending.Count == 0) return;
        var kept = NewestOnly(_pending);
        RemoveOverlapped(_pending);
        Insert(kept);
        _pending.Clear();
    }

    /// <summary>
    /// The added ranges that no later-added range overlaps, by start. Sorted by start (ties by age), an entry meets the
    /// older ones that start before it and are still open (a min-heap of age: each is replaced once) and is itself replaced
    /// when a newer one of them is still open (a max-heap of age, closed ones dropped from its top as starts grow).
    /// </summary>
    private static List<(ulong Start, ulong End, string Name)> NewestOnly(List<(ulong Start, ulong End, string Name)> added)
    {
        var order = new int[added.Count];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(order, (a, b) => added[a].Start != added[b].Start ? added[a].Start.CompareTo(added[b].Start) : a.CompareTo(b));
        var replaced = new bool[added.Count];
        var newest = new PriorityQueue<int, int>();
        var oldest = new PriorityQueue<int, int>();
        foreach (var i in order)
        {
            var start = added[i].Start;
            while (newest.TryPeek(out var n, out _) && added[n].End <= start) newest.Dequeue();
            if (newest.TryPeek(out var top, out _) && top > i) replaced[i] = true;
            while (oldest.TryPeek(out var o, out _) && o < i)
            {
                oldest.Dequeue();
                if (added[o].End > start) replaced[o] = true;
            }
            newest.Enqueue(i, -i);
            if (!replaced[i]) oldest.Enqueue(i, i);
        }
        var kept = new List<(ulong Start, ulong End, string Name)>(added.Count);
        foreach (var i in order)
        {
            if (!replaced[i]) kept.Add(added[i]);
        }
        return kept;
    }

    /// <summary>Removes the held ranges that any added range overlaps (held ranges are all older).</summary>
    private void RemoveOverlapped(List<(ulong Start, ulong End, string Name)> added)
    {
        var removed = 0;
        foreach (var (start, end, _) in added)
        {
            // Held ranges are disjoint and sorted, so their ends are sorted too: the first one ending after start.
            var i = _ends.AsSpan(0, _count).BinarySearch(start);
            i = i < 0 ? ~i : i + 1;
            for (; i < _count && _starts[i] < end; i++)
            {
                if (_names[i] is null) continue;
                _names[i] = null;
                removed++;
            }
        }
        if (removed == 0) return;
        var w = 0;
        for (var r = 0; r < _count; r++)
        {
            if (_names[r] is null) continue;
            (_starts[w], _ends[w], _names[w]) = (_starts[r], _ends[r], _names[r]);
            w++;
        }
        Array.Clear(_names, w, _count - w);
        _count = w;
    }

    /// <summary>Merges sorted, disjoint ranges in from the back: new code usually lies above the old, so little moves.</summary>
    private void Insert(List<(ulong Start, ulong End, string Name)> kept)
    {
        var total = _count + kept.Count;
        if (total > _starts.Length)
        {
            var size = Math.Max(total, Math.Min(_starts.Length * 2, _capacity));
            Array.Resize(ref _starts, size);
            Array.Resize(ref _ends, size);
            Array.Resize(ref _names, size);
        }
        int a = _count - 1, b = kept.Count - 1;
        for (var w = total - 1; b >= 0; w--)
        {
            if (a >= 0 && _starts[a] > kept[b].Start)
            {
                (_starts[w], _ends[w], _names[w]) = (_starts[a], _ends[a], _names[a]);
                a--;
            }
            else
            {
                (_starts[w], _ends[w], _names[w]) = kept[b];
                b--;
            }
        }
        _count = total;
    }
}
