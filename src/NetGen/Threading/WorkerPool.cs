using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace NetGen.Threading;

/// <summary>An operation cut into parts that may run on different threads at the same time.</summary>
internal interface IPartitionedJob
{
    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/>; parts must not write the same memory.</summary>
    void RunPart(int part, int parts);
}

/// <summary>
/// Work cut into small chunks that helpers take on while they have no part of a job to do; see
/// <see cref="WorkerPool.TryPost"/>.
/// </summary>
internal interface IBackgroundJob
{
    /// <summary>How many chunks the work has (at most <see cref="WorkerPool.MaxChunks"/>).</summary>
    int Chunks { get; }

    /// <summary>Does chunk <paramref name="chunk"/>, on whichever thread claims it; chunks must not write the same memory.</summary>
    void RunChunk(int chunk);
}

/// <summary>
/// Runs the parts of one job on the calling thread and on helper threads that spin between jobs. A training step
/// issues a split product every few tens of microseconds, so the helpers stay awake and pick a part up within
/// about a microsecond; waking a sleeping thread would cost tens. After <see cref="SpinTime"/> without work a helper
/// sleeps, so an idle process does not burn a core.
/// </summary>
/// <remarks>
/// Parts are claimed, not assigned. Each thread first claims its own part (the caller part 0, helper h part h), so a
/// part that splits parameters the same way in every step (a kernel gradient's rows, the optimizer's slice of the
/// parameters) keeps running on the same core and its data stays in that core's cache. Then it takes any part nobody
/// has claimed yet: a helper that is asleep, descheduled or busy never delays the caller by more than the part it is
/// running, and with no helper at all the job simply runs on the caller. One job at a time uses the helpers; a caller
/// that finds them busy runs its job alone. Claims go through one 64-bit word holding the job's sequence number, its
/// part count and a bit per claimed part, so a helper can never claim a part of a job other than the one it read.
/// </remarks>
internal static class WorkerPool
{
    /// <summary>How long a helper spins for the next job before it sleeps.</summary>
    private static readonly long SpinTime = Stopwatch.Frequency / 10_000; // 0.1 ms: a training step's gaps are shorter

    // (sequence << 32) | (parts << 16) | one bit per claimed part.
    private static long s_state;
    private static int s_completed;
    private static IPartitionedJob? s_job;
    private static Exception? s_failure;
    private static int s_busy;
    private static Helper[] s_helpers = [];
    private static readonly object s_startLock = new();

    /// <summary>
    /// Runs every part of <paramref name="job"/> and returns when all are done. Uses up to
    /// <paramref name="parts"/> − 1 helpers, and no more than <see cref="Parallelism.MaxThreads"/> − 1 (but one); the caller
    /// always works too. A job with more parts than threads is balanced as it runs: whichever thread is free claims
    /// the next part.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(IPartitionedJob job, int parts)
    {
        // A job of no parts would return at once with nothing done: refused, not asserted, so a caller's slip cannot
        // leave an output unwritten in a release build.
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(parts, MaxParts);
        if (parts == 1 || Interlocked.CompareExchange(ref s_busy, 1, 0) != 0)
        {
            for (int part = 0; part < parts; part++)
            {
                job.RunPart(part, parts);
            }

            return;
        }

        try
        {
            // One helper per thread beyond the caller, and at least one: a job the caller split in two (having read
            // MaxThreads before another thread lowered it) still finds a helper, as before the cap.
            EnsureHelpers(Math.Min(parts - 1, Math.Max(1, Parallelism.MaxThreads - 1)));
            s_job = job;
            s_failure = null;
            s_completed = 0;
            uint sequence = Publish(ref s_state, parts);
            WorkOn(sequence, preferred: 0);
            SpinUntil(ref s_completed, parts);

            s_job = null;
            if (s_failure is { } failure)
            {
                s_failure = null;
                ExceptionDispatchInfo.Capture(failure).Throw();
            }
        }
        finally
        {
            Volatile.Write(ref s_busy, 0);
        }
    }

    // The background slot. s_backgroundOwned: 1 while a poster holds it (TryPost to Join). s_backgroundClaims:
    // (sequence << 32) | (chunks << 16) | next chunk to claim, so a claim can only ever take a chunk of the job it read.
    private static int s_backgroundOwned;
    private static long s_backgroundClaims;
    private static int s_backgroundDone;
    private static IBackgroundJob? s_background;
    private static Exception? s_backgroundFailure;

    /// <summary>The most chunks one background job can have.</summary>
    public const int MaxChunks = 0xFFFF;

    /// <summary>
    /// Offers <paramref name="job"/> to the helpers and returns at once; they run its chunks, one at a time, whenever
    /// they have no part of a job to do. The training loop gathers the next batch this way while the current one
    /// trains: a helper fills the gaps between the step's split products with it. A product published while a helper
    /// is in a chunk never waits for it: the caller runs that helper's part itself unless the helper, done with its
    /// chunk (1-2 µs), claims it first. False when there are no helpers (<see cref="Parallelism.MaxThreads"/> is 1) or
    /// another job holds the slot: then nothing was posted, and the caller runs the work itself. Only a post that
    /// returned true is finished with <see cref="Join"/>.
    /// </summary>
    public static bool TryPost(IBackgroundJob job)
    {
        int chunks = job.Chunks;
        Debug.Assert(chunks is >= 1 and <= MaxChunks, "Chunks fit the claim word.");
        if (Parallelism.MaxThreads < 2)
        {
            return false;
        }

        // Helpers first: if starting one fails, the slot is not left taken.
        EnsureHelpers(1);
        if (Interlocked.CompareExchange(ref s_backgroundOwned, 1, 0) != 0)
        {
            return false;
        }

        s_background = job;
        s_backgroundFailure = null;
        s_backgroundDone = 0;
        Publish(ref s_backgroundClaims, chunks);
        return true;
    }

    /// <summary>
    /// Finishes the job <see cref="TryPost"/> posted: runs every chunk no helper has claimed yet on the caller, then
    /// waits for the rest. An exception a chunk threw is rethrown here.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Join()
    {
        Debug.Assert(Volatile.Read(ref s_backgroundOwned) == 1, "Join follows a TryPost that returned true.");
        while (TryRunBackgroundChunk())
        {
        }

        int chunks = (int)((Volatile.Read(ref s_backgroundClaims) >> 16) & 0xFFFF);
        SpinUntil(ref s_backgroundDone, chunks);

        Exception? failure = s_backgroundFailure;
        s_backgroundFailure = null;
        s_background = null;
        Volatile.Write(ref s_backgroundOwned, 0);
        if (failure is not null)
        {
            ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    /// <summary>Whether the posted background job has a chunk nobody has claimed.</summary>
    private static bool BackgroundAvailable()
    {
        long claims = Volatile.Read(ref s_backgroundClaims);
        return (claims & 0xFFFF) < ((claims >> 16) & 0xFFFF);
    }

    /// <summary>Claims and runs one chunk of the posted background job; false when none is left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryRunBackgroundChunk()
    {
        while (true)
        {
            long claims = Volatile.Read(ref s_backgroundClaims);
            int next = (int)(claims & 0xFFFF), chunks = (int)((claims >> 16) & 0xFFFF);
            if (next >= chunks)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref s_backgroundClaims, claims + 1, claims) != claims)
            {
                continue;
            }

            // Read after the claim: the job cannot be joined, nor replaced, before this chunk is done.
            IBackgroundJob job = Volatile.Read(ref s_background)!;
            try
            {
                job.RunChunk(next);
            }
            catch (Exception e)
            {
                // The chunk still counts as done, so Join never waits forever.
                Interlocked.CompareExchange(ref s_backgroundFailure, e, null);
            }

            Interlocked.Increment(ref s_backgroundDone);
            return true;
        }
    }

    /// <summary>The most parts one job can have: one claim bit each.</summary>
    public const int MaxParts = 16;

    /// <summary>Claims and runs parts of job <paramref name="sequence"/>, its own first, until none is left unclaimed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WorkOn(uint sequence, int preferred)
    {
        while (TryClaim(sequence, preferred, out int part, out int parts))
        {
            // Read after the claim: the job cannot finish, nor be replaced, before this part is done.
            IPartitionedJob job = Volatile.Read(ref s_job)!;
            try
            {
                job.RunPart(part, parts);
            }
            catch (Exception e)
            {
                // Every claimed part still counts as completed, so the caller never waits forever.
                Interlocked.CompareExchange(ref s_failure, e, null);
            }

            Interlocked.Increment(ref s_completed);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryClaim(uint sequence, int preferred, out int part, out int parts)
    {
        while (true)
        {
            long state = Volatile.Read(ref s_state);
            parts = (int)((state >> 16) & 0xFFFF);
            int claimed = (int)(state & 0xFFFF);
            int unclaimed = ~claimed & ((1 << parts) - 1);
            if ((uint)((ulong)state >> 32) != sequence || unclaimed == 0)
            {
                part = -1;
                return false;
            }

            part = preferred < parts && (unclaimed & (1 << preferred)) != 0
                ? preferred
                : System.Numerics.BitOperations.TrailingZeroCount(unclaimed);
            if (Interlocked.CompareExchange(ref s_state, state | (1L << part), state) == state)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Units [Start, End) of share <paramref name="part"/> when <paramref name="count"/> units are cut into
    /// <paramref name="parts"/> near-equal shares in order: the one partition every split job uses (rows, passes,
    /// cache lines, gather rows), so shares never overlap and together cover every unit.
    /// </summary>
    internal static (int Start, int End) Share(int count, int part, int parts) =>
        ((int)((long)count * part / parts), (int)((long)count * (part + 1) / parts));

    /// <summary>
    /// Starts a new job in a claim word, (sequence &lt;&lt; 32) | (count &lt;&lt; 16) | claims (none yet), and wakes the
    /// helpers; returns the job's sequence number. The exchange is a full fence: everything the caller set up for the
    /// job is visible before any helper can claim a piece of it.
    /// </summary>
    private static uint Publish(ref long claimWord, int count)
    {
        uint sequence = (uint)((ulong)Volatile.Read(ref claimWord) >> 32) + 1;
        Interlocked.Exchange(ref claimWord, ((long)sequence << 32) | ((long)count << 16));
        foreach (Helper helper in s_helpers)
        {
            helper.Wake();
        }

        return sequence;
    }

    /// <summary>
    /// Waits until <paramref name="counter"/> reaches <paramref name="target"/>: the other threads' parts of a job
    /// normally finish within microseconds. It spins without yielding for <see cref="SpinTime"/> first, and only then
    /// backs off with yields, for a helper that was descheduled. A yield is a system call, and on a machine whose
    /// kernel isolates page tables without PCID (this project's VM) every system call flushes the TLB: .NET's
    /// SpinWait yielded about twice per MLP step, and the next part then ran up to 2× slower (Adam on 79 510
    /// parameters: 14.5 µs, 28-35 µs right after a system call).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SpinUntil(ref int counter, int target)
    {
        if (Volatile.Read(ref counter) >= target)
        {
            return;
        }

        long start = Stopwatch.GetTimestamp();
        SpinWait backoff = default;
        while (Volatile.Read(ref counter) < target)
        {
            if (Stopwatch.GetTimestamp() - start < SpinTime)
            {
                Thread.SpinWait(8);
            }
            else
            {
                backoff.SpinOnce(sleep1Threshold: -1);
            }
        }
    }

    private static void EnsureHelpers(int count)
    {
        if (s_helpers.Length >= count)
        {
            return;
        }

        lock (s_startLock)
        {
            Helper[] helpers = s_helpers;
            if (helpers.Length >= count)
            {
                return;
            }

            var grown = new Helper[count];
            helpers.CopyTo(grown, 0);
            for (int i = helpers.Length; i < count; i++)
            {
                grown[i] = new Helper(i + 1);
            }

            s_helpers = grown;
        }
    }

    /// <summary>One helper thread: spins for jobs, sleeps when there are none for a while.</summary>
    private sealed class Helper
    {
        private readonly SemaphoreSlim _signal = new(0);
        private int _sleeping;

        private readonly int _number;

        public Helper(int number)
        {
            _number = number;
            var thread = new Thread(Loop) { IsBackground = true, Name = $"NetGen worker {number}" };
            thread.Start();
        }

        /// <summary>Wakes the helper if it sleeps; called after a new job is published.</summary>
        public void Wake()
        {
            if (Interlocked.Exchange(ref _sleeping, 0) == 1)
            {
                _signal.Release();
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Loop()
        {
            uint seen = (uint)((ulong)Volatile.Read(ref s_state) >> 32);
            long idleSince = Stopwatch.GetTimestamp();
            while (true)
            {
                uint sequence = (uint)((ulong)Volatile.Read(ref s_state) >> 32);
                if (sequence != seen)
                {
                    seen = sequence;
                    WorkOn(sequence, preferred: _number);
                    idleSince = Stopwatch.GetTimestamp();
                    continue;
                }

                // No part to do: a chunk of background work, then look for a job again.
                if (TryRunBackgroundChunk())
                {
                    idleSince = Stopwatch.GetTimestamp();
                    continue;
                }

                if (Stopwatch.GetTimestamp() - idleSince < SpinTime)
                {
                    Thread.SpinWait(16);
                    continue;
                }

                // Announce the sleep, then look once more: either the publisher sees the flag and signals, or this
                // thread sees the new job or background job (both sides use full fences).
                Interlocked.Exchange(ref _sleeping, 1);
                if ((uint)((ulong)Volatile.Read(ref s_state) >> 32) == seen && !BackgroundAvailable())
                {
                    _signal.Wait();
                }

                Interlocked.Exchange(ref _sleeping, 0);
                idleSince = Stopwatch.GetTimestamp();
            }
        }
    }
}
