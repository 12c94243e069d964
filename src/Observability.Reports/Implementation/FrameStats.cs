using Observability.Reports.Model;

namespace Observability.Reports.Implementation;

/// <summary>Per-function totals of a profile: self (leaf) and total (anywhere on the stack, once per stack).</summary>
internal sealed record FrameStats(string Name, long Self, long Total)
{
    public static List<FrameStats> Compute(ProfileData profile)
    {
        var self = new Dictionary<string, long>(StringComparer.Ordinal);
        var total = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var stack in profile.Stacks)
        {
            if (stack.Frames.Count == 0)
            {
                continue;
            }

            self[stack.Frames[^1]] = self.GetValueOrDefault(stack.Frames[^1]) + stack.Value;
            // A recursive function counts once per stack, or its total would exceed 100 %.
            foreach (var frame in stack.Frames.Distinct(StringComparer.Ordinal))
            {
                total[frame] = total.GetValueOrDefault(frame) + stack.Value;
            }
        }

        return total
            .Select(kv => new FrameStats(kv.Key, self.GetValueOrDefault(kv.Key), kv.Value))
            .OrderByDescending(f => f.Self)
            .ThenByDescending(f => f.Total)
            .ThenBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
    }

    public static long SumOf(ProfileData profile) => profile.Stacks.Sum(s => s.Value);
}
