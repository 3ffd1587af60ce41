using System;
using System.Threading;

namespace NetGen.Threading;

/// <summary>
/// Keeps a model's training side to one thread at a time. <c>Fit</c>, the custom-loop pieces (<c>Forward</c>,
/// <c>Backward</c>, <c>ComputeLoss</c>) and what replaces the weights (<c>LoadWeights</c>, <c>InitializeParameters</c>,
/// <c>Adapt</c>) share the model's training buffers and optimizer, so a second thread gets a clear error instead of
/// mixing them. The thread already inside may call in again (a callback that saves or evaluates during <c>Fit</c>).
/// Predictions and <c>Evaluate</c> do not enter: they run on per-call scratch, beside all of this (see <see cref="WeightsGate"/>).
/// </summary>
/// <remarks>
/// Entering costs one compare-and-swap on a field of the model; nested calls only read it.
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
                $"This {model} is training or changing its weights on another thread: one instance runs one Fit, Forward/Backward, " +
                "LoadWeights, InitializeParameters or Adapt at a time (predictions and Evaluate may run beside them, from any thread). " +
                "Wait for the other call to finish, or train a copy (Parameters.CopyTo, or the same weights file) and swap it in.");
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
