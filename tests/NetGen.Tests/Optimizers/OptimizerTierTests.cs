using System;
using System.Linq;
using NetGen.Kernels;
using NetGen.Optimizers;
using NetGen.Tests.Kernels;

namespace NetGen.Tests.Optimizers;

/// <summary>Every optimizer's update runs the same operations in the same order on every SIMD tier, so the parameters agree bit for bit.</summary>
[Collection(SimdTierCollection.Name)]
public class OptimizerTierTests
{
    public static TheoryData<string> Optimizers => new() { "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "rmsprop-centered-momentum", "adam" };

    private static Optimizer Create(string name) => name switch
    {
        "sgd" => new Sgd(0.1f),
        "momentum" => new Sgd(0.1f, momentum: 0.9f),
        "nesterov" => new Sgd(0.1f, momentum: 0.9f, nesterov: true),
        "adagrad" => new Adagrad(0.1f),
        "rmsprop" => new RmsProp(0.01f),
        "rmsprop-centered-momentum" => new RmsProp(0.01f, momentum: 0.5f, centered: true),
        _ => new Adam(0.01f),
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Updates_are_identical_on_every_tier(string name)
    {
        // 53 parameters: a Vector512 block, then 256-, 128-bit and scalar tails.
        float[] Run(SimdTier tier)
        {
            using var scope = new TierScope(tier);
            var random = new Random(7);
            float[] p = Enumerable.Range(0, 53).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            Optimizer optimizer = Create(name);
            for (int step = 0; step < 5; step++)
            {
                float[] g = Enumerable.Range(0, 53).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
                optimizer.Step(p, g);
            }

            return p;
        }

        float[] scalar = Run(SimdTier.Scalar);
        Assert.Equal(scalar, Run(SimdTier.Vector128));
        Assert.Equal(scalar, Run(SimdTier.Vector256));
        Assert.Equal(scalar, Run(SimdTier.Vector512));
        Assert.NotEqual(Run(SimdTier.Scalar), Enumerable.Range(0, 53).Select(_ => 0f).ToArray());
    }
}
