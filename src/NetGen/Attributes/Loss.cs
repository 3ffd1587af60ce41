namespace NetGen;

/// <summary>Loss functions a <see cref="SequentialAttribute"/> network can minimize. All are averaged over the batch (Keras's default reduction).</summary>
public enum Loss
{
    /// <summary>Mean of (output − target)² over every output of every sample.</summary>
    MeanSquaredError = 0,

    /// <summary>Mean of |output − target| over every output of every sample.</summary>
    MeanAbsoluteError = 1,

    /// <summary>−[t·log p + (1 − t)·log(1 − p)], averaged. With a sigmoid output it is computed from the logits, which is stable.</summary>
    BinaryCrossEntropy = 2,

    /// <summary>−Σ t_i·log p_i per sample, with one-hot targets. With a softmax output it is computed with log-sum-exp.</summary>
    CategoricalCrossEntropy = 3,

    /// <summary>Categorical cross-entropy with integer class labels (one target value per sample) instead of one-hot vectors.</summary>
    SparseCategoricalCrossEntropy = 4,
}
