using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NetGen.Threading;

namespace NetGen.Tests.Threading;

public class WorkerPoolTests
{
    /// <summary>Counts how often each part ran, and on how many distinct threads.</summary>
    private sealed class CountingJob(int parts) : IPartitionedJob
    {
        public readonly int[] Runs = new int[parts];
        public readonly int[] Threads = new int[parts];

        public void RunPart(int part, int parts)
        {
            Assert.Equal(Runs.Length, parts);
            Interlocked.Increment(ref Runs[part]);
            Threads[part] = Environment.CurrentManagedThreadId;
            Thread.SpinWait(2000); // long enough that a helper gets a part
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(WorkerPool.MaxParts)]
    public void Every_part_runs_exactly_once(int parts)
    {
        for (int job = 0; job < 50; job++)
        {
            var counting = new CountingJob(parts);
            WorkerPool.Run(counting, parts);
            Assert.All(counting.Runs, runs => Assert.Equal(1, runs));
        }
    }

    [Fact]
    public void Helpers_take_parts_off_the_calling_thread()
    {
        // Over many jobs at least one part must have run elsewhere; a pool that never hands work out fails this.
        bool handedOut = false;
        for (int job = 0; job < 200 && !handedOut; job++)
        {
            var counting = new CountingJob(2);
            WorkerPool.Run(counting, 2);
            handedOut = counting.Threads.Any(t => t != Environment.CurrentManagedThreadId);
        }

        Assert.True(handedOut);
    }

    /// <summary>
    /// Part 0 (the caller's) holds on until a helper has started part 1, so the caller cannot run part 1 itself; part
    /// 1 then sleeps past the caller's spin phase (0.1 ms) before it counts as done.
    /// </summary>
    private sealed class SlowHelperPartJob : IPartitionedJob
    {
        public int Done;
        public int HelperStarted;
        public int CallerThread = Environment.CurrentManagedThreadId;

        public void RunPart(int part, int parts)
        {
            if (part == 0)
            {
                SpinWait.SpinUntil(() => Volatile.Read(ref HelperStarted) == 1, TimeSpan.FromSeconds(2));
            }
            else if (Environment.CurrentManagedThreadId != CallerThread)
            {
                Volatile.Write(ref HelperStarted, 1);
                Thread.Sleep(20);
            }

            Interlocked.Increment(ref Done);
        }
    }

    [Fact]
    public void Run_waits_for_a_helper_part_that_outlasts_the_spin_phase()
    {
        // The caller spins for 0.1 ms, then backs off with yields; either way it may only return once the helper's
        // part is done. A job that finds the pool busy (another test's) runs inline and proves nothing, so at least
        // one of several must have gone to a helper.
        int helped = 0;
        for (int job = 0; job < 10; job++)
        {
            var slow = new SlowHelperPartJob();
            WorkerPool.Run(slow, 2);
            Assert.Equal(2, Volatile.Read(ref slow.Done));
            helped += slow.HelperStarted;
        }

        Assert.True(helped > 0, "No part ran on a helper.");
    }

    private sealed class FailingJob : IPartitionedJob
    {
        public int Completed;

        public void RunPart(int part, int parts)
        {
            if (part == parts - 1)
            {
                throw new InvalidOperationException($"part {part} failed");
            }

            Interlocked.Increment(ref Completed);
        }
    }

    [Fact]
    public void A_failing_part_surfaces_on_the_caller_after_the_others_finish_and_the_pool_keeps_working()
    {
        var failing = new FailingJob();
        var error = Assert.Throws<InvalidOperationException>(() => WorkerPool.Run(failing, 4));
        Assert.Equal("part 3 failed", error.Message);
        Assert.Equal(3, failing.Completed);

        var counting = new CountingJob(4);
        WorkerPool.Run(counting, 4);
        Assert.All(counting.Runs, runs => Assert.Equal(1, runs));
    }

    [Fact]
    public void Concurrent_callers_each_get_every_part_of_their_own_job()
    {
        // Only one job at a time uses the helpers; the others run on their own thread. None may lose or repeat a part.
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            for (int job = 0; job < 100; job++)
            {
                var counting = new CountingJob(3);
                WorkerPool.Run(counting, 3);
                Assert.All(counting.Runs, runs => Assert.Equal(1, runs));
            }
        });
    }
}

public class ParallelismTests
{
    [Theory]
    [InlineData("1", 1)]
    [InlineData(" 4 ", 4)]
    [InlineData("8", 8)]
    [InlineData("0", null)]
    [InlineData("9", null)]
    [InlineData("-2", null)]
    [InlineData("two", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void NETGEN_THREADS_is_a_thread_count_from_1_to_MaxSupported(string? value, int? expected) =>
        Assert.Equal(expected, Parallelism.Parse(value));

    [Fact]
    public void MaxThreads_rejects_counts_out_of_range()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.MaxThreads = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.MaxThreads = Parallelism.MaxSupported + 1);
    }
}
