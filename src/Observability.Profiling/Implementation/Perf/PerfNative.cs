using System.Runtime.InteropServices;

namespace Observability.Profiling.Implementation.Perf;

/// <summary>The libc calls behind the perf-events sampler (Linux x86-64).</summary>
internal static unsafe partial class PerfNative
{
    private const long SysPerfEventOpenX64 = 298;

    public const int ProtRead = 1;
    public const int ProtWrite = 2;
    public const int MapShared = 1;
    public const short PollIn = 1;

    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EBADF = 9;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int EINVAL = 22;
    public const int EMFILE = 24;
    public const int ENOSYS = 38;
    public const int EOPNOTSUPP = 95;

    /// <summary><c>perf_event_open</c>; the fd, or -1 with <see cref="Marshal.GetLastPInvokeError"/> set.</summary>
    public static int PerfEventOpen(ref PerfEventAttr attr, int tid, int cpu, ulong flags)
    {
        fixed (PerfEventAttr* p = &attr)
        {
            // syscall(2) is variadic: every argument goes as a 64-bit value.
            return (int)syscall(SysPerfEventOpenX64, (long)p, tid, cpu, -1, (long)flags);
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial long syscall(long number, long a1, long a2, long a3, long a4, long a5);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int munmap(nint address, nuint length);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int ioctl(int fd, ulong request, ulong argument);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int eventfd(uint initial, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint write(int fd, ulong* value, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint read(int fd, ulong* value, nuint count);

    public const int EfdCloexec = 0x80000;
    public const int EfdNonblock = 0x800;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int sched_getaffinity(int pid, nuint size, byte* mask);

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    /// <summary>The CPUs this process may run on (its affinity mask); every online CPU when the mask cannot be read.</summary>
    public static int[] AllowedCpus()
    {
        const int bytes = 1024 / 8;
        var mask = stackalloc byte[bytes];
        if (sched_getaffinity(0, bytes, mask) != 0) return Enumerable.Range(0, Environment.ProcessorCount).ToArray();
        var cpus = new List<int>();
        for (var i = 0; i < bytes * 8; i++)
        {
            if ((mask[i / 8] & (1 << (i % 8))) != 0) cpus.Add(i);
        }
        return cpus.ToArray();
    }
}
