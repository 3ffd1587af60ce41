using System;
using System.Linq;
using NetGen.Tests.Models;

namespace NetGen.Tests.Gradients;

/// <summary>
/// The generated forward pass must match a double-precision reference, and the generated backward pass must match
/// central finite differences of the reference loss, parameter by parameter, for every activation, every loss, and
/// both the fused (logits) and the plain (probabilities) loss paths.
/// </summary>
public class NetworkGradientTests
{
    public static TheoryData<string> Models => new()
    {
        nameof(Xor221), nameof(Xor241Tanh), nameof(SparseClassifier), nameof(OneHotClassifier), nameof(Regressor),
        nameof(AbsoluteRegressor), nameof(SoftmaxMse), nameof(SigmoidBce), nameof(SigmoidCce), nameof(NormalizedRegressor), nameof(L2Regressor),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Backward_matches_central_finite_differences_in_double(string name) => AssertBackwardMatchesReference(Create(name, seed: 3), name);

    /// <summary>
    /// The check itself, for any model (also the layer tests' own): the generated forward pass against the double
    /// reference, and every trainable parameter's gradient against central finite differences of the reference loss.
    /// </summary>
    internal static void AssertBackwardMatchesReference(Network model, string name)
    {
        NetworkInfo info = model.Info;
        const int batch = 5;
        var rng = new Random(11);
        float[] x = Enumerable.Range(0, batch * info.InputSize).Select(_ => (float)((rng.NextDouble() * 4) - 2)).ToArray();
        float[] t = Targets(info, batch, rng);

        // Biases start at zero; give them values so their gradients are exercised away from the initial point.
        foreach (TensorInfo tensor in info.Tensors.Where(t => t.Name.EndsWith(".bias", StringComparison.Ordinal)))
        {
            for (int i = 0; i < tensor.Length; i++)
            {
                model.Parameters[tensor.Offset + i] = (float)((rng.NextDouble() * 0.4) - 0.2);
            }
        }

        ReadOnlySpan<float> output = model.Forward(x, batch, training: true);
        float[] generatedOutput = output.ToArray();
        float loss = model.Backward(x, t, batch);
        float[] analytic = model.Gradients.ToArray();

        double[] p = model.Parameters.ToArray().Select(v => (double)v).ToArray();
        double[] xd = x.Select(v => (double)v).ToArray(), td = t.Select(v => (double)v).ToArray();
        double[] reference = ReferenceNetwork.Forward(info, p, xd, batch, out _);
        for (int i = 0; i < reference.Length; i++)
        {
            Assert.True(Math.Abs(generatedOutput[i] - reference[i]) <= 1e-5 + (1e-5 * Math.Abs(reference[i])),
                $"{name}: output {i} is {generatedOutput[i]}, reference {reference[i]}");
        }

        double referenceLoss = ReferenceNetwork.Loss(info, p, xd, td, batch);
        Assert.True(Math.Abs(loss - referenceLoss) <= 1e-5 + (1e-5 * referenceLoss), $"{name}: loss {loss}, reference {referenceLoss}");

        // Non-trainable statistics (Normalization) are constants to the optimizer: no gradient is computed for them.
        Assert.All(analytic[info.TrainableParameterCount..], g => Assert.Equal(0f, g));
        const double h = 1e-6;
        for (int j = 0; j < info.TrainableParameterCount; j++)
        {
            double saved = p[j];
            p[j] = saved + h;
            double up = ReferenceNetwork.Loss(info, p, xd, td, batch);
            p[j] = saved - h;
            double down = ReferenceNetwork.Loss(info, p, xd, td, batch);
            p[j] = saved;
            double numeric = (up - down) / (2 * h);
            Assert.True(Math.Abs(analytic[j] - numeric) <= 2e-5 + (1e-3 * Math.Abs(numeric)),
                $"{name}: gradient of parameter {j} ({TensorOf(info, j)}) is {analytic[j]}, finite differences give {numeric}");
        }
    }

    [Fact]
    public void Loss_after_inference_forward_equals_loss_returned_by_backward()
    {
        var model = new SparseClassifier(seed: 5);
        float[] x = Enumerable.Range(0, 4 * 6).Select(i => (float)Math.Sin(i)).ToArray();
        float[] labels = [0, 2, 1, 2];
        model.Forward(x, 4, training: false);
        float evaluated = model.ComputeLoss(labels, 4);
        model.Forward(x, 4, training: true);
        Assert.Equal(evaluated, model.Backward(x, labels, 4), 6);
    }

    internal static Network Create(string name, long seed) => name switch
    {
        nameof(Xor221) => new Xor221(seed),
        nameof(Xor241Tanh) => new Xor241Tanh(seed),
        nameof(SparseClassifier) => new SparseClassifier(seed),
        nameof(OneHotClassifier) => new OneHotClassifier(seed),
        nameof(Regressor) => new Regressor(seed),
        nameof(AbsoluteRegressor) => new AbsoluteRegressor(seed),
        nameof(SoftmaxMse) => new SoftmaxMse(seed),
        nameof(SigmoidBce) => new SigmoidBce(seed),
        nameof(SigmoidCce) => new SigmoidCce(seed),
        nameof(NormalizedRegressor) => Adapted(new NormalizedRegressor(seed)),
        nameof(L2Regressor) => new L2Regressor(seed),
        _ => throw new ArgumentException(name),
    };

    private static Network Adapted(Network model)
    {
        // Statistics far from the identity, so the normalization's effect on every gradient is checked.
        model.Adapt(new float[,] { { 1, -20, 300 }, { 3, 10, 100 }, { 2, 40, 200 } });
        return model;
    }

    internal static float[] Targets(NetworkInfo info, int batch, Random rng)
    {
        int k = info.OutputSize;
        switch (info.Loss)
        {
            case Loss.SparseCategoricalCrossEntropy:
                return Enumerable.Range(0, batch).Select(_ => (float)rng.Next(k)).ToArray();
            case Loss.CategoricalCrossEntropy:
                var onehot = new float[batch * k];
                for (int b = 0; b < batch; b++)
                {
                    onehot[(b * k) + rng.Next(k)] = 1;
                }

                return onehot;
            case Loss.BinaryCrossEntropy:
                return Enumerable.Range(0, batch * k).Select(_ => (float)rng.Next(2)).ToArray();
            default:
                return Enumerable.Range(0, batch * k).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
        }
    }

    private static string TensorOf(NetworkInfo info, int index) =>
        info.Tensors.First(t => index >= t.Offset && index < t.Offset + t.Length).Name;
}
