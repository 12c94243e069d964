namespace Observability.Profiling.Implementation.Perf;

/// <summary>How a sample's stack was obtained.</summary>
internal enum StackWalk
{
    /// <summary>The kernel's frame-pointer walk reached the thread's start.</summary>
    Whole,

    /// <summary>The kernel's walk broke (native code without frame pointers); the copied stack was scanned and the walk rejoined the frame-pointer chain.</summary>
    Repaired,

    /// <summary>The stack ends early: the walk broke and could not be repaired, or it left the copied part of the stack.</summary>
    Truncated,
}
