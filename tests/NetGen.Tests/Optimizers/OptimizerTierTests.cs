using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Kernels;
using NetGen.Optimizers;
using NetGen.Tests.Kernels;
using NetGen.Tests.Models;

namespace NetGen.Tests.Optimizers;

/// <summary>
/// Every built-in optimizer, with and without weight decay and each kind of clipping, on every forced SIMD tier,
/// against its scalar twin (<see cref="OptimizerTwin"/>): bit for bit, on a model's tensor table (kernels decayed,
/// biases not) and on a bare buffer.
/// </summary>
[Collection(SimdTierCollection.Name)]
public sealed class OptimizerTierTests
{
    private const int Steps = 5;

    public static TheoryData<string, string, SimdTier> Cases()
    {
        var data = new TheoryData<string, string, SimdTier>();
        string[] rules = ["sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop", "rmsprop-centered-momentum", "adagrad"];
        string[] extras = ["none", "decay", "clipnorm", "clipvalue", "globalclipnorm", "decay+clipnorm"];
        foreach (string rule in rules)
        {
            foreach (string extra in extras)
            {
                foreach (SimdTier tier in SimdTierCollection.Tiers)
                {
                    data.Add(rule, extra, tier);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_tier_matches_the_scalar_twin_bit_for_bit_on_a_model(string rule, string extra, SimdTier tier)
    {
        var model = new Regressor(seed: 5);
        Optimizer optimizer = Create(rule, extra);
        model.Compile(optimizer);
        var tensors = model.Info.Tensors.Where(t => t.Trainable).Select(t => (t.Offset, t.Length, t.IsKernel)).ToList();
        Assert.Equal(3, tensors.Count(t => t.IsKernel));
        Compare(optimizer, Twin(rule, extra, tensors), model.TrainableParameters.ToArray(), tier, model);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_tier_matches_the_scalar_twin_bit_for_bit_on_a_bare_buffer(string rule, string extra, SimdTier tier)
    {
        Optimizer optimizer = Create(rule, extra);
        float[] p0 = Enumerable.Range(0, 37).Select(i => MathF.Sin(i + 1)).ToArray();
        Compare(optimizer, Twin(rule, extra, [(0, 37, true)]), p0, tier, model: null);
    }

    private static void Compare(Optimizer optimizer, OptimizerTwin twin, float[] p0, SimdTier tier, Network? model)
    {
        float[] expected = (float[])p0.Clone();
        for (int s = 0; s < Steps; s++)
        {
            twin.Step(expected, Grad(expected.Length, s));
        }

        using (new TierScope(tier))
        {
            float[] actual = (float[])p0.Clone();
            for (int s = 0; s < Steps; s++)
            {
                if (model is null)
                {
                    optimizer.Step(actual, Grad(actual.Length, s));
                }
                else
                {
                    actual.CopyTo(model.TrainableParameters);
                    optimizer.Step(model.TrainableParameters, Grad(actual.Length, s));
                    model.TrainableParameters.CopyTo(actual);
                }
            }

            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                    $"{tier}: p[{i}] = {actual[i]:R}, the twin gives {expected[i]:R}.");
            }
        }
    }

    /// <summary>Gradients of step <paramref name="step"/>: mostly in ±3, some tiny (the g² cutoff), some 0.</summary>
    internal static float[] Grad(int length, int step)
    {
        var random = new Random(1000 + step);
        var g = new float[length];
        for (int i = 0; i < length; i++)
        {
            g[i] = (i % 7) switch
            {
                3 => 1e-20f * (random.NextSingle() - 0.5f),
                5 => 0f,
                _ => 6f * (random.NextSingle() - 0.5f),
            };
        }

        return g;
    }

    internal static (float Wd, float? ClipNorm, float? ClipValue, float? Global) Extras(string extra) => extra switch
    {
        "none" => (0f, null, null, null),
        "decay" => (0.05f, null, null, null),
        "clipnorm" => (0f, 1.5f, null, null),
        "clipvalue" => (0f, null, 0.7f, null),
        "globalclipnorm" => (0f, null, null, 2.5f),
        "decay+clipnorm" => (0.05f, 1.5f, null, null),
        _ => throw new ArgumentOutOfRangeException(nameof(extra)),
    };

    internal static Optimizer Create(string rule, string extra)
    {
        (float wd, float? cn, float? cv, float? gn) = Extras(extra);
        return rule switch
        {
            "sgd" => new Sgd(0.05f, weightDecay: wd, clipNorm: cn, clipValue: cv, globalClipNorm: gn),
            "momentum" => new Sgd(0.05f, 0.9f, weightDecay: wd, clipNorm: cn, clipValue: cv, globalClipNorm: gn),
            "nesterov" => new Sgd(0.05f, 0.9f, true, weightDecay: wd, clipNorm: cn, clipValue: cv, globalClipNorm: gn),
            "adam" => new Adam(0.05f, 0.8f, 0.99f, 1e-3f, weightDecay: wd, clipNorm: cn, clipValue: cv, globalClipNorm: gn),
            "adamw" => new AdamW(0.05f, weightDecay: wd == 0f ? 0.004f : wd, clipNorm: cn, clipValue: cv, globalClipNorm: gn),
            "rmsprop" => new RmsProp(0.01f, weightDecay: wd, clipNorm: cn, clipValue: cv, globalClipNorm: gn),
            "rmsprop-centered-momentum" => new RmsProp(0.01f, 0.9f, 0.5f, 1e-4f, true, weightDecay: wd, clipNorm: cn, clipValue: cv, globalClipNorm: gn),
            "adagrad" => new Adagrad(0.5f, 0.1f, 1e-3f, weightDecay: wd, clipNorm: cn, clipValue: cv, globalClipNorm: gn),
            _ => throw new ArgumentOutOfRangeException(nameof(rule)),
        };
    }

    private static OptimizerTwin Twin(string rule, string extra, List<(int, int, bool)> tensors)
    {
        (float wd, float? cn, float? cv, float? gn) = Extras(extra);
        return rule switch
        {
            "sgd" => new("sgd", 0.05f, 0f, 0f, 0f, false, false, wd, cn, cv, gn, tensors),
            "momentum" => new("momentum", 0.05f, 0.9f, 0f, 0f, false, false, wd, cn, cv, gn, tensors),
            "nesterov" => new("nesterov", 0.05f, 0.9f, 0f, 0f, false, false, wd, cn, cv, gn, tensors),
            "adam" => new("adam", 0.05f, 0.8f, 0.99f, 1e-3f, false, false, wd, cn, cv, gn, tensors),
            "adamw" => new("adam", 0.05f, 0.9f, 0.999f, 1e-7f, false, false, wd == 0f ? 0.004f : wd, cn, cv, gn, tensors),
            "rmsprop" => new("rmsprop", 0.01f, 0.9f, 0f, 1e-7f, false, false, wd, cn, cv, gn, tensors),
            "rmsprop-centered-momentum" => new("rmsprop", 0.01f, 0.9f, 0.5f, 1e-4f, true, true, wd, cn, cv, gn, tensors),
            "adagrad" => new("adagrad", 0.5f, 0.1f, 0f, 1e-3f, false, false, wd, cn, cv, gn, tensors),
            _ => throw new ArgumentOutOfRangeException(nameof(rule)),
        };
    }
}
