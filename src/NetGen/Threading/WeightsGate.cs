using System;
using System.Threading;

namespace NetGen.Threading;

/// <summary>
/// Lets any number of threads read a model's weights while one thread may change them (a training step, loading a
/// file), and every read sees the weights of one completed change, never a mix. A sequence lock: writers make a
/// version odd while they write and even again after; a reader notes the even version, computes, and keeps its result
/// only if the version is still the same. Readers take no lock and write no shared memory, so two threads predicting
/// with one model do not slow each other down.
/// </summary>
/// <remarks>
/// <para>A reader that lost its result to a change once is pinned: the next writer waits until it is done, so a long
/// read (a large batch, an <c>Evaluate</c>) finishes after at most one more retry however often training steps.
/// Writers wait for pinned readers before they start, never after, so a pinned reader never waits for them.</para>
/// <para>Writers are one thread at a time (the model's <see cref="ModelOperation"/> keeps them exclusive) and may nest.
/// A read on the writing thread itself (a custom optimizer that predicts) reads the weights as they are.</para>
/// </remarks>
internal sealed class WeightsGate
{
    private int _version;   // odd while a writer writes
    private int _pinned;    // readers that a writer must wait for
    private int _writer;    // managed thread id of the writer, 0 when none
    private int _depth;     // nested writes of that thread (read and written only by it)

    /// <summary>Starts a read: waits while a change is being written, then returns the (even) version being read.</summary>
    public int EnterRead()
    {
        int version = Volatile.Read(ref _version);
        return (version & 1) == 0 ? version : WaitForWriter();
    }

    /// <summary>
    /// Ends a read that started at <paramref name="version"/>: true if no change happened meanwhile, so its result
    /// stands. Otherwise the reader is pinned (see remarks), <paramref name="version"/> is that of a new read, and the
    /// caller computes again.
    /// </summary>
    public bool TryExitRead(ref int version, ref bool pinned)
    {
        // The weights were read before this point: no load of them may move after the version check.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _version) == version)
        {
            return true;
        }

        if (!pinned)
        {
            Interlocked.Increment(ref _pinned);
            pinned = true;
        }

        version = EnterRead();
        return false;
    }

    /// <summary>Releases a reader that <see cref="TryExitRead"/> pinned; call it once the read is over, however it ended.</summary>
    public void Unpin() => Interlocked.Decrement(ref _pinned);

    /// <summary>Starts a change of the weights: waits for pinned readers, then marks the weights as being written.</summary>
    public Write BeginWrite()
    {
        int me = Environment.CurrentManagedThreadId;
        if (Volatile.Read(ref _writer) == me)
        {
            _depth++;
            return new Write(this);
        }

        SpinWait wait = default;
        while (Volatile.Read(ref _pinned) != 0)
        {
            wait.SpinOnce();
        }

        Volatile.Write(ref _writer, me);
        _depth = 1;
        Interlocked.Increment(ref _version); // odd; a full fence, so no write of the weights moves before it
        return new Write(this);
    }

    private void EndWrite()
    {
        if (--_depth > 0)
        {
            return;
        }

        Volatile.Write(ref _writer, 0);
        Volatile.Write(ref _version, _version + 1); // even; a release, so every write of the weights is seen before it
    }

    private int WaitForWriter()
    {
        SpinWait wait = default;
        while (true)
        {
            int version = Volatile.Read(ref _version);
            if ((version & 1) == 0 || Volatile.Read(ref _writer) == Environment.CurrentManagedThreadId)
            {
                return version;
            }

            wait.SpinOnce();
        }
    }

    /// <summary>One change of the weights, from <see cref="BeginWrite"/> to <see cref="Dispose"/>.</summary>
    internal readonly struct Write(WeightsGate gate) : IDisposable
    {
        /// <summary>Ends the change: readers now see the new weights.</summary>
        public void Dispose() => gate.EndWrite();
    }
}
