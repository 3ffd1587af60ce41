using System;
using System.Threading;

namespace NetGen.Threading;

/// <summary>
/// Keeps a model to one thread at a time. A model instance has one set of activation buffers, so two threads running
/// <c>Predict</c> (or <c>Fit</c>, <c>Evaluate</c>, <c>Forward</c>) on it at once would silently mix each other's
/// results; the second one gets a clear error instead. The thread already inside may call in again (a callback that
/// evaluates or predicts during <c>Fit</c>).
/// </summary>
/// <remarks>
/// Entering costs one compare-and-swap on a field of the model (a few nanoseconds against a 2 µs prediction);
/// nested calls only read it.
/// </remarks>
internal ref struct ModelOperation
{
    private readonly ref int _owner;
    private readonly bool _release;

    private ModelOperation(ref int owner, bool release)
    {
        _owner = ref owner;
        _release = release;
    }

    /// <summary>Claims the model for the calling thread, or joins the claim it already holds.</summary>
    /// <param name="owner">The model's owner field: the managed thread id inside it, 0 when none is.</param>
    /// <param name="model">The model's name, for the error.</param>
    /// <exception cref="InvalidOperationException">Another thread is inside the model.</exception>
    public static ModelOperation Enter(ref int owner, string model)
    {
        int me = Environment.CurrentManagedThreadId;
        if (Volatile.Read(ref owner) == me)
        {
            return new ModelOperation(ref owner, release: false);
        }

        if (Interlocked.CompareExchange(ref owner, me, 0) != 0)
        {
            throw new InvalidOperationException(
                $"This {model} is in use on another thread: one instance holds one set of activation buffers, so it runs one " +
                "Predict, Fit or Evaluate at a time. Give each thread its own instance (copy the weights with " +
                "Parameters.CopyTo, or load the same weights file into each).");
        }

        return new ModelOperation(ref owner, release: true);
    }

    /// <summary>Releases the model if this operation claimed it.</summary>
    public readonly void Dispose()
    {
        if (_release)
        {
            Volatile.Write(ref _owner, 0);
        }
    }
}
