using System;

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

    /// <summary>Forgets all state (slots and the step count), as if newly created.</summary>
    public virtual void Reset()
    {
        Iterations = 0;
        _size = 0;
    }

    /// <summary>The update rule. <paramref name="step"/> counts from 1.</summary>
    protected abstract void Update(Span<float> parameters, ReadOnlySpan<float> gradients, long step);

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
