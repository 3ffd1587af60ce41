using System;
using NetGen.Optimizers;
using NetGen.Tests.Models;

namespace NetGen.Tests.Training;

/// <summary>
/// Keras's rule: random unless seeded. A seeded model fixes its weights and the seeds of every Fit called without one,
/// so <c>new Model(seed: 7)</c> and <c>Fit</c> give the same result on every run.
/// </summary>
public class SeedTests
{
    private static readonly float[,] X = MakeInputs();
    private static readonly int[] Labels = MakeLabels();

    [Fact]
    public void An_unseeded_model_starts_from_random_weights_and_a_seeded_one_from_fixed_weights()
    {
        Assert.NotEqual(new Mlp().Parameters.ToArray(), new Mlp().Parameters.ToArray());
        Assert.Equal(new Mlp(seed: 7).Parameters.ToArray(), new Mlp(seed: 7).Parameters.ToArray());
        Assert.NotEqual(new Mlp(seed: 7).Parameters.ToArray(), new Mlp(seed: 8).Parameters.ToArray());
    }

    [Fact]
    public void A_seeded_model_trains_the_same_way_without_a_Fit_seed_shuffles_and_dropout_included()
    {
        (float[] first, float[] firstLosses) = TrainTwice(new Mlp(seed: 7));
        (float[] second, float[] secondLosses) = TrainTwice(new Mlp(seed: 7));
        Assert.Equal(first, second);
        Assert.Equal(firstLosses, secondLosses);
    }

    [Fact]
    public void An_unseeded_model_shuffles_at_random_even_from_the_same_weights()
    {
        var a = new Mlp();
        var b = new Mlp();
        a.Parameters.CopyTo(b.Parameters);
        Assert.NotEqual(TrainTwice(a).Parameters, TrainTwice(b).Parameters);
    }

    [Fact]
    public void A_Fit_seed_still_overrides_the_model_s_and_successive_Fits_draw_different_seeds()
    {
        var a = new Mlp(seed: 7);
        var b = new Mlp(seed: 8);
        a.Parameters.CopyTo(b.Parameters);
        a.Compile(new Sgd(0.1f));
        b.Compile(new Sgd(0.1f));
        a.Fit(X, Labels, epochs: 1, batchSize: 8, seed: 3, verbose: 0);
        b.Fit(X, Labels, epochs: 1, batchSize: 8, seed: 3, verbose: 0);
        Assert.Equal(a.Parameters.ToArray(), b.Parameters.ToArray());

        // Two Fits of one seeded model are not the same epoch twice: the second takes the next seed.
        var c = new Mlp(seed: 7);
        Assert.NotEqual(c.NextFitSeed(), c.NextFitSeed());
    }

    [Fact]
    public void A_seeded_model_s_dropout_in_a_hand_written_loop_is_reproducible()
    {
        var input = new float[Mlp.InputSize];
        input.AsSpan().Fill(0.5f);
        float[] first = new Mlp(seed: 7).Forward(input, 1, training: true).ToArray();
        float[] second = new Mlp(seed: 7).Forward(input, 1, training: true).ToArray();
        Assert.Equal(first, second);
    }

    private static (float[] Parameters, float[] Losses) TrainTwice(Mlp model)
    {
        model.Compile(new Sgd(0.1f));
        var h1 = model.Fit(X, Labels, epochs: 2, batchSize: 8, verbose: 0);
        var h2 = model.Fit(X, Labels, epochs: 1, batchSize: 8, verbose: 0);
        return (model.Parameters.ToArray(), [.. h1.Loss, .. h2.Loss]);
    }

    private static float[,] MakeInputs()
    {
        var x = new float[40, Mlp.InputSize];
        for (int r = 0; r < 40; r++)
        {
            for (int c = 0; c < Mlp.InputSize; c++)
            {
                x[r, c] = ((r * 31) + (c * 7)) % 17 / 17f;
            }
        }

        return x;
    }

    private static int[] MakeLabels()
    {
        var labels = new int[40];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = i % 10;
        }

        return labels;
    }
}
