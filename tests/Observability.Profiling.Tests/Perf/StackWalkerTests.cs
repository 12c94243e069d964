using Observability.Profiling.Implementation.Perf;
using S = Observability.Profiling.Tests.Perf.SyntheticStack;

namespace Observability.Profiling.Tests.Perf;

/// <summary>The stack walker on made-up stacks: whole kernel walks, broken ones repaired from the copied stack, and the limits.</summary>
public sealed class StackWalkerTests
{
    [Fact]
    public void A_kernel_walk_that_reaches_the_thread_start_is_kept_as_it_is()
    {
        var stack = new S(8);
        var chain = new[] { PerfConstants.ContextMax + 1, S.Managed(1), S.Managed(2), S.ThreadRoot };
        var (walk, addresses) = Walk(stack, chain);
        Assert.Equal(StackWalk.Whole, walk);
        Assert.Equal(new[] { S.Managed(1), S.Managed(2), S.ThreadRoot }, addresses);
    }

    [Fact]
    public void A_walk_broken_in_native_code_is_rebuilt_from_the_copied_stack()
    {
        // A bignum routine (leaf) called by a native wrapper, called from managed method 1 (the P/Invoke), whose
        // frame chain goes on through managed methods 2 and 3 to the thread's start.
        var stack = new S(40);
        stack[0] = 0x1234_5678;                   // the routine's data
        stack[1] = S.NativeCallSite(1);           // return into the wrapper
        stack[2] = S.NativeNotCallSite(2);        // code-looking data, not after a call
        stack[3] = S.Managed(9);                  // a stale slot in the native frames: an earlier callee's return address
        stack[4] = S.Managed(1);                  // return into the P/Invoke caller
        stack.Record(8, S.At(16), S.Managed(2));  // the caller's frame record
        stack.Record(16, S.At(24), S.Managed(3));
        stack.Record(24, 0, S.ThreadRoot);
        var leaf = S.NativeNotCallSite(5);
        var (walk, addresses) = Walk(stack, new[] { leaf, 0xdead_beef_0000UL });
        Assert.Equal(StackWalk.Repaired, walk);
        Assert.Equal(new[] { leaf, S.NativeCallSite(1), S.Managed(1), S.Managed(2), S.Managed(3), S.ThreadRoot }, addresses);
    }

    [Fact]
    public void A_stale_frame_record_that_skips_to_a_frame_higher_up_loses_to_the_live_chain()
    {
        // Under the native frames lies the record of an earlier call whose chain jumps straight to method 4's frame;
        // the live record above it goes through methods 2, 3 and 4.
        var stack = new S(48);
        stack.Record(2, S.At(24), S.Managed(8));  // stale: skips to the frame of method 4
        stack[6] = S.Managed(1);                  // return into the P/Invoke caller
        stack.Record(10, S.At(16), S.Managed(2));
        stack.Record(16, S.At(24), S.Managed(3));
        stack.Record(24, S.At(32), S.Managed(4));
        stack.Record(32, 0, S.ThreadRoot);
        var leaf = S.NativeNotCallSite(1);
        var (walk, addresses) = Walk(stack, new[] { leaf });
        Assert.Equal(StackWalk.Repaired, walk);
        Assert.Equal(new[] { leaf, S.Managed(1), S.Managed(2), S.Managed(3), S.Managed(4), S.ThreadRoot }, addresses);
    }

    [Fact]
    public void A_slot_pair_whose_chain_does_not_hold_is_not_taken_for_a_frame_record()
    {
        var stack = new S(40);
        stack.Record(2, S.At(30), S.Managed(1));  // points up the stack, but to a "record" whose return address is data
        stack[30] = S.At(35);
        stack[31] = 0x42;
        stack.Record(10, S.At(20), S.Managed(2)); // the real record
        stack.Record(20, 0, S.ThreadRoot);
        var leaf = S.NativeNotCallSite(1);
        var (walk, addresses) = Walk(stack, new[] { leaf });
        Assert.Equal(StackWalk.Repaired, walk);
        // Method 1 stays, as the first managed return address (the caller that entered native code).
        Assert.Equal(new[] { leaf, S.Managed(1), S.Managed(2), S.ThreadRoot }, addresses);
    }

    [Fact]
    public void Without_a_frame_record_in_the_copy_the_stack_is_truncated_after_what_was_found()
    {
        var stack = new S(16);
        stack[1] = S.NativeCallSite(1);
        stack[3] = S.Managed(1);
        var leaf = S.NativeNotCallSite(1);
        var (walk, addresses) = Walk(stack, new[] { leaf });
        Assert.Equal(StackWalk.Truncated, walk);
        Assert.Equal(new[] { leaf, S.NativeCallSite(1), S.Managed(1) }, addresses);
    }

    [Fact]
    public void A_chain_that_leaves_the_copied_stack_is_truncated_there()
    {
        var stack = new S(16);
        stack.Record(2, S.At(10), S.Managed(1));
        stack.Record(10, S.At(14), S.Managed(2));
        stack.Record(14, S.At(400), S.Managed(3)); // the next record lies above the copy
        var leaf = S.NativeNotCallSite(1);
        var (walk, addresses) = Walk(stack, new[] { leaf });
        Assert.Equal(StackWalk.Truncated, walk);
        Assert.Equal(new[] { leaf, S.Managed(1), S.Managed(2), S.Managed(3) }, addresses);
    }

    [Fact]
    public void A_native_leaf_without_a_frame_of_its_own_gets_its_managed_caller_back()
    {
        // memmove keeps no frame: the kernel walks from the caller's frame pointer and skips the caller.
        var stack = new S(8);
        stack[0] = S.Managed(1);
        var leaf = S.NativeNotCallSite(1);
        var (walk, addresses) = Walk(stack, new[] { leaf, S.Managed(2), S.ThreadRoot });
        Assert.Equal(StackWalk.Whole, walk);
        Assert.Equal(new[] { leaf, S.Managed(1), S.Managed(2), S.ThreadRoot }, addresses);
    }

    [Fact]
    public void A_walk_the_kernel_cut_at_its_limit_goes_on_from_the_copied_stack()
    {
        var stack = new S(40);
        stack.Record(6, S.At(20), S.Managed(7));  // the record holding the kernel's last return address
        stack.Record(20, S.At(30), S.Managed(8));
        stack.Record(30, 0, S.ThreadRoot);
        var chain = Enumerable.Range(1, 6).Select(n => S.Managed(n)).Append(S.Managed(7)).ToArray();
        var (walk, addresses) = Walk(stack, chain, kernelMaxStack: chain.Length);
        Assert.Equal(StackWalk.Whole, walk);
        Assert.Equal(chain.Append(S.Managed(8)).Append(S.ThreadRoot), addresses);
    }

    [Fact]
    public void The_depth_limit_holds_on_every_path()
    {
        var stack = new S(400);
        for (var i = 0; i < 390; i += 2) stack.Record(i, S.At(i + 2), S.Managed(i));
        var (walk, addresses) = Walk(stack, new[] { S.NativeNotCallSite(1) }, maxDepth: 50);
        Assert.Equal(StackWalk.Truncated, walk);
        Assert.Equal(50, addresses.Count);
    }

    private static (StackWalk Walk, List<ulong> Addresses) Walk(S stack, ulong[] chain, int maxDepth = 256, int kernelMaxStack = 127)
    {
        var walker = new StackWalker(stack, maxDepth, kernelMaxStack);
        var addresses = new List<ulong>();
        var sample = stack.Sample(chain, stack.Bytes());
        var walk = walker.Walk(sample, addresses);
        return (walk, addresses);
    }
}
