using System;
using System.Runtime.CompilerServices;

namespace NetGen.Losses;

/// <summary>
/// Binary cross-entropy, as Keras defines it (mean over the outputs, then over the batch: the mean over all
/// N = batch·outputs values): L = −(1/N)·Σ [t·log p + (1 − t)·log(1 − p)].
/// <list type="bullet">
/// <item><see cref="FromLogits(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float})"/> takes z with p = σ(z) and uses TensorFlow's stable form
/// max(z, 0) − z·t + log(1 + e^−|z|), finite for every finite z; ∂L/∂z = (σ(z) − t)/N.</item>
/// <item><see cref="FromProbabilities(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float})"/> clips p to [ε, 1 − ε] first, as Keras does, so log never sees 0;
/// ∂L/∂p = (p − t)/(p·(1 − p)·N) inside the clip range and 0 where p was clipped (the clipped loss is flat there,
/// and TensorFlow's clip passes no gradient either).</item>
/// </list>
/// Terms are computed and summed in double; the targets may be soft (any value, typically in [0, 1]).
/// </summary>
public static class BinaryCrossEntropy
{
    /// <summary>Keras's clipping epsilon (<c>keras.backend.epsilon()</c>).</summary>
    public const float Epsilon = 1e-7f;

    /// <summary>The upper clip bound 1 − ε, rounded to float as Keras's float32 clip rounds it.</summary>
    internal const float OneMinusEpsilon = 1f - Epsilon;

    /// <summary>
    /// Loss from logits z (sigmoid fused); writes ∂L/∂z into <paramref name="gradient"/> unless it is empty. The
    /// gradient may be the logits buffer itself (computed in place).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float FromLogits(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, int batch, Span<float> gradient)
    {
        int n = LossChecks.SameLength(logits, targets, batch, gradient);
        bool withGradient = !gradient.IsEmpty;
        double sum = 0, scale = 1.0 / n;
        for (int i = 0; i < n; i++)
        {
            double z = logits[i], t = targets[i];
            sum += Math.Max(z, 0.0) - (z * t) + LossChecks.SoftplusOfNegativeAbs(z);
            if (withGradient)
            {
                // σ(z) in double: e^−z overflows to ∞ only below z ≈ −709, where σ is 0 anyway.
                double p = 1.0 / (1.0 + Math.Exp(-z));
                gradient[i] = (float)(scale * (p - t));
            }
        }

        return (float)(sum / n);
    }

    /// <summary>
    /// Loss from probabilities p (clipped to [ε, 1 − ε]); writes ∂L/∂p into <paramref name="gradient"/> unless it is
    /// empty. The gradient may be the probabilities buffer itself (computed in place).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float FromProbabilities(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> targets, int batch, Span<float> gradient)
    {
        int n = LossChecks.SameLength(probabilities, targets, batch, gradient);
        bool withGradient = !gradient.IsEmpty;
        double sum = 0, scale = 1.0 / n;
        for (int i = 0; i < n; i++)
        {
            float raw = probabilities[i];
            double p = Math.Clamp(raw, Epsilon, OneMinusEpsilon), t = targets[i];
            sum -= (t * Math.Log(p)) + ((1.0 - t) * Math.Log(1.0 - p));
            if (withGradient)
            {
                bool clipped = raw < Epsilon || raw > OneMinusEpsilon;
                gradient[i] = clipped ? 0f : (float)(scale * (p - t) / (p * (1.0 - p)));
            }
        }

        return (float)(sum / n);
    }

    /// <summary>
    /// <see cref="FromLogits(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float})"/> with one weight per sample
    /// (Keras's <c>sample_weight</c>): (1/batch)·Σ wᵢ·ℓᵢ, and each sample's gradient scaled by its weight. Empty
    /// <paramref name="sampleWeights"/> is the unweighted loss.
    /// </summary>
    public static float FromLogits(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, int batch, Span<float> gradient, ReadOnlySpan<float> sampleWeights) =>
        SampleWeighting.Apply(FromLogits, logits, targets, batch, gradient, sampleWeights);

    /// <summary>
    /// <see cref="FromProbabilities(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float})"/> with one weight per sample
    /// (Keras's <c>sample_weight</c>): (1/batch)·Σ wᵢ·ℓᵢ, and each sample's gradient scaled by its weight. Empty
    /// <paramref name="sampleWeights"/> is the unweighted loss.
    /// </summary>
    public static float FromProbabilities(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> targets, int batch, Span<float> gradient, ReadOnlySpan<float> sampleWeights) =>
        SampleWeighting.Apply(FromProbabilities, probabilities, targets, batch, gradient, sampleWeights);
}
