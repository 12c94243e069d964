namespace Observability.Profiling.Implementation.Perf;

/// <summary>What the stack walker needs to know about an address of this process.</summary>
internal interface ICodeAddresses
{
    /// <summary>Inside an executable mapping (a module's code or the runtime's code heaps).</summary>
    bool IsExecutable(ulong address);

    /// <summary>Inside a method the runtime compiled or loaded precompiled (JIT'd or ReadyToRun).</summary>
    bool IsManaged(ulong address);

    /// <summary>Native code whose preceding instruction is a call: the address can be a return address.</summary>
    bool IsCallSite(ulong address);

    /// <summary>Both addresses lie in one named method.</summary>
    bool SameMethod(ulong first, ulong second);

    /// <summary>In the C library, where every thread starts (<c>start_thread</c>, <c>__libc_start_main</c>): a walk that ends there is whole.</summary>
    bool IsThreadRoot(ulong address);
}
