using System;

namespace NetGen;

/// <summary>
/// Batch normalization over the last axis, as Keras's <c>BatchNormalization</c>: per feature after a Dense layer, per
/// channel after a Conv2D or pooling layer (statistics over the batch and every position).
/// <c>y = γ · (x − μ) / √(σ² + ε) + β</c>, with trainable <c>γ</c> (gamma, initially 1) and <c>β</c> (beta, initially 0).
/// In training, <c>μ</c> and <c>σ²</c> are the batch's mean and (biased) variance, and the moving statistics follow
/// them: <c>moving = moving · momentum + batch · (1 − momentum)</c>; in inference (<c>Predict</c>, <c>Evaluate</c>) the
/// moving mean (initially 0) and moving variance (initially 1) are used. The moving statistics are non-trainable
/// parameters: saved with the weights, never stepped by an optimizer nor decayed. Output shape = input shape;
/// 4 parameters per channel, 2 of them trainable.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class BatchNormalizationAttribute : Attribute
{
    /// <summary>How much of the moving statistics each training step keeps, in [0, 1). Defaults to 0.99, Keras's default.</summary>
    public double Momentum { get; set; } = 0.99;

    /// <summary>Added to the variance before its square root, &gt; 0. Defaults to 0.001, Keras's default.</summary>
    public double Epsilon { get; set; } = 0.001;

    /// <summary>Layer name for the summary and the weight file. Defaults to <c>batch_normalization</c>, <c>batch_normalization_1</c>, … as in Keras.</summary>
    public string? Name { get; set; }
}
