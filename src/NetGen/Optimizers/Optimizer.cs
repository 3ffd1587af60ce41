using System;
using System.Runtime.CompilerServices;

namespace NetGen.Optimizers;

/// <summary>
/// Base of every optimizer: updates a flat parameter buffer from a flat gradient buffer of the same length.
/// Subclasses declare their state slots (allocated once, on the first step) and the update rule.
/// </summary>
public abstract class Optimizer
{
    private float _learningRate;
    private int _size;

    /// <summary>Creates an optimizer with a learning rate &gt; 0.</summary>
    protected Optimizer(float learningRate) => LearningRate = learningRate;

    /// <summary>The step size. Schedules change it between epochs.</summary>
    public float LearningRate
    {
        get => _learningRate;
        set
        {
            if (!(value > 0f) || float.IsInfinity(value))
            {
                throw new ArgumentOutOfRangeException("learningRate", value, $"Learning rate must be a finite number > 0, received {value}.");
            }

            _learningRate = value;
        }
    }

    /// <summary>Number of steps taken so far.</summary>
    public long Iterations { get; private set; }

    /// <summary>
    /// Applies one update: parameters −= f(gradients). The first step fixes the number of parameters the optimizer's
    /// state is for; a later step with another number throws until <see cref="Reset"/> is called.
    /// </summary>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        if (parameters.Length != gradients.Length)
        {
            throw new ArgumentException($"Parameters ({parameters.Length}) and gradients ({gradients.Length}) must have the same length.");
        }

        if (Iterations > 0 && parameters.Length != _size)
        {
            throw new ArgumentException(
                $"This optimizer holds state for {_size} parameters, received {parameters.Length}; call Reset() before using it for another network.",
                nameof(parameters));
        }

        _size = parameters.Length;
        Iterations++;
        Update(parameters, gradients, Iterations);
    }

    /// <summary>Forgets all state (slots and the step count), as if newly created. It stays the optimizer of the model it was given to.</summary>
    public virtual void Reset()
    {
        Iterations = 0;
        _size = 0;
    }

    private Network? _model;

    /// <summary>Binds this optimizer to <paramref name="model"/>: refused while another model holds it.</summary>
    internal void AttachTo(Network model)
    {
        if (_model is not null && !ReferenceEquals(_model, model))
        {
            throw new InvalidOperationException(
                $"This {GetType().Name} already trains a {_model.Info.Name}: its state (step count, moments) belongs to that model's parameters. " +
                $"Give each model its own optimizer (new {GetType().Name}(...)); to move this one, first compile that {_model.Info.Name} with another.");
        }

        _model = model;
    }

    /// <summary>Releases this optimizer from <paramref name="model"/>, which no longer uses it.</summary>
    internal void Detach(Network model)
    {
        if (ReferenceEquals(_model, model))
        {
            _model = null;
        }
    }

    /// <summary>The update rule. <paramref name="step"/> counts from 1.</summary>
    protected abstract void Update(Span<float> parameters, ReadOnlySpan<float> gradients, long step);

    /// <summary>
    /// Optimizer state (moments, velocities) smaller in magnitude than this is stored as 0. State that decays every
    /// step its gradient is 0 (a blank pixel's weights, a switched-off ReLU unit) otherwise sinks through the subnormal
    /// numbers, and each subnormal operation takes a slow microcode path: on Fashion-MNIST that doubled the cost of an
    /// update. TensorFlow, under Keras, runs with flush-to-zero for the same reason. Where the state is a numerator (a
    /// momentum), 1e-30 moves a parameter by about 1e-30 times the step size: nothing. Where it sits in a denominator
    /// beside ε (Adam's and RMSprop's v), the floor is lowered further, relative to ε, so that flushing never changes
    /// the denominator by more than rounding would. NaN and infinity are never flushed: a broken gradient still shows.
    /// </summary>
    internal const float StateFloor = 1e-30f;

    /// <summary>
    /// The |g| below which a running sum's c·g·g term (Adam's and RMSprop's v, Adagrad's accumulator) is left out,
    /// or 0 to keep every term. Late in training some gradients shrink below about 1e-18, and c·g·g then comes out
    /// subnormal: the multiplication alone takes a microcode assist, about 80 cycles per register, and a few hundred
    /// such gradients per step nearly doubled the cost of an Adam update (79 510 parameters, 0.6 % of them tiny: 14.1
    /// → 24.6 µs on one core). Subnormal inputs cost nothing extra here, only subnormal results. (Gradients within
    /// 0.1 % above the cutoff still make a subnormal term: the margin below keeps the cutoff on the safe side.)
    /// </summary>
    /// <remarks>
    /// Leaving the term out never changes a bit of the sum. Below the cutoff the term is under the smallest normal
    /// float, 2⁻¹²⁶. Added to a decayed sum of at least 2⁻¹⁰² (half an ulp there is 2⁻¹²⁶), it rounds away. Added to a
    /// sum of 0, the result is below <paramref name="zeroSumFloor"/>, so the sum is stored as 0 either way. When either
    /// bound does not hold (a tiny ε or ρ, Adagrad starting at 0) the cutoff is 0 and every term is computed.
    /// </remarks>
    /// <param name="coefficient">c, the factor of g·g (1 − β2, 1 − ρ, 1).</param>
    /// <param name="smallestDecayedSum">The smallest non-zero value the sum can have before the term is added.</param>
    /// <param name="zeroSumFloor">
    /// Where the sum can be 0 before the term is added: the value below which the new sum is stored as 0 (0 if it never
    /// is). Null where the sum is never 0.
    /// </param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // a call before the update loops cost them registers (Adam: +25 %)
    internal static float SquareCutoff(float coefficient, float smallestDecayedSum, float? zeroSumFloor)
    {
        const float smallestNormal = 1.17549435e-38f; // 2⁻¹²⁶
        if (smallestDecayedSum < 1.97215226e-31f /* 2⁻¹⁰² */ || zeroSumFloor < smallestNormal)
        {
            return 0f;
        }

        // (c·g)·g < 2⁻¹²⁶ for |g| below this, with margin for the two roundings and the conversion to float.
        return (float)(Math.Sqrt(smallestNormal / (double)coefficient) * 0.999);
    }

    /// <summary>The optimizer's state slots that exist so far (moments, velocities); for tests and diagnostics.</summary>
    internal virtual float[][] StateSlots => [];

    /// <summary>
    /// Parameter buffers at least this long are updated in slices on several threads (<see cref="Threading.Parallelism"/>).
    /// An update reads and writes every element once, about 0.1-0.2 ns each, so below this size a helper costs more
    /// than it saves.
    /// </summary>
    internal const int ParallelThreshold = 16 * 1024;

    private ParameterSlices? _slices;

    /// <summary>
    /// Runs <see cref="UpdateRange"/> over the whole buffer: in one call for small buffers, otherwise in contiguous
    /// slices on as many threads as <see cref="Threading.Parallelism.MaxThreads"/> allows. Element-wise rules give the
    /// same bits either way. An optimizer calls this from <see cref="Update"/> once the step's constants are set.
    /// </summary>
    protected void UpdateInSlices(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        int parts = parameters.Length < ParallelThreshold ? 1 : Math.Min(Threading.Parallelism.MaxThreads, parameters.Length / (ParallelThreshold / 2));
        if (parts <= 1)
        {
            UpdateRange(parameters, gradients, 0);
            return;
        }

        (_slices ??= new ParameterSlices(this)).Run(parameters, gradients, parts);
    }

    /// <summary>
    /// The update rule for <paramref name="parameters"/>, which are elements <paramref name="offset"/>.. of the whole
    /// buffer (state slots are indexed from <paramref name="offset"/>). Slices may run at the same time on different
    /// threads, so it may only touch its own elements. Optimizers that call <see cref="UpdateInSlices"/> override it.
    /// </summary>
    protected virtual void UpdateRange(Span<float> parameters, ReadOnlySpan<float> gradients, int offset) =>
        throw new NotSupportedException($"{GetType().Name} calls UpdateInSlices but does not override UpdateRange.");

    /// <summary>Lets <see cref="ParameterSlices"/> call the protected rule.</summary>
    internal void RunRange(Span<float> parameters, ReadOnlySpan<float> gradients, int offset) => UpdateRange(parameters, gradients, offset);

    /// <summary>Returns a slot of <paramref name="length"/> floats, allocating it (zeroed, or filled) on first use.</summary>
    protected static float[] Slot(ref float[]? slot, int length, float initial = 0f)
    {
        if (slot is null || slot.Length != length)
        {
            slot = new float[length];
            if (initial != 0f)
            {
                slot.AsSpan().Fill(initial);
            }
        }

        return slot;
    }

    /// <summary>Throws unless <paramref name="value"/> is a finite number &gt; 0.</summary>
    protected static float Positive(float value, string name)
    {
        if (!(value > 0f) || float.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number > 0, received {value}.");
        }

        return value;
    }

    /// <summary>Throws unless <paramref name="value"/> is a finite number &gt;= 0.</summary>
    protected static float NonNegative(float value, string name)
    {
        if (!(value >= 0f) || float.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number >= 0, received {value}.");
        }

        return value;
    }

    /// <summary>Throws unless <paramref name="value"/> is in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    protected static float InRange(float value, float min, float max, string name)
    {
        if (!(value >= min && value < max))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [{min}, {max}), received {value}.");
        }

        return value;
    }
}
