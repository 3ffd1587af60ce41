using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Optimizers;

/// <summary>
/// Base of every optimizer: updates a flat parameter buffer from a flat gradient buffer of the same length.
/// Subclasses declare their state slots (allocated once, on the first step) and the update rule; the base class
/// clips the gradients and decays the weights first, as Keras 3's optimizers do.
/// </summary>
/// <remarks>
/// <para>Gradient clipping (at most one of the three, as in Keras): <see cref="ClipNorm"/> rescales each tensor's
/// gradient g to g·c/‖g‖ where its norm ‖g‖ exceeds c (Keras's <c>clipnorm</c>); <see cref="GlobalClipNorm"/> does the
/// same with the norm of all gradients together (<c>global_clipnorm</c>); <see cref="ClipValue"/> clamps every gradient
/// to [−c, c] (<c>clipvalue</c>). The gradient buffer itself is left as it was: the optimizer clips what it reads.</para>
/// <para>Weight decay (<see cref="WeightDecay"/>, Keras's <c>weight_decay</c>) is decoupled, as in Keras: before each
/// update p −= p·wd·lr. It applies to kernels only (<see cref="TensorInfo.IsKernel"/>): biases and normalization
/// statistics are never decayed (Keras decays every variable unless excluded; excluding biases is the usual practice
/// of AdamW). A buffer stepped without a model is one tensor, decayed whole.</para>
/// </remarks>
public abstract class Optimizer
{
    private float _learningRate;
    private int _size;

    /// <summary>
    /// Creates an optimizer with a learning rate &gt; 0 and neither clipping nor weight decay: the base of a custom
    /// optimizer, whose <see cref="Update"/> sees the gradients as they are (the built-in optimizers take
    /// <c>weightDecay</c> and the clipping options).
    /// </summary>
    protected Optimizer(float learningRate) => LearningRate = learningRate;

    /// <summary>Creates an optimizer with a learning rate &gt; 0, optional decoupled weight decay and at most one kind of clipping.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is negative, zero where it must be positive, or not finite.</exception>
    /// <exception cref="ArgumentException">More than one of the clipping options is set.</exception>
    private protected Optimizer(float learningRate, float weightDecay, float? clipNorm, float? clipValue, float? globalClipNorm)
        : this(learningRate)
    {
        WeightDecay = NonNegative(weightDecay, nameof(weightDecay));
        ClipNorm = clipNorm is { } n ? Positive(n, nameof(clipNorm)) : null;
        ClipValue = clipValue is { } v ? Positive(v, nameof(clipValue)) : null;
        GlobalClipNorm = globalClipNorm is { } gn ? Positive(gn, nameof(globalClipNorm)) : null;
        if ((clipNorm is null ? 0 : 1) + (clipValue is null ? 0 : 1) + (globalClipNorm is null ? 0 : 1) > 1)
        {
            throw new ArgumentException(
                $"Only one of clipNorm, clipValue and globalClipNorm can be set (as in Keras); received clipNorm {Show(clipNorm)}, clipValue {Show(clipValue)}, globalClipNorm {Show(globalClipNorm)}.");
        }

        static string Show(float? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null";
    }

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

    /// <summary>Decoupled weight decay wd (Keras's <c>weight_decay</c>): kernels shrink by p·wd·lr before each update; 0 for none.</summary>
    public float WeightDecay { get; }

    /// <summary>Each tensor's gradient is rescaled to this norm where its L2 norm is larger (Keras's <c>clipnorm</c>); null for none.</summary>
    public float? ClipNorm { get; }

    /// <summary>Every gradient is clamped to [−ClipValue, ClipValue] (Keras's <c>clipvalue</c>); null for none.</summary>
    public float? ClipValue { get; }

    /// <summary>All gradients together are rescaled to this norm where their joint L2 norm is larger (Keras's <c>global_clipnorm</c>); null for none.</summary>
    public float? GlobalClipNorm { get; }

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
        if (_model is { } model && parameters.Overlaps(model.Parameters))
        {
            // A hand-written training loop steps the model's own weights: predictions on other threads see the step
            // whole or not at all, as in Fit (which already holds the gate; writes nest).
            using (model.BeginWeightsWrite())
            {
                Update(parameters, gradients, Iterations);
            }

            return;
        }

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

    /// <summary>
    /// The names of the state slots this optimizer keeps in its present configuration (Keras's names: <c>momentum</c>,
    /// <c>velocity</c>…), in the order of <see cref="SlotField"/>; they name the slots in checkpoints.
    /// </summary>
    internal virtual string[] SlotNames => [];

    /// <summary>The field that holds slot <paramref name="index"/> of <see cref="SlotNames"/> (null before the first step).</summary>
    private protected virtual ref float[]? SlotField(int index) => throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>The optimizer's state slots that exist so far (moments, velocities); for tests and diagnostics.</summary>
    internal float[][] StateSlots
    {
        get
        {
            var slots = new List<float[]>();
            for (int i = 0; i < SlotNames.Length; i++)
            {
                if (SlotField(i) is { } slot)
                {
                    slots.Add(slot);
                }
            }

            return [.. slots];
        }
    }

    /// <summary>The number of parameters the state is for (0 before the first step).</summary>
    internal int StateSize => _size;

    /// <summary>
    /// Replaces the whole state, as a checkpoint saved it: the step count, the learning rate and one slot per
    /// <see cref="SlotNames"/> (each of <paramref name="size"/> floats), or no slots with a step count of 0.
    /// </summary>
    internal void RestoreState(long iterations, float learningRate, int size, float[][] slots)
    {
        if (slots.Length != (iterations == 0 ? 0 : SlotNames.Length))
        {
            throw new ArgumentException($"{GetType().Name} keeps {SlotNames.Length} slots; received {slots.Length}.", nameof(slots));
        }

        LearningRate = learningRate;
        Reset();
        for (int i = 0; i < slots.Length; i++)
        {
            SlotField(i) = slots[i];
        }

        Iterations = iterations;
        _size = iterations == 0 ? 0 : size;
    }

    /// <summary>
    /// Parameter buffers at least this long are updated in slices on several threads (<see cref="Threading.Parallelism"/>).
    /// An update reads and writes every element once, about 0.1-0.2 ns each, so below this size a helper costs more
    /// than it saves.
    /// </summary>
    internal const int ParallelThreshold = 16 * 1024;

    private ParameterSlices? _slices;

    /// <summary>The runs of the buffer that are decayed or clipped apart: one per trainable tensor (see <see cref="PrepareRuns"/>).</summary>
    private Run[] _runs = [];

    /// <summary>The clip-by-norm factor of each of <see cref="_runs"/> this step.</summary>
    private float[] _scales = [];

    private NetworkInfo? _runsFor;
    private bool _extras;

    /// <summary>
    /// Runs <see cref="UpdateRange"/> over the whole buffer: in one call for small buffers, otherwise in contiguous
    /// slices on as many threads as <see cref="Threading.Parallelism.MaxThreads"/> allows. Element-wise rules give the
    /// same bits either way. An optimizer calls this from <see cref="Update"/> once the step's constants are set; the
    /// clip factors of the step are computed here first, on the calling thread.
    /// </summary>
    protected void UpdateInSlices(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        PrepareRuns(parameters.Length, gradients);
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

    /// <summary>
    /// Runs <typeparamref name="TRule"/> over elements <paramref name="offset"/>.. of the buffer with the base class's
    /// clipping and weight decay: a built-in optimizer's whole <see cref="UpdateRange"/>.
    /// </summary>
    private protected void ApplyRule<TRule>(in RuleConstants k, Span<float> parameters, ReadOnlySpan<float> gradients, int offset,
        float[]? slot0, float[]? slot1 = null, float[]? slot2 = null)
        where TRule : struct, IUpdateRule
    {
        int length = parameters.Length;
        gradients = gradients[..length];
        if (!_extras)
        {
            UpdateLoop.Run<TRule>(k, default, parameters, gradients, Part(slot0, offset, length), Part(slot1, offset, length), Part(slot2, offset, length));
            return;
        }

        // Kernels and biases are decayed and clipped apart: each run of this slice that lies in one tensor.
        bool clip = ClipNorm is not null || ClipValue is not null || GlobalClipNorm is not null;
        float limit = ClipValue ?? float.PositiveInfinity;
        for (int r = 0; r < _runs.Length; r++)
        {
            int start = Math.Max(_runs[r].Start, offset), end = Math.Min(_runs[r].Start + _runs[r].Length, offset + length);
            if (start >= end)
            {
                continue;
            }

            var extras = new RunExtras(clip, _scales[r], limit, _runs[r].Decay && WeightDecay > 0f, WeightDecay, LearningRate);
            int at = start - offset, n = end - start;
            UpdateLoop.Run<TRule>(k, extras, parameters.Slice(at, n), gradients.Slice(at, n),
                Part(slot0, start, n), Part(slot1, start, n), Part(slot2, start, n));
        }
    }

    private static Span<float> Part(float[]? slot, int start, int length) => slot is null ? default : slot.AsSpan(start, length);

    /// <summary>
    /// Decides this step's runs and clip factors. Without clipping or decay the buffer is one plain run. Otherwise
    /// each trainable tensor of the model this optimizer belongs to is a run, when the buffer is that model's trainable
    /// parameters; any other buffer is one run, decayed whole.
    /// </summary>
    private void PrepareRuns(int length, ReadOnlySpan<float> gradients)
    {
        _extras = WeightDecay > 0f || ClipNorm is not null || ClipValue is not null || GlobalClipNorm is not null;
        if (!_extras)
        {
            return;
        }

        NetworkInfo? info = _model?.Info is { } i && i.TrainableParameterCount == length ? i : null;
        if (_runs.Length == 0 || !ReferenceEquals(info, _runsFor) || (info is null && _runs[0].Length != length))
        {
            var runs = new List<Run>();
            if (info is null)
            {
                runs.Add(new Run(0, length, Decay: true));
            }
            else
            {
                foreach (TensorInfo t in info.Tensors)
                {
                    if (t.Trainable && t.Length > 0)
                    {
                        runs.Add(new Run(t.Offset, t.Length, t.IsKernel));
                    }
                }
            }

            _runs = [.. runs];
            _scales = new float[_runs.Length];
            _runsFor = info;
        }

        _scales.AsSpan().Fill(1f);
        if (ClipNorm is { } clipNorm)
        {
            for (int r = 0; r < _runs.Length; r++)
            {
                _scales[r] = ClipFactor(SumOfSquares(gradients.Slice(_runs[r].Start, _runs[r].Length)), clipNorm);
            }
        }
        else if (GlobalClipNorm is { } globalNorm)
        {
            double sum = 0;
            foreach (Run run in _runs)
            {
                sum += SumOfSquares(gradients.Slice(run.Start, run.Length));
            }

            _scales.AsSpan().Fill(ClipFactor(sum, globalNorm));
        }
    }

    /// <summary>c/‖g‖ where the norm ‖g‖ = √<paramref name="sumOfSquares"/> exceeds c, else exactly 1 (Keras: g·c/max(‖g‖, c)).</summary>
    internal static float ClipFactor(double sumOfSquares, float clipNorm)
    {
        double norm = Math.Sqrt(sumOfSquares);
        return norm > clipNorm ? (float)(clipNorm / norm) : 1f; // a NaN norm keeps the NaN gradients, which then show
    }

    /// <summary>
    /// Σg² in double: eight running sums, one per lane of two <see cref="Vector256{T}"/> of double (element i goes to
    /// lane i mod 8), added up in lane order, then the last elements one by one. The order is fixed, so the sum has the
    /// same bits on every machine, tier and thread count (where 256-bit vectors are not accelerated the runtime emulates
    /// them, with the same IEEE operations).
    /// </summary>
    internal static double SumOfSquares(ReadOnlySpan<float> values)
    {
        Vector256<double> low = Vector256<double>.Zero, high = Vector256<double>.Zero;
        ref float first = ref MemoryMarshal.GetReference(values);
        int i = 0;
        for (; i + 8 <= values.Length; i += 8)
        {
            (Vector256<double> l, Vector256<double> h) = Vector256.Widen(Vector256.LoadUnsafe(ref first, (nuint)i));
            low += l * l;
            high += h * h;
        }

        double sum = 0;
        for (int lane = 0; lane < 4; lane++)
        {
            sum += low[lane];
        }

        for (int lane = 0; lane < 4; lane++)
        {
            sum += high[lane];
        }

        for (; i < values.Length; i++)
        {
            sum += (double)values[i] * values[i];
        }

        return sum;
    }

    /// <summary>A run of the buffer that lies in one tensor: decayed only when it is a kernel.</summary>
    private readonly record struct Run(int Start, int Length, bool Decay);

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
