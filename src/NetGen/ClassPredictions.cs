using System;
using NetGen.Data;
using NetGen.Kernels;

namespace NetGen;

/// <summary>
/// The predicted class of a classifier's output, Keras's <c>np.argmax(model.predict(x), axis=1)</c>: the index of the
/// largest output of a softmax (or any multi-unit classifier), or for a single sigmoid output under binary
/// cross-entropy 1 above 0.5 and 0 otherwise, as accuracy and the confusion matrix count them.
/// </summary>
public static class ClassPredictions
{
    // Outputs up to this wide go on the stack, so that one sample's class allocates nothing.
    private const int StackOutputs = 256;

    /// <summary>The predicted class of one sample.</summary>
    /// <exception cref="InvalidOperationException">The model is a regressor, or has several independent sigmoid outputs (multi-label).</exception>
    public static int PredictClass(this Network model, ReadOnlySpan<float> input)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckClassifier(model.Info);
        int outputs = model.Info.OutputSize;
        Span<float> output = outputs <= StackOutputs ? stackalloc float[outputs] : new float[outputs];
        model.Predict(input, output);
        return ClassOf(model.Info, output);
    }

    /// <summary>The predicted class of each row of <paramref name="inputs"/>.</summary>
    /// <exception cref="InvalidOperationException">The model is a regressor, or has several independent sigmoid outputs (multi-label).</exception>
    public static int[] PredictClasses(this Network model, float[,] inputs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        CheckClassifier(model.Info);
        float[,] outputs = model.Predict(inputs);
        int rows = outputs.GetLength(0), width = outputs.GetLength(1);
        var classes = new int[rows];
        if (rows == 0)
        {
            return classes;
        }

        ReadOnlySpan<float> all = System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref outputs[0, 0], outputs.Length);
        for (int r = 0; r < rows; r++)
        {
            classes[r] = ClassOf(model.Info, all.Slice(r * width, width));
        }

        return classes;
    }

    /// <summary>The predicted class of each sample of <paramref name="data"/> (its targets are not used).</summary>
    /// <exception cref="InvalidOperationException">The model is a regressor, or has several independent sigmoid outputs (multi-label).</exception>
    public static int[] PredictClasses(this Network model, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        CheckClassifier(model.Info);
        if (data.FeatureSize != model.Info.InputSize)
        {
            throw new ArgumentException($"{model.Info.Name} takes samples of {model.Info.InputSize} features; the data has {data.FeatureSize}.", nameof(data));
        }

        int width = model.Info.OutputSize;
        var outputs = new float[data.Count * width];
        model.PredictBatch(data.Features, outputs);
        var classes = new int[data.Count];
        for (int r = 0; r < classes.Length; r++)
        {
            classes[r] = ClassOf(model.Info, outputs.AsSpan(r * width, width));
        }

        return classes;
    }

    private static int ClassOf(NetworkInfo info, ReadOnlySpan<float> output) =>
        info.Loss == Loss.BinaryCrossEntropy ? (output[0] > 0.5f ? 1 : 0) : RowReductions.ArgMax(output);

    private static void CheckClassifier(NetworkInfo info)
    {
        if (!Training.Metrics.HasAccuracy(info.Loss))
        {
            throw new InvalidOperationException($"{info.Name} is trained with {info.Loss}, a regression loss: it predicts values, not classes. Use Predict.");
        }

        if (info.Loss == Loss.BinaryCrossEntropy && info.OutputSize != 1)
        {
            throw new InvalidOperationException(
                $"{info.Name} has {info.OutputSize} independent sigmoid outputs (multi-label binary cross-entropy), which do not form one set of classes: threshold each output of Predict at 0.5 instead.");
        }
    }
}
