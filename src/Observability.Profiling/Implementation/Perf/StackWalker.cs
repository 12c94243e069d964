using System.Buffers.Binary;

namespace Observability.Profiling.Implementation.Perf;

/// <summary>
/// Turns a perf sample into return addresses, leaf first. The kernel walks frame pointers, which JIT'd .NET code keeps;
/// native code built without them (OpenSSL's bignum assembly, where RS256 checks spend their time; libc's memcpy) uses
/// the frame register for data, so the kernel's walk breaks right after the leaf. Such a walk is repaired from the copy
/// of the user stack each sample carries: scanning up from the stack pointer, call-site return addresses of native code
/// become frames, the first return address into managed code is the caller that entered native code, and the first
/// slot pair that forms a frame record (saved frame pointer above it, return address into managed code) with a valid
/// chain behind it is where the frame-pointer walk resumes, inside the copy.
/// </summary>
internal sealed class StackWalker
{
    /// <summary>Frame records the chain must show before a scanned slot is trusted as one.</summary>
    private const int LinksToTrust = 2;

    /// <summary>Frame-record candidates weighed per broken walk (bounds the work on a sample).</summary>
    private const int MaxCandidates = 16;

    private readonly ICodeAddresses _code;
    private readonly int _maxDepth;
    private readonly int _kernelMaxStack;

    public StackWalker(ICodeAddresses code, int maxDepth, int kernelMaxStack)
    {
        _code = code;
        _maxDepth = Math.Max(1, maxDepth);
        _kernelMaxStack = kernelMaxStack;
    }

    /// <summary>Fills <paramref name="into"/> with the sample's return addresses (leaf first) and says how they were found.</summary>
    public StackWalk Walk(in PerfSample sample, List<ulong> into)
    {
        into.Clear();
        foreach (var address in sample.Callchain)
        {
            if (address >= PerfConstants.ContextMax) continue;
            if (into.Count >= _maxDepth) return StackWalk.Truncated;
            into.Add(address);
        }
        if (into.Count > 0 && _code.IsThreadRoot(into[^1]))
        {
            RestoreLeafCaller(sample, into);
            return StackWalk.Whole;
        }
        var kernelCut = into.Count >= _kernelMaxStack;
        if (kernelCut && ContinueFromLast(sample, into)) return StackWalk.Whole;
        if (kernelCut || sample.Stack.Length < 16) return StackWalk.Truncated;

        // The kernel's walk broke: keep its leaf, rebuild the rest from the copied stack.
        var leaf = into.Count > 0 ? into[0] : sample.Ip;
        into.Clear();
        into.Add(leaf);
        return Repair(sample, into) ? StackWalk.Repaired : StackWalk.Truncated;
    }

    /// <summary>
    /// A native leaf that keeps no frame of its own (libc's memmove, other assembly) leaves the frame register to its
    /// caller, so the kernel's walk goes from the leaf straight to the caller's caller. Its return address is then the
    /// word at the stack pointer: when that is managed code the walk did not list, it goes back in after the leaf.
    /// </summary>
    private void RestoreLeafCaller(in PerfSample sample, List<ulong> into)
    {
        if (sample.Stack.Length < 8 || into.Count < 2 || _code.IsManaged(into[0])) return;
        var top = Read(sample.Stack, 0);
        if (top != into[1] && _code.IsManaged(top)) into.Insert(1, top);
    }

    /// <summary>
    /// Rebuilds a broken walk. Every slot pair that looks like a frame record (saved frame pointer, then a return address
    /// into managed code) with a believable chain is a candidate; stale records of earlier, deeper calls are candidates
    /// too, and their chains skip frames to join the live chain higher up. So the candidate with the longest chain is the
    /// live one. Below it: the managed return address nearest to it is the method that entered native code, and the
    /// native call-site return addresses under that are the native frames.
    /// </summary>
    private bool Repair(in PerfSample sample, List<ulong> into)
    {
        var stack = sample.Stack;
        int record = -1, longest = 0, candidates = 0;
        for (var offset = 8; offset + 8 <= stack.Length && candidates < MaxCandidates; offset += 8)
        {
            var value = Read(stack, offset);
            if (!_code.IsExecutable(value) || !_code.IsManaged(value)) continue;
            var framePointer = Read(stack, offset - 8);
            if (!Chained(sample, offset - 8, framePointer)) continue;
            candidates++;
            var length = ChainLength(sample, framePointer);

            if (length > longest)
            {
                (record, longest) = (offset - 8, length);
            }
        }
        var top = record < 0 ? stack.Length : record;
        var caller = -1;
        for (var offset = top - 8; offset >= 0; offset -= 8)
        {
            if (_code.IsManaged(Read(stack, offset)))
            {
                caller = offset;
                break;
            }
        }
        var nativeTop = caller < 0 ? top : caller;
        for (var offset = 0; offset < nativeTop && into.Count < _maxDepth; offset += 8)
        {
            var value = Read(stack, offset);
            if (_code.IsExecutable(value) && !_code.IsManaged(value) && _code.IsCallSite(value)) Add(into, value);
        }
        // The native callee may keep a frame record itself, whose return address is that same caller: once is enough.
        if (caller >= 0 && (record < 0 || !_code.SameMethod(Read(stack, caller), Read(stack, record + 8)))) Add(into, Read(stack, caller));
        if (record < 0 || into.Count >= _maxDepth) return false;
        Add(into, Read(stack, record + 8));
        return Follow(sample, Read(stack, record), into);
    }

    /// <summary>Frame records a chain runs through inside the copy (a walk that reaches the thread's start counts one more).</summary>
    private int ChainLength(in PerfSample sample, ulong framePointer)
    {
        var sp = sample.Sp;
        var length = 0;
        while (length < _maxDepth)
        {
            if (framePointer == 0) return length + 1;
            if ((framePointer & 7) != 0 || framePointer < sp) return length;
            var offset = framePointer - sp;
            if (offset + 16 > (ulong)sample.Stack.Length) return length;
            var returnAddress = Read(sample.Stack, (int)offset + 8);
            length++;
            if (_code.IsThreadRoot(returnAddress)) return length + 1;
            var next = Read(sample.Stack, (int)offset);
            if (next <= framePointer && next != 0) return length;
            framePointer = next;
        }
        return length;
    }

    /// <summary>Whether <paramref name="framePointer"/>, read at <paramref name="slotOffset"/>, starts a believable frame-pointer chain.</summary>
    private bool Chained(in PerfSample sample, int slotOffset, ulong framePointer)
    {
        var sp = sample.Sp;
        var below = sp + (ulong)slotOffset;
        for (var link = 0; link < LinksToTrust; link++)
        {
            if (framePointer == 0) return link > 0;
            if ((framePointer & 7) != 0 || framePointer <= below) return false;
            var offset = framePointer - sp;
            if (offset + 16 > (ulong)sample.Stack.Length) return link > 0; // Leaves the copy: what was seen must do.
            var returnAddress = Read(sample.Stack, (int)offset + 8);
            if (!_code.IsManaged(returnAddress) && !(_code.IsExecutable(returnAddress) && (_code.IsCallSite(returnAddress) || _code.IsThreadRoot(returnAddress)))) return false;
            below = framePointer;
            framePointer = Read(sample.Stack, (int)offset);
        }
        return true;
    }

    /// <summary>Walks frame records inside the copied stack from <paramref name="framePointer"/>; true when the walk ended at the thread's start.</summary>
    private bool Follow(in PerfSample sample, ulong framePointer, List<ulong> into)
    {
        var sp = sample.Sp;
        var stack = sample.Stack;
        while (into.Count < _maxDepth)
        {
            if (framePointer == 0) return true;
            if ((framePointer & 7) != 0 || framePointer < sp) return false;
            var offset = framePointer - sp;
            if (offset + 16 > (ulong)stack.Length) return false;
            var returnAddress = Read(stack, (int)offset + 8);
            if (returnAddress == 0) return true;
            Add(into, returnAddress);
            if (_code.IsThreadRoot(returnAddress)) return true;
            var next = Read(stack, (int)offset);
            if (next <= framePointer && next != 0) return false;
            framePointer = next;
        }
        return false;
    }

    /// <summary>
    /// The kernel stops at its frame limit (perf_event_max_stack, 127 by default). If the copied stack holds the last
    /// return address it gave, the frame record around it is found and the walk goes on from there.
    /// </summary>
    private bool ContinueFromLast(in PerfSample sample, List<ulong> into)
    {
        var last = into[^1];
        var stack = sample.Stack;
        for (var offset = 8; offset + 8 <= stack.Length; offset += 8)
        {
            if (Read(stack, offset) != last) continue;
            return Follow(sample, Read(stack, offset - 8), into);
        }
        return false;
    }

    private static void Add(List<ulong> into, ulong address)
    {
        if (into.Count == 0 || into[^1] != address) into.Add(address);
    }

    private static ulong Read(ReadOnlySpan<byte> stack, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(stack[offset..]);
}
