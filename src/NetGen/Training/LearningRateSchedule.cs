using System;

namespace NetGen.Training;

/// <summary>A learning rate as a function of the (0-based) epoch, applied by <see cref="LearningRateScheduler"/>.</summary>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate for <paramref name="epoch"/>.</summary>
    public abstract float RateAt(int epoch);
}

/// <summary>
/// Step decay, the course's <c>adjust_learning_rate</c>: lr = initial · factor^⌊epoch / every⌋, e.g. halve it every
/// 10 epochs.
/// </summary>
public sealed class StepDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    public StepDecay(float initialRate, float factor = 0.5f, int every = 10)
    {
        InitialRate = initialRate > 0f ? initialRate : throw new ArgumentOutOfRangeException(nameof(initialRate), initialRate, "initialRate must be > 0.");
        Factor = factor > 0f && factor <= 1f ? factor : throw new ArgumentOutOfRangeException(nameof(factor), factor, "factor must be in (0, 1].");
        Every = every > 0 ? every : throw new ArgumentOutOfRangeException(nameof(every), every, "every must be at least 1 epoch.");
    }

    /// <summary>The rate of the first epochs.</summary>
    public float InitialRate { get; }

    /// <summary>What the rate is multiplied by at each drop.</summary>
    public float Factor { get; }

    /// <summary>Epochs between drops.</summary>
    public int Every { get; }

    /// <inheritdoc/>
    public override float RateAt(int epoch) => InitialRate * MathF.Pow(Factor, epoch / Every);
}

/// <summary>
/// Exponential decay, Keras's <c>ExponentialDecay</c> counted in epochs: lr = initial · rate^(epoch / decayEpochs),
/// or with <paramref name="staircase"/> rate^⌊epoch / decayEpochs⌋.
/// </summary>
public sealed class ExponentialDecay(float initialRate, float decayRate, int decayEpochs = 1, bool staircase = false) : LearningRateSchedule
{
    private readonly float _initial = initialRate > 0f ? initialRate : throw new ArgumentOutOfRangeException(nameof(initialRate), initialRate, "initialRate must be > 0.");
    private readonly float _rate = decayRate > 0f ? decayRate : throw new ArgumentOutOfRangeException(nameof(decayRate), decayRate, "decayRate must be > 0.");
    private readonly int _every = decayEpochs > 0 ? decayEpochs : throw new ArgumentOutOfRangeException(nameof(decayEpochs), decayEpochs, "decayEpochs must be at least 1.");

    /// <inheritdoc/>
    public override float RateAt(int epoch)
    {
        float exponent = staircase ? epoch / _every : (float)epoch / _every;
        return _initial * MathF.Pow(_rate, exponent);
    }
}

/// <summary>Sets the optimizer's learning rate before each epoch from a schedule (Keras's <c>LearningRateScheduler</c>).</summary>
public sealed class LearningRateScheduler : Callback
{
    private readonly Func<int, float, float> _schedule;

    /// <summary>Uses a schedule object.</summary>
    public LearningRateScheduler(LearningRateSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        _schedule = (epoch, _) => schedule.RateAt(epoch);
    }

    /// <summary>Uses a function of the 0-based epoch and the current rate, as in Keras.</summary>
    public LearningRateScheduler(Func<int, float, float> schedule) => _schedule = schedule ?? throw new ArgumentNullException(nameof(schedule));

    /// <inheritdoc/>
    public override void OnEpochBegin(Network model, int epoch)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.Optimizer.LearningRate = _schedule(epoch, model.Optimizer.LearningRate);
    }
}
