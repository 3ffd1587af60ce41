namespace NetGen.Optimizers;

/// <summary>
/// AdamW (Loshchilov and Hutter): <see cref="Adam"/> with decoupled weight decay, as Keras's <c>AdamW</c> — before each
/// Adam update every kernel shrinks by p·wd·lr; biases and normalization statistics are never decayed. Keras's
/// defaults: lr 0.001, weight decay 0.004, β1 0.9, β2 0.999, ε 1e-7.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimizer; <paramref name="weightDecay"/> must be a finite number &gt;= 0 (see <see cref="Adam"/> for the rest).</summary>
    /// <param name="learningRate">The step size lr.</param>
    /// <param name="weightDecay">The decoupled decay factor wd.</param>
    /// <param name="beta1">Decay rate of the first moment.</param>
    /// <param name="beta2">Decay rate of the second moment.</param>
    /// <param name="epsilon">Added to √v.</param>
    /// <param name="clipNorm">Per-tensor gradient norm limit (Keras's <c>clipnorm</c>).</param>
    /// <param name="clipValue">Per-element gradient limit (Keras's <c>clipvalue</c>).</param>
    /// <param name="globalClipNorm">Limit of the norm of all gradients together (Keras's <c>global_clipnorm</c>).</param>
    public AdamW(float learningRate = 0.001f, float weightDecay = 0.004f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f,
        float? clipNorm = null, float? clipValue = null, float? globalClipNorm = null)
        : base(learningRate, beta1, beta2, epsilon, weightDecay, clipNorm, clipValue, globalClipNorm)
    {
    }
}
