using System;
using System.Linq;
using NetGen.Tests.Models;

namespace NetGen.Tests.Gradients;

/// <summary>
/// Whole networks with Conv2D, the poolings, GlobalAveragePooling2D and BatchNormalization: the generated training
/// forward pass matches a double-precision reference written from the layers' definitions, and the generated backward
/// pass matches central finite differences of the reference loss, parameter by parameter (every kernel weight, bias,
/// γ and β), through strided, padded and 1×1 convolutions, overlapping and padded pooling, and batch statistics.
/// </summary>
public class ConvNetworkGradientTests
{
    public static TheoryData<string> Models => new()
    {
        nameof(StridedConvPool), nameof(SameConvAveragePool), nameof(BatchNormNet), nameof(LeadingBatchNorm), nameof(FusedConvPool),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Backward_matches_central_finite_differences_in_double(string name)
    {
        (Network model, ReferenceWindows windows) = Create(name, seed: 3);
        NetworkInfo info = model.Info;
        const int batch = 4;
        var rng = new Random(11);
        float[] x = Enumerable.Range(0, batch * info.InputSize).Select(_ => (float)((rng.NextDouble() * 4) - 2)).ToArray();
        float[] t = NetworkGradientTests.Targets(info, batch, rng);

        // Biases and β start at zero, γ at one: move them so their gradients are checked away from the initial point.
        foreach (TensorInfo tensor in info.Tensors.Where(t => t.Trainable && !t.IsKernel))
        {
            for (int i = 0; i < tensor.Length; i++)
            {
                model.Parameters[tensor.Offset + i] += (float)((rng.NextDouble() * 0.4) - 0.2);
            }
        }

        double[] p = model.Parameters.ToArray().Select(v => (double)v).ToArray();
        float[] generatedOutput = model.Forward(x, batch, training: true).ToArray();
        float loss = model.Backward(x, t, batch);
        float[] analytic = model.Gradients.ToArray();

        double[] xd = x.Select(v => (double)v).ToArray(), td = t.Select(v => (double)v).ToArray();
        double[] reference = ReferenceNetwork.Forward(info, p, xd, batch, out _, windows);
        Assert.Equal(reference.Length, generatedOutput.Length);
        for (int i = 0; i < reference.Length; i++)
        {
            Assert.True(Math.Abs(generatedOutput[i] - reference[i]) <= 1e-5 + (1e-4 * Math.Abs(reference[i])),
                $"{name}: output {i} is {generatedOutput[i]}, reference {reference[i]}");
        }

        double referenceLoss = ReferenceNetwork.Loss(info, p, xd, td, batch, windows);
        Assert.True(Math.Abs(loss - referenceLoss) <= 1e-5 + (1e-5 * referenceLoss), $"{name}: loss {loss}, reference {referenceLoss}");

        // The moving statistics are constants to the optimizer: no gradient is computed for them.
        Assert.All(analytic[info.TrainableParameterCount..], g => Assert.Equal(0f, g));
        const double h = 1e-6;
        for (int j = 0; j < info.TrainableParameterCount; j++)
        {
            double saved = p[j];
            p[j] = saved + h;
            double up = ReferenceNetwork.Loss(info, p, xd, td, batch, windows);
            p[j] = saved - h;
            double down = ReferenceNetwork.Loss(info, p, xd, td, batch, windows);
            p[j] = saved;
            double numeric = (up - down) / (2 * h);
            Assert.True(Math.Abs(analytic[j] - numeric) <= 5e-5 + (2e-3 * Math.Abs(numeric)),
                $"{name}: gradient of parameter {j} ({info.Tensors.First(t => j >= t.Offset && j < t.Offset + t.Length).Name}) is {analytic[j]}, finite differences give {numeric}");
        }
    }

    internal static (Network Model, ReferenceWindows Windows) Create(string name, long seed) => name switch
    {
        nameof(StridedConvPool) => (new StridedConvPool(seed), new ReferenceWindows
        {
            ["conv"] = new(3, 2, StrideHeight: 2, StrideWidth: 1),
            ["pool"] = new(2, 2, 2, 2),
        }),
        nameof(FusedConvPool) => (new FusedConvPool(seed), new ReferenceWindows
        {
            ["conv"] = new(3, 3),
            ["pool"] = new(2, 2, 2, 2),
            ["conv_2"] = new(2, 2),
            ["pool_2"] = new(2, 2, 1, 1),
        }),
        nameof(SameConvAveragePool) => (new SameConvAveragePool(seed), new ReferenceWindows
        {
            ["conv"] = new(3, 3, Same: true),
            ["conv_2"] = new(2, 3, 2, 2, Same: true),
            ["pool"] = new(2, 2, 1, 1, Same: true),
        }),
        nameof(BatchNormNet) => (new BatchNormNet(seed), new ReferenceWindows
        {
            ["conv"] = new(3, 3),
            ["pool"] = new(2, 2, 2, 2),
        }),
        nameof(LeadingBatchNorm) => (new LeadingBatchNorm(seed), new ReferenceWindows
        {
            ["pointwise"] = new(1, 1),
        }),
        _ => throw new ArgumentException(name),
    };
}
