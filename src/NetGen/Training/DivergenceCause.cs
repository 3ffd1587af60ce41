using System;
using System.Globalization;

namespace NetGen.Training;

/// <summary>
/// What most likely made training diverge, for <see cref="TrainingDivergedException"/>'s message: a value no training
/// survives (an extreme LeakyReLU slope or learning rate, a weight that is not finite or has blown up) names itself,
/// so the message points at it instead of the generic advice.
/// </summary>
internal static class DivergenceCause
{
    /// <summary>LeakyReLU slopes are fractions (Keras uses 0.2 and 0.3); past this, activations grow by it per layer.</summary>
    internal const float ExtremeSlope = 1e3f;

    /// <summary>Keras's learning rates are 0.001 to 0.01; from this one on a step of any size overshoots.</summary>
    internal const float ExtremeLearningRate = 10f;

    /// <summary>Initial weights are about 1 in size; this far past it, updates rather than the data made them.</summary>
    internal const float ExtremeWeight = 1e6f;

    /// <summary>The likely cause, or null when nothing stands out.</summary>
    public static string? Find(NetworkInfo info, ReadOnlySpan<float> parameters, float learningRate)
    {
        foreach (LayerInfo layer in info.Layers)
        {
            if (layer.Activation == Activation.LeakyReLU && !(Math.Abs(layer.Alpha) <= ExtremeSlope))
            {
                return $"layer '{layer.Name}' has LeakyReLU Alpha = {Show(layer.Alpha)}, a slope that multiplies every negative input, " +
                    "so its activations overflow: use a small slope such as 0.01 or 0.3";
            }
        }

        if (learningRate >= ExtremeLearningRate)
        {
            return $"the learning rate is {Show(learningRate)}, far above the usual 0.0001 to 0.1: lower it";
        }

        int bad = DataChecks.IndexOfNonFinite(parameters);
        if (bad >= 0)
        {
            return $"the weight {Where(info, bad)} is {Show(parameters[bad])}: a step overflowed (lower the learning rate, now {Show(learningRate)}), " +
                "or a value that is not finite was written into Parameters";
        }

        int largest = -1;
        for (int i = 0; i < parameters.Length; i++)
        {
            if (Math.Abs(parameters[i]) > ExtremeWeight && (largest < 0 || Math.Abs(parameters[i]) > Math.Abs(parameters[largest])))
            {
                largest = i;
            }
        }

        return largest < 0 ? null
            : $"the weights have grown to {Show(parameters[largest])} ({Where(info, largest)}): lower the learning rate (now {Show(learningRate)}) or scale the inputs";
    }

    private static string Where(NetworkInfo info, int index)
    {
        foreach (TensorInfo t in info.Tensors)
        {
            if (index >= t.Offset && index < t.Offset + t.Length)
            {
                return $"{t.Name}[{(index - t.Offset).ToString(CultureInfo.InvariantCulture)}]";
            }
        }

        return $"parameter {index.ToString(CultureInfo.InvariantCulture)}";
    }

    private static string Show(float value) => value.ToString(CultureInfo.InvariantCulture);
}
