namespace Observability.Profiling.Implementation.Profiles;

/// <summary>A stack (root first) plus labels, compared by content, hash computed once.</summary>
internal readonly struct StackKey : IEquatable<StackKey>
{
    private readonly int _hash;

    public StackKey(string[] frames, SampleLabels labels)
    {
        Frames = frames;
        Labels = labels;
        var hash = new HashCode();
        foreach (var frame in frames) hash.Add(frame);
        hash.Add(labels);
        _hash = hash.ToHashCode();
    }

    public string[] Frames { get; }

    public SampleLabels Labels { get; }

    public bool Equals(StackKey other)
    {
        if (_hash != other._hash || Frames.Length != other.Frames.Length || !Labels.Equals(other.Labels)) return false;
        for (var i = 0; i < Frames.Length; i++)
        {
            if (!string.Equals(Frames[i], other.Frames[i], StringComparison.Ordinal)) return false;
        }
        return true;
    }

    public override bool Equals(object? obj) => obj is StackKey other && Equals(other);

    public override int GetHashCode() => _hash;
}
