using Observability.Profiling.Implementation.Perf.Symbols;

namespace Observability.Profiling.Tests.Perf;

public class CodeRangeTableTests
{
    [Theory]
    [InlineData(0x0fffUL, null)]
    [InlineData(0x1000UL, "A")]
    [InlineData(0x10ffUL, "A")]
    [InlineData(0x1100UL, "B")]
    [InlineData(0x11ffUL, "B")]
    [InlineData(0x1200UL, null)]
    [InlineData(0x2000UL, "C")]
    [InlineData(0x2000UL + 0xffff, "C")]
    [InlineData(0x2000UL + 0x10000, null)]
    [InlineData(ulong.MaxValue - 1, "Top")]
    [InlineData(0UL, null)]
    public void Finds_the_range_holding_an_address(ulong address, string? expected)
    {
        var table = new CodeRangeTable();
        table.Add(0x2000, 0x10000, "C");
        table.Add(0x1100, 0x100, "B");
        table.Add(0x1000, 0x100, "A");
        table.Add(ulong.MaxValue - 0x10, 0x1000, "Top");
        table.Add(0x5000, 0, "Empty");
        Assert.Equal(expected, table.Find(address));
        Assert.Equal(expected is not null, table.Contains(address));
        Assert.Equal(4, table.Count);
    }

    [Theory]
    // One batch, or each range added and looked up before the next: the same answer.
    [InlineData(false)]
    [InlineData(true)]
    public void Newer_ranges_replace_the_older_ones_they_overlap(bool lookUpBetweenAdds)
    {
        var table = new CodeRangeTable();
        void Add(ulong start, ulong size, string name)
        {
            table.Add(start, size, name);
            if (lookUpBetweenAdds) table.Find(0);
        }
        Add(0x1000, 0x100, "old1");
        Add(0x1100, 0x100, "old2");
        Add(0x1300, 0x100, "kept");
        Add(0x10f0, 0x20, "new");        // overlaps old1 and old2: both go, entirely
        Add(0x2000, 0x100, "first");
        Add(0x2000, 0x100, "second");    // the same range again: the newer name wins
        Add(0x3000, 0x1000, "outer");
        Add(0x3800, 0x10, "inner");      // inside outer: outer goes
        Add(0x4000, 0x100, "a");
        Add(0x4080, 0x100, "b");         // replaces a
        Add(0x4100, 0x100, "c");         // replaces b, though b replaced a: a stays gone
        Assert.Null(table.Find(0x1000));
        Assert.Equal("new", table.Find(0x10f0));
        Assert.Null(table.Find(0x1150));
        Assert.Equal("kept", table.Find(0x1300));
        Assert.Equal("second", table.Find(0x2050));
        Assert.Null(table.Find(0x3000));
        Assert.Equal("inner", table.Find(0x3805));
        Assert.Null(table.Find(0x4000));
        Assert.Null(table.Find(0x40a0));
        Assert.Equal("c", table.Find(0x4150));
        Assert.Equal(new[] { "new", "kept", "second", "inner", "c" }, table.Ranges().Select(r => r.Name));
    }

    [Fact]
    public void Beyond_its_capacity_new_ranges_are_dropped_and_counted()
    {
        var table = new CodeRangeTable(capacity: 3);
        for (var i = 0UL; i < 5; i++) table.Add(i * 0x100, 0x10, $"m{i}");
        Assert.Equal(3, table.Count);
        Assert.Equal(2, table.Dropped);
        Assert.Equal("m2", table.Find(0x205));
        Assert.Null(table.Find(0x305));
    }

    [Fact]
    public void Random_adds_and_lookups_agree_with_a_brute_force_model()
    {
        var random = new Random(20_260_905);
        var table = new CodeRangeTable();
        // The model replays every add in order: a new range removes all the older ranges it overlaps.
        var model = new List<(ulong Start, ulong End, string Name)>();
        for (var batch = 0; batch < 60; batch++)
        {
            var adds = random.Next(1, batch == 0 ? 2_000 : 80);
            for (var i = 0; i < adds; i++)
            {
                var start = (ulong)random.Next(0, 200_000);
                var size = (ulong)(random.Next(0, 10) == 0 ? random.Next(1, 3_000) : random.Next(1, 120));
                var name = $"r{batch}.{i}";
                table.Add(start, size, name);
                model.RemoveAll(r => r.Start < start + size && start < r.End);
                model.Add((start, start + size, name));
            }
            for (var probe = 0; probe < 2_000; probe++)
            {
                var address = (ulong)random.Next(0, 205_000);
                var expected = model.Where(r => r.Start <= address && address < r.End).Select(r => r.Name).SingleOrDefault();
                Assert.Equal(expected, table.Find(address));
            }
            Assert.Equal(model.Count, table.Count);
        }
    }
}
