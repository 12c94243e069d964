using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using Observability.Profiling.Implementation.Perf.Symbols;

namespace Observability.Profiling.Tests.Perf;

/// <summary>The runtime's own jitdump of this test process: turned on once, read, and gone from disk.</summary>
[Collection(EventPipeCollection.Name)]
public class JitCodeNamesTests
{
    private const string Jitted = "Observability.Profiling.Tests.Perf.JitCodeNamesTests.CompiledAfterTheStart";

    // Every thread but the main one began there: precompiled (ReadyToRun) code that has run long before the start.
    private const string Precompiled = "System.Threading.Thread.StartCallback";

    [Fact]
    public void Names_methods_compiled_after_the_start_and_precompiled_framework_methods()
    {
        using var names = JitCodeNames.Start(out var problem);
        Assert.True(names is not null, problem);
        Assert.Null(problem);
        if (JitCodeNames.Setting(JitCodeNames.EnabledSetting) is not ("1" or "2"))
        {
            // The runtime writes to its open descriptor: the file is gone from disk as soon as it was opened.
            Assert.False(File.Exists(names.Path), names.Path);
        }
        Assert.True(names.Table.Count > 100, names.Table.Count.ToString(CultureInfo.InvariantCulture));

        var method = typeof(JitCodeNamesTests).GetMethod(nameof(CompiledAfterTheStart), BindingFlags.NonPublic | BindingFlags.Static)!;
        RuntimeHelpers.PrepareMethod(method.MethodHandle);
        Assert.Equal(42, CompiledAfterTheStart(41));

        // A .NET 10 runtime may stop writing at any moment (dotnet/runtime#132935): asked again, it starts over with every method.
        var missing = new[] { Jitted, Precompiled };
        var clock = Stopwatch.StartNew();
        while (missing.Length > 0 && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            names.Refresh();
            missing = missing.Except(names.Table.Ranges().Select(r => r.Name)).ToArray();
            if (missing.Length > 0) Thread.Sleep(50);
        }
        Assert.True(missing.Length == 0, $"not named: {string.Join(", ", missing)}; restarts: {names.Restarts}; problem: {names.Problem}");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int CompiledAfterTheStart(int value) => value + 1;
}
