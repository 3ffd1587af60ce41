using System;
using System.Linq;
using System.Threading;
using NetGen.Threading;
using NetGen.Tests.Models;

namespace NetGen.Tests.Threading;

/// <summary>
/// <see cref="WorkerPool.TryPost"/> and <see cref="WorkerPool.Join"/>: background work (the next batch's gather) that
/// helpers do between the parts of split jobs. In the thread-count collection, so nothing else holds the slot.
/// </summary>
[Collection(ThreadCountCollection.Name)]
public class BackgroundJobTests
{
    /// <summary>Counts how often each chunk ran, and on which thread.</summary>
    private sealed class CountingChunks(int chunks, int spin = 500) : IBackgroundJob
    {
        public readonly int[] Runs = new int[chunks];
        public readonly int[] Threads = new int[chunks];

        public int Chunks => Runs.Length;

        public void RunChunk(int chunk)
        {
            Interlocked.Increment(ref Runs[chunk]);
            Threads[chunk] = Environment.CurrentManagedThreadId;
            Thread.SpinWait(spin);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(1000)]
    public void Every_chunk_runs_exactly_once(int chunks)
    {
        using var scope = new ThreadScope(2);
        for (int job = 0; job < 20; job++)
        {
            var counting = new CountingChunks(chunks);
            Assert.True(WorkerPool.TryPost(counting));
            WorkerPool.Join();
            Assert.All(counting.Runs, runs => Assert.Equal(1, runs));
        }
    }

    [Fact]
    public void Helpers_run_chunks_while_the_caller_does_other_work()
    {
        using var scope = new ThreadScope(2);
        bool handedOut = false;
        for (int job = 0; job < 200 && !handedOut; job++)
        {
            var counting = new CountingChunks(8);
            Assert.True(WorkerPool.TryPost(counting));
            Thread.SpinWait(20_000); // the caller's own work: a training step
            WorkerPool.Join();
            handedOut = counting.Threads.Any(t => t != Environment.CurrentManagedThreadId);
        }

        Assert.True(handedOut);
    }

    [Fact]
    public void With_one_thread_or_while_the_slot_is_held_nothing_is_posted()
    {
        using (new ThreadScope(1))
        {
            Assert.False(WorkerPool.TryPost(new CountingChunks(4)));
        }

        using (new ThreadScope(2))
        {
            var first = new CountingChunks(4);
            var second = new CountingChunks(4);
            Assert.True(WorkerPool.TryPost(first));
            Assert.False(WorkerPool.TryPost(second));
            WorkerPool.Join();
            Assert.All(first.Runs, runs => Assert.Equal(1, runs));
            Assert.All(second.Runs, runs => Assert.Equal(0, runs));

            // Joined: the slot is free again.
            Assert.True(WorkerPool.TryPost(second));
            WorkerPool.Join();
            Assert.All(second.Runs, runs => Assert.Equal(1, runs));
        }
    }

    private sealed class FailingChunks : IBackgroundJob
    {
        public int Completed;

        public int Chunks => 6;

        public void RunChunk(int chunk)
        {
            if (chunk == 2)
            {
                throw new InvalidOperationException("chunk 2 failed");
            }

            Interlocked.Increment(ref Completed);
        }
    }

    [Fact]
    public void A_failing_chunk_surfaces_in_Join_after_the_others_and_frees_the_slot()
    {
        using var scope = new ThreadScope(2);
        var failing = new FailingChunks();
        Assert.True(WorkerPool.TryPost(failing));
        var error = Assert.Throws<InvalidOperationException>(WorkerPool.Join);
        Assert.Equal("chunk 2 failed", error.Message);
        Assert.Equal(5, failing.Completed);

        var counting = new CountingChunks(4);
        Assert.True(WorkerPool.TryPost(counting));
        WorkerPool.Join();
        Assert.All(counting.Runs, runs => Assert.Equal(1, runs));
    }

    private sealed class CountingParts(int parts) : IPartitionedJob
    {
        public readonly int[] Runs = new int[parts];

        public void RunPart(int part, int parts) => Interlocked.Increment(ref Runs[part]);
    }

    [Fact]
    public void Split_jobs_run_while_background_work_is_pending_and_both_complete()
    {
        using var scope = new ThreadScope(2);
        for (int round = 0; round < 50; round++)
        {
            var background = new CountingChunks(16, spin: 2000);
            Assert.True(WorkerPool.TryPost(background));
            for (int job = 0; job < 5; job++)
            {
                var parts = new CountingParts(2);
                WorkerPool.Run(parts, 2);
                Assert.All(parts.Runs, runs => Assert.Equal(1, runs));
            }

            WorkerPool.Join();
            Assert.All(background.Runs, runs => Assert.Equal(1, runs));
        }
    }

    [Fact]
    public void A_fit_that_throws_mid_epoch_leaves_no_background_gather_behind()
    {
        // Three batches per epoch: every step but the last posts the next batch's gather, and the loss turns
        // non-finite at one of those, so the exception leaves Fit while a gather is posted.
        using var scope = new ThreadScope(2);
        var model = new Regressor(seed: 2);
        model.Compile(new NetGen.Optimizers.Sgd(learningRate: 1e30f));
        var x = new float[12, 3];
        var y = new float[12, 2];
        for (int i = 0; i < 12; i++)
        {
            x[i, 0] = i;
            y[i, 0] = 1000 * i;
        }

        var error = Assert.Throws<NetGen.Training.TrainingDivergedException>(() => model.Fit(x, y, epochs: 50, batchSize: 4, verbose: 0));
        Assert.True(error.Step < 2, $"diverged at step {error.Step}, which posts no gather");

        var counting = new CountingChunks(4);
        Assert.True(WorkerPool.TryPost(counting), "the slot was released");
        WorkerPool.Join();
    }
}
