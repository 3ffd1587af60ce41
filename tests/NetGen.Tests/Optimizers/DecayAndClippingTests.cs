using System;
using System.Linq;
using NetGen.Optimizers;
using NetGen.Tests.Kernels;
using NetGen.Tests.Models;
using NetGen.Tests.Threading;

namespace NetGen.Tests.Optimizers;

/// <summary>Weight decay, AdamW and gradient clipping, as the base class applies them to every optimizer.</summary>
public sealed class DecayAndClippingTests
{
    [Fact]
    public void AdamW_has_Keras_defaults_and_is_Adam_with_decay()
    {
        var adamW = new AdamW();
        Assert.Equal(0.004f, adamW.WeightDecay);
        Assert.Equal(0.001f, adamW.LearningRate);
        Assert.Equal((0.9f, 0.999f, 1e-7f), (adamW.Beta1, adamW.Beta2, adamW.Epsilon));
        Assert.Equal(0f, new Adam().WeightDecay);
        Assert.Null(new Adam().ClipNorm);
    }

    [Fact]
    public void AdamW_by_hand_decays_then_takes_the_Adam_step()
    {
        // Keras's AdamW(lr 0.1, weight_decay 0.5) from p = 2 with g = 0.5: p −= p·wd·lr → 1.9, then Adam's first step,
        // α = 0.1·√0.001/0.1, m = 0.05, v = 0.00025, step = α·m/(√v + 1e-7) = 0.09999937.
        var adamW = new AdamW(0.1f, weightDecay: 0.5f);
        float[] p = [2f];
        adamW.Step(p, [0.5f]);
        Assert.Equal(1.9 - 0.0999993675, p[0], 1e-6);

        // Without the decay the same step from 2 ends at 1.9000006: the decay is the whole difference.
        float[] q = [2f];
        new Adam(0.1f).Step(q, [0.5f]);
        Assert.Equal(p[0] + 0.1f, q[0], 1e-6f);
    }

    [Fact]
    public void Decay_shrinks_kernels_by_p_wd_lr_and_never_touches_biases()
    {
        // Zero gradients: plain SGD then moves only by the decay, p − p·wd·lr.
        var model = new Regressor(seed: 2);
        model.Compile(new Sgd(0.5f, weightDecay: 0.1f));
        model.Parameters[model.Info.Tensors[1].Offset] = 3f; // a non-zero bias, which must stay
        float[] before = model.Parameters.ToArray();
        model.Optimizer.Step(model.TrainableParameters, new float[model.Info.TrainableParameterCount]);
        foreach (TensorInfo t in model.Info.Tensors)
        {
            for (int i = t.Offset; i < t.Offset + t.Length; i++)
            {
                float expected = t.IsKernel ? before[i] - (before[i] * 0.1f * 0.5f) : before[i];
                Assert.Equal(expected, model.Parameters[i]);
            }
        }

        Assert.Equal(["dense.kernel", "dense_1.kernel", "dense_2.kernel"], model.Info.Tensors.Where(t => t.IsKernel).Select(t => t.Name));
    }

    [Fact]
    public void Normalization_statistics_are_neither_decayed_nor_kernels()
    {
        var model = new NormalizedRegressor(seed: 1);
        model.Adapt(new float[,] { { 1, 2, 3 }, { 4, 5, 7 } });
        model.Compile(new AdamW(0.1f, weightDecay: 0.5f));
        float[] statistics = model.Parameters[model.Info.TrainableParameterCount..].ToArray();
        for (int s = 0; s < 3; s++)
        {
            model.Optimizer.Step(model.TrainableParameters, new float[model.Info.TrainableParameterCount]);
        }

        Assert.Equal(statistics, model.Parameters[model.Info.TrainableParameterCount..].ToArray());
        Assert.DoesNotContain(model.Info.Tensors, t => !t.Trainable && t.IsKernel);
    }

    [Fact]
    public void ClipNorm_rescales_each_tensor_whose_norm_exceeds_it_and_leaves_the_others()
    {
        // Regressor: dense.kernel has 15 weights; gradient 1 everywhere there (norm √15 ≈ 3.87 > 2), 0.1 in the bias (norm 0.22).
        var model = new Regressor(seed: 2);
        model.Compile(new Sgd(1f, clipNorm: 2f));
        float[] g = new float[model.Info.TrainableParameterCount];
        g.AsSpan(0, 15).Fill(1f);
        g.AsSpan(15, 5).Fill(0.1f);
        float[] before = model.Parameters.ToArray();
        model.Optimizer.Step(model.TrainableParameters, g);
        float scale = (float)(2.0 / Math.Sqrt(15));
        Assert.Equal(before[0] - (1f * scale), model.Parameters[0]);
        Assert.Equal(before[15] - 0.1f, model.Parameters[15]);
        Assert.Equal(1f, g[0]); // the caller's gradients are not clipped in place
    }

    [Fact]
    public void GlobalClipNorm_uses_the_norm_of_all_gradients_and_ClipValue_clamps()
    {
        float[] p = [0f, 0f, 0f, 0f];
        new Sgd(1f, globalClipNorm: 1f).Step(p, [3f, 0f, 4f, 0f]); // norm 5 → scaled by 1/5
        Assert.Equal([-0.6f, 0f, -0.8f, 0f], p);

        p = [0f, 0f, 0f];
        new Sgd(1f, clipValue: 0.5f).Step(p, [3f, -0.25f, -7f]);
        Assert.Equal([-0.5f, 0.25f, 0.5f], p);

        p = [0f];
        new Sgd(1f, clipValue: 0.5f).Step(p, [float.NaN]);
        Assert.True(float.IsNaN(p[0]), "a NaN gradient still shows after clipping");
    }

    [Theory]
    [InlineData(-0.1f, null, null, null, "weightDecay")]
    [InlineData(float.PositiveInfinity, null, null, null, "weightDecay")]
    [InlineData(0f, 0f, null, null, "clipNorm")]
    [InlineData(0f, -1f, null, null, "clipNorm")]
    [InlineData(0f, null, float.NaN, null, "clipValue")]
    [InlineData(0f, null, null, float.PositiveInfinity, "globalClipNorm")]
    public void Bad_decay_or_clip_values_are_refused_by_name(float wd, float? clipNorm, float? clipValue, float? global, string name)
    {
        foreach (Func<Optimizer> create in new Func<Optimizer>[]
        {
            () => new Sgd(weightDecay: wd, clipNorm: clipNorm, clipValue: clipValue, globalClipNorm: global),
            () => new Adam(weightDecay: wd, clipNorm: clipNorm, clipValue: clipValue, globalClipNorm: global),
            () => new RmsProp(weightDecay: wd, clipNorm: clipNorm, clipValue: clipValue, globalClipNorm: global),
            () => new Adagrad(weightDecay: wd, clipNorm: clipNorm, clipValue: clipValue, globalClipNorm: global),
        })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(create);
            Assert.Equal(name, e.ParamName);
            Assert.Contains(name, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Only_one_kind_of_clipping_is_accepted_as_in_Keras()
    {
        var e = Assert.Throws<ArgumentException>(() => new AdamW(clipNorm: 1f, clipValue: 0.5f));
        Assert.Contains("Only one of clipNorm, clipValue and globalClipNorm", e.Message, StringComparison.Ordinal);
    }
}

/// <summary>Decay and clipping over a model large enough to update in slices on several threads.</summary>
[Collection(ThreadCountCollection.Name)]
public sealed class DecayAndClippingThreadTests
{
    [Theory]
    [InlineData("clipnorm")]
    [InlineData("globalclipnorm")]
    [InlineData("decay+clipnorm")]
    public void Decay_and_clipping_over_a_model_are_bit_identical_for_any_thread_count(string extra)
    {
        // Mlp: 79 510 parameters, sliced on cache lines that fall inside its tensors, not on their boundaries.
        float[] Train(int threads)
        {
            var model = new Mlp(seed: 4);
            model.Compile(OptimizerTierTests.Create("adamw", extra));
            using (new ThreadScope(threads))
            {
                for (int s = 0; s < 3; s++)
                {
                    model.Optimizer.Step(model.TrainableParameters, OptimizerTierTests.Grad(model.Info.TrainableParameterCount, s));
                }
            }

            return model.Parameters.ToArray();
        }

        float[] single = Train(1);
        Assert.False(single.AsSpan().SequenceEqual(new Mlp(seed: 4).Parameters), "the steps moved the parameters");
        foreach (int threads in new[] { 2, 3 })
        {
            Assert.True(single.AsSpan().SequenceEqual(Train(threads)), $"{threads} threads differ from 1");
        }
    }
}
