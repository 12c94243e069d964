using System.Globalization;

namespace Observability.Profiling.Implementation.Perf.Symbols;

/// <summary>
/// A snapshot of this process's executable mappings from <c>/proc/self/maps</c>, sorted by address, for the
/// stack walker's "is this code?" question (asked for thousands of stack slots a second) and for naming native frames.
/// </summary>
internal sealed class ProcessMaps
{
    /// <summary>Lines read at most: a process with more mappings than this is not one to walk stacks of in full.</summary>
    public const int MaxLines = 100_000;

    private readonly ulong[] _starts;
    private readonly ulong[] _ends;
    private readonly CodeMapping[] _mappings;

    private ProcessMaps(List<CodeMapping> mappings, string? problem)
    {
        mappings.Sort((a, b) => a.Start.CompareTo(b.Start));
        _mappings = mappings.ToArray();
        _starts = _mappings.Select(m => m.Start).ToArray();
        _ends = _mappings.Select(m => m.End).ToArray();
        Problem = problem;
    }

    /// <summary>Why the maps could not be read (then there are no mappings), else null.</summary>
    public string? Problem { get; }

    /// <summary>The executable mappings, by start address.</summary>
    public IReadOnlyList<CodeMapping> Mappings => _mappings;

    /// <summary>Reads <paramref name="path"/>; an unreadable file gives an empty snapshot with a <see cref="Problem"/>.</summary>
    public static ProcessMaps Read(string path = "/proc/self/maps")
    {
        try
        {
            using var reader = new StreamReader(path);
            return Parse(reader);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return new ProcessMaps(new List<CodeMapping>(), e.Message);
        }
    }

    /// <summary>Parses maps text, keeping the executable mappings and skipping lines it does not understand.</summary>
    public static ProcessMaps Parse(TextReader reader)
    {
        var mappings = new List<CodeMapping>();
        for (var lines = 0; lines < MaxLines && reader.ReadLine() is { } line; lines++)
        {
            if (ParseLine(line) is { } mapping) mappings.Add(mapping);
        }
        return new ProcessMaps(mappings, null);
    }

    /// <summary>Whether <paramref name="address"/> is inside an executable mapping.</summary>
    public bool IsExecutable(ulong address)
    {
        var i = IndexOf(address);
        return i >= 0;
    }

    /// <summary>The executable mapping holding <paramref name="address"/>, or null.</summary>
    public CodeMapping? Find(ulong address)
    {
        var i = IndexOf(address);
        return i >= 0 ? _mappings[i] : null;
    }

    private int IndexOf(ulong address)
    {
        // The last mapping starting at or below the address is the only one that can hold it: mappings do not overlap.
        var i = Array.BinarySearch(_starts, address);
        if (i < 0) i = ~i - 1;
        return i >= 0 && address < _ends[i] ? i : -1;
    }

    /// <summary>One line, <c>start-end perms offset dev inode [path]</c>; null unless executable and well formed.</summary>
    internal static CodeMapping? ParseLine(string line)
    {
        var rest = line.AsSpan();
        if (!NextField(ref rest, out var range) || !NextField(ref rest, out var perms) || !NextField(ref rest, out var offset) ||
            !NextField(ref rest, out _) || !NextField(ref rest, out _))
        {
            return null;
        }
        var dash = range.IndexOf('-');
        if (perms.Length < 4 || perms[2] != 'x' || dash <= 0 ||
            !TryHex(range[..dash], out var start) || !TryHex(range[(dash + 1)..], out var end) || end <= start ||
            !TryHex(offset, out var fileOffset))
        {
            return null;
        }
        // The path is everything after the inode's padding, spaces included.
        var path = rest.TrimStart(' ');
        const string deletedSuffix = " (deleted)";
        var deleted = path.EndsWith(deletedSuffix, StringComparison.Ordinal);
        if (deleted) path = path[..^deletedSuffix.Length];
        return new CodeMapping(start, end, fileOffset, path.IsEmpty ? null : path.ToString(), deleted);
    }

    private static bool NextField(ref ReadOnlySpan<char> rest, out ReadOnlySpan<char> field)
    {
        rest = rest.TrimStart(' ');
        var space = rest.IndexOf(' ');
        field = space < 0 ? rest : rest[..space];
        rest = space < 0 ? ReadOnlySpan<char>.Empty : rest[(space + 1)..];
        return !field.IsEmpty;
    }

    private static bool TryHex(ReadOnlySpan<char> text, out ulong value) =>
        ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
}
