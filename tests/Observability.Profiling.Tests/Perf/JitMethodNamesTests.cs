using Observability.Profiling.Implementation.Perf.Symbols;

namespace Observability.Profiling.Tests.Perf;

public class JitMethodNamesTests
{
    [Theory]
    // Real lines of the runtime's jitdump and perf map.
    [InlineData(
        "void [System.Private.CoreLib] System.String::MakeSeparatorListAny(valuetype System.ReadOnlySpan`1<char>,valuetype System.ReadOnlySpan`1<char>,valuetype System.Collections.Generic.ValueListBuilder`1<int32>&)[InstrumentedTierOptimized]",
        "System.String.MakeSeparatorListAny")]
    [InlineData(
        "instance !0 [System.Linq] System.Linq.Enumerable+Iterator`1[System.Collections.Generic.KeyValuePair`2[System.__Canon,System.Int32]]::get_Current()[QuickJitted]",
        "System.Linq.Enumerable+Iterator`1[System.Collections.Generic.KeyValuePair`2[System.__Canon,System.Int32]].get_Current")]
    [InlineData(
        "instance int32 [Spike] Observability.Profiling.Implementation.Perf.PerfRing::Drain(class Observability.Profiling.Implementation.Perf.PerfRing/RecordHandler`1<!!0>,!!0&)[QuickJitted]",
        "Observability.Profiling.Implementation.Perf.PerfRing.Drain")]
    [InlineData(
        "class Microsoft.Win32.SafeHandles.SafeWaitHandle [System.Private.CoreLib] Interop+Kernel32::CreateEventEx(native int,string,uint32,uint32)[PreJIT]",
        "Interop+Kernel32.CreateEventEx")]
    [InlineData(
        "void [Microsoft.Diagnostics.NETCore.Client] Microsoft.Diagnostics.NETCore.Client.DiagnosticsClient::SerializePayloadArgument(!!0,class [System.Runtime]System.IO.BinaryWriter)[QuickJitted]",
        "Microsoft.Diagnostics.NETCore.Client.DiagnosticsClient.SerializePayloadArgument")]
    [InlineData(
        "instance valuetype [System.Runtime]System.DateTime [Microsoft.Diagnostics.NETCore.Client] Microsoft.Diagnostics.NETCore.Client.PidIpcEndpoint+<>c::<TryResolveAddress>b__23_0(string)[QuickJitted]",
        "Microsoft.Diagnostics.NETCore.Client.PidIpcEndpoint+<>c.<TryResolveAddress>b__23_0")]
    [InlineData(
        "instance bool [System.Net.Sockets] System.Net.Sockets.SocketAsyncContext+OperationQueue`1[System.__Canon]::StartAsyncOperation(class System.Net.Sockets.SocketAsyncContext,!0,int32,valuetype [System.Runtime]System.Threading.CancellationToken)[PreJIT]",
        "System.Net.Sockets.SocketAsyncContext+OperationQueue`1[System.__Canon].StartAsyncOperation")]
    [InlineData(
        "valuetype System.Memory`1<!0> [System.Private.CoreLib] System.Memory`1[System.Byte]::get_Empty()[PreJIT]",
        "System.Memory`1[System.Byte].get_Empty")]
    [InlineData("void [jitexp] Program::<Main>$(string[])[QuickJitted]", "Program.<Main>$")]
    [InlineData("instance void [System.Private.CoreLib] System.IO.BinaryReader::.ctor(class System.IO.Stream,class System.Text.Encoding,bool)[PreJIT]", "System.IO.BinaryReader..ctor")]
    [InlineData("!!0[] [System.Private.CoreLib] System.GC::<AllocateUninitializedArray>g__AllocateNewArrayWorker|77_0(int32,bool)[PreJIT]", "System.GC.<AllocateUninitializedArray>g__AllocateNewArrayWorker|77_0")]
    // Without tiers (DOTNET_PerfMapShowOptimizationTiers=0), without a parameter list, cold ReadyToRun parts.
    [InlineData("int32 [App] App.Jwt::Verify(string)", "App.Jwt.Verify")]
    [InlineData("void [App] App.Worker::Run[PreJit-cold]", "App.Worker.Run")]
    [InlineData("void App.Worker::Run()", "App.Worker.Run")]
    [InlineData("App.Worker::Run()", "App.Worker.Run")]
    // A method's own generic arguments, should the runtime write them, stay.
    [InlineData("!!0 [App] App.Cache::Get<int32>(string)", "App.Cache.Get<int32>")]
    // Stubs, grouped and numbered alike.
    [InlineData("stub CreateHelper<DynamicHelper>", "[stub: CreateHelper<DynamicHelper>]")]
    [InlineData("stub<12> CreateReturnConst<DynamicHelper>", "[stub: CreateReturnConst<DynamicHelper>]")]
    [InlineData("stub ReportStubBlock<MethodCallThunk>", "[stub: ReportStubBlock<MethodCallThunk>]")]
    [InlineData("stub<7>", "[stub]")]
    [InlineData("stub<7", "[stub]")]
    // Hostile text: returned trimmed.
    [InlineData("", "[unknown]")]
    [InlineData("   ", "[unknown]")]
    [InlineData(null, "[unknown]")]
    [InlineData("  no colons here  ", "no colons here")]
    [InlineData("::", "::")]
    [InlineData("void [M] ::Method()", "void [M] ::Method()")]
    [InlineData("void [M] T::()", "void [M] T::()")]
    [InlineData("void M] T]]::Method()", "void M] T]]::Method()")]
    [InlineData("[[[[::Method", "[[[[::Method")]
    [InlineData("void [M] T`1[[System.Int32]::Method()", "void [M] T`1[[System.Int32]::Method()")]
    [InlineData("void [M] T::Method(((", "T.Method")]
    public void Runtime_names_become_frame_text(string? runtimeName, string expected) =>
        Assert.Equal(expected, JitMethodNames.Clean(runtimeName));

    [Fact]
    public void Long_text_is_bounded()
    {
        var junk = new string('x', 10_000);
        Assert.Equal(JitMethodNames.MaxUnparsed, JitMethodNames.Clean(junk).Length);
        Assert.Equal(JitMethodNames.MaxUnparsed + "[stub: ]".Length, JitMethodNames.Clean("stub " + junk).Length);
        Assert.Equal(JitMethodNames.MaxUnparsed, JitMethodNames.Clean("[" + junk + "::M()").Length);
    }

    [Fact]
    public void Long_generic_types_keep_the_method_name()
    {
        var type = "App.Outer`1[" + string.Join(",", Enumerable.Repeat("System.Collections.Generic.List`1[System.Int32]", 100)) + "]";
        var frame = JitMethodNames.Clean($"instance void [App] {type}::MoveNext()[Tier1]");
        Assert.EndsWith("...MoveNext", frame, StringComparison.Ordinal);
        Assert.StartsWith("App.Outer`1[System.Collections.Generic.List`1[System.Int32],", frame, StringComparison.Ordinal);
        Assert.True(frame.Length < 1_100, frame.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
