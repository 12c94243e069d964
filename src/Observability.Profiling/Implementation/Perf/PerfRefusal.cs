namespace Observability.Profiling.Implementation.Perf;

/// <summary>Why perf events cannot be used here, in words an operator can act on.</summary>
internal static class PerfRefusal
{
    internal const string ParanoidFile = "/proc/sys/kernel/perf_event_paranoid";

    /// <summary>The kernel's <c>perf_event_paranoid</c> setting, or null when the file is missing (no perf events in the kernel).</summary>
    public static int? ReadParanoid(string path = ParanoidFile)
    {
        try
        {
            return int.TryParse(File.ReadAllText(path).Trim(), out var value) ? value : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Null when this platform can use the perf sampler, else why not.</summary>
    public static string? Platform(bool isLinux, System.Runtime.InteropServices.Architecture architecture, bool paranoidFileExists)
    {
        if (!isLinux) return "perf events exist on Linux only";
        if (architecture != System.Runtime.InteropServices.Architecture.X64) return $"the perf sampler supports x86-64 only (this process is {architecture})";
        if (!paranoidFileExists) return $"the kernel has no perf events ({ParanoidFile} is missing)";
        return null;
    }

    /// <summary>What the kernel's refusal means and what to do about it.</summary>
    public static string Describe(PerfFailure failure, int? paranoid, bool cpuWide = false)
    {
        var setting = paranoid is { } p ? $"kernel.perf_event_paranoid is {p}" : "kernel.perf_event_paranoid is unknown";
        return (failure.Step, failure.Errno) switch
        {
            (PerfStep.Open, PerfNative.EACCES or PerfNative.EPERM) when cpuWide && paranoid is not >= 3 =>
                $"perf_event_open was refused an event of a whole CPU (errno {failure.Errno}; {setting}): CPU-wide events need " +
                "CAP_PERFMON (compose: cap_add: [PERFMON]) or kernel.perf_event_paranoid at 0 or below. Without either, " +
                "CpuSampler=perf samples each thread instead",
            (PerfStep.Open, PerfNative.EACCES or PerfNative.EPERM) when paranoid >= 3 =>
                $"perf_event_open was refused (errno {failure.Errno}): {setting}, a level Debian's and Ubuntu's kernels add, " +
                "where only CAP_SYS_ADMIN passes (CAP_PERFMON is not enough). Set kernel.perf_event_paranoid to 2 on the host " +
                "(sysctl kernel.perf_event_paranoid=2; containers share the host's value), and in a container add CAP_PERFMON " +
                "(compose: cap_add: [PERFMON])",
            (PerfStep.Open, PerfNative.EACCES or PerfNative.EPERM) =>
                $"perf_event_open was refused (errno {failure.Errno}) although {setting}: a container's seccomp profile allows " +
                "it only with CAP_PERFMON or CAP_SYS_ADMIN (Docker's default). Give the container CAP_PERFMON (compose: cap_add: [PERFMON])",
            (PerfStep.Open, PerfNative.ENOSYS) =>
                "perf_event_open does not exist here (errno ENOSYS): the kernel was built without perf events, or a sandbox (gVisor, a strict seccomp profile) hides it",
            (PerfStep.Open, PerfNative.ENOENT or PerfNative.EOPNOTSUPP) =>
                $"the kernel has no task-clock software event or no user stack sampling (errno {failure.Errno})",
            (PerfStep.Open, PerfNative.EINVAL) =>
                "the kernel refused the event's settings (errno EINVAL): it is older than Linux 4.1 (clock selection) or lacks user register sampling",
            (PerfStep.Open, PerfNative.EMFILE) =>
                "the process has no file descriptors left for perf events (errno EMFILE): raise its open-files limit",
            (PerfStep.Mmap, PerfNative.EPERM or PerfNative.EACCES or PerfNative.ENOMEM) =>
                $"the perf ring buffers could not be mapped (errno {failure.Errno}): the locked-memory allowance is used up " +
                "(kernel.perf_event_mlock_kb per CPU for the user, then RLIMIT_MEMLOCK; other perf users of the same user count too). " +
                "Raise the memlock limit (compose: ulimits: memlock) or kernel.perf_event_mlock_kb",
            (PerfStep.SetOutput, _) =>
                $"the kernel refused to share a ring buffer between events (errno {failure.Errno})",
            _ => $"perf events failed at {failure.Step.ToString().ToLowerInvariant()} with errno {failure.Errno}",
        };
    }
}
