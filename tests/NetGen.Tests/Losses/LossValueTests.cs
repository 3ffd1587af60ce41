using System;
using NetGen.Losses;

namespace NetGen.Tests.Losses;

/// <summary>Loss values and gradients on small examples worked out by hand, extreme inputs, and the argument contract.</summary>
public sealed class LossValueTests
{
    private const float Tight = 1e-6f;

    public static TheoryData<string> Names() => new(LossReference.Cases.Keys);

    [Fact]
    public void MeanSquaredError_by_hand()
    {
        // Differences 1, 0, −2, 0 over 2 samples of 2: L = (1 + 4)/4, ∂L/∂y = 2d/4.
        var gradient = new float[4];
        float loss = MeanSquaredError.Compute([1f, 2f, 3f, 4f], [0f, 2f, 5f, 4f], 2, gradient);
        Assert.Equal(1.25f, loss, Tight);
        Assert.Equal([0.5f, 0f, -1f, 0f], gradient);
    }

    [Fact]
    public void MeanAbsoluteError_by_hand_with_zero_gradient_where_equal()
    {
        var gradient = new float[4];
        float loss = MeanAbsoluteError.Compute([1f, 2f, 3f, 4f], [0f, 2f, 5f, 4f], 2, gradient);
        Assert.Equal(0.75f, loss, Tight);
        Assert.Equal([0.25f, 0f, -0.25f, 0f], gradient);
    }

    [Fact]
    public void BinaryCrossEntropy_from_logits_by_hand()
    {
        // z = 0: −log σ(0) = log 2 whatever the target; ∂L/∂z = σ(0) − t.
        var gradient = new float[2];
        float loss = BinaryCrossEntropy.FromLogits([0f, 0f], [1f, 0.25f], 1, gradient);
        Assert.Equal((float)Math.Log(2), loss, Tight);
        Assert.Equal([-0.25f, 0.125f], gradient);
    }

    [Fact]
    public void BinaryCrossEntropy_from_logits_stays_finite_and_exact_at_plus_minus_100()
    {
        // Right and confident: 0. Wrong and confident: |z| = 100. Mean over 4 values = 50.
        var gradient = new float[4];
        float loss = BinaryCrossEntropy.FromLogits([100f, -100f, 100f, -100f], [1f, 0f, 0f, 1f], 2, gradient);
        Assert.Equal(50f, loss, Tight);
        AssertClose([0f, 0f, 0.25f, -0.25f], gradient);

        Assert.Equal(100f, BinaryCrossEntropy.FromLogits([-100f], [1f], 1, []), Tight);
        Assert.Equal(1e4f, BinaryCrossEntropy.FromLogits([1e4f], [0f], 1, []), 1e-3f);
    }

    [Fact]
    public void BinaryCrossEntropy_from_logits_keeps_tiny_losses_accurate()
    {
        // log(1 + e^−20) = 2.0611536e-9: a naive log(1 + x) in float rounds it to 0.
        float loss = BinaryCrossEntropy.FromLogits([20f], [1f], 1, []);
        Assert.Equal(2.0611536e-9, loss, 1e-15);
    }

    [Fact]
    public void BinaryCrossEntropy_from_probabilities_by_hand()
    {
        // p = 0.5: log 2. p = 0.8, t = 1: −log 0.8; ∂L/∂p = (p − t)/(p(1 − p)) / N.
        var gradient = new float[2];
        float loss = BinaryCrossEntropy.FromProbabilities([0.5f, 0.8f], [1f, 1f], 1, gradient);
        Assert.Equal((float)((Math.Log(2) - Math.Log(0.8)) / 2), loss, Tight);
        Assert.Equal(-1f, gradient[0], Tight);
        Assert.Equal(-0.625f, gradient[1], Tight);
    }

    [Fact]
    public void BinaryCrossEntropy_from_probabilities_clips_0_and_1_like_Keras()
    {
        // Keras clips to [1e-7, 1 − 1e-7]: a confident miss costs −log(1e-7) = 16.118095, a confident hit ~1e-7.
        // Keras clips to [1e-7, 1 − 1e-7] (float32: 1.0000000116860974e-7 and 0.99999988079071045). Misses cost
        // −log(1e-7) = 16.118095 and −log(1 − 0.99999988) = 15.942385; hits cost about 1e-7 each. The loss is flat
        // there, so the gradient is 0.
        var gradient = new float[4];
        float loss = BinaryCrossEntropy.FromProbabilities([0f, 1f, 0f, 1f], [1f, 0f, 0f, 1f], 1, gradient);
        Assert.Equal((16.118095f + 15.942385f + 1.0e-7f + 1.19e-7f) / 4, loss, 1e-5f);
        Assert.Equal(8.015120f, loss, 1e-5f);
        Assert.Equal(new float[4], gradient);
    }

    [Fact]
    public void CategoricalCrossEntropy_from_logits_by_hand()
    {
        // Equal logits: p = 1/4, L = log 4, ∂L/∂z = p − t.
        var gradient = new float[4];
        float loss = CategoricalCrossEntropy.FromLogits([0f, 0f, 0f, 0f], [0f, 0f, 1f, 0f], 1, gradient);
        Assert.Equal((float)Math.Log(4), loss, Tight);
        AssertClose([0.25f, 0.25f, -0.75f, 0.25f], gradient);
    }

    [Fact]
    public void CategoricalCrossEntropy_from_logits_uses_the_target_sum_in_its_gradient()
    {
        // Targets weighing 2 in total: L = −2·log(1/2) = 2 log 2; ∂L/∂z = p·Σt − t = (1 − 2, 1 − 0).
        var gradient = new float[2];
        float loss = CategoricalCrossEntropy.FromLogits([0f, 0f], [2f, 0f], 1, gradient);
        Assert.Equal((float)(2 * Math.Log(2)), loss, Tight);
        AssertClose([-1f, 1f], gradient);
    }

    [Fact]
    public void CategoricalCrossEntropy_from_logits_stays_finite_at_plus_minus_100_and_beyond()
    {
        // Row 0 is wrong by 200 nats, row 1 right with p = 1 − e^−1000: L = (200 + 0)/2.
        var gradient = new float[6];
        float loss = CategoricalCrossEntropy.FromLogits([100f, -100f, 0f, 1000f, 0f, 0f], [0f, 1f, 0f, 1f, 0f, 0f], 2, gradient);
        Assert.Equal(100f, loss, 1e-4f);
        AssertClose([0.5f, -0.5f, 0f, 0f, 0f, 0f], gradient);
    }

    [Fact]
    public void CategoricalCrossEntropy_from_probabilities_by_hand_and_rescaled_like_Keras()
    {
        // q = (1/4, 1/4, 1/2), t = class 2: L = log 2; a = (0, 0, −2), Σa·q = −1, ∂L/∂p = (a + 1)/Σp.
        var gradient = new float[3];
        float loss = CategoricalCrossEntropy.FromProbabilities([0.25f, 0.25f, 0.5f], [0f, 0f, 1f], 1, gradient);
        Assert.Equal((float)Math.Log(2), loss, Tight);
        AssertClose([1f, 1f, -1f], gradient);

        // The same shares at four times the scale: Keras divides by the row sum first, so the loss is unchanged.
        loss = CategoricalCrossEntropy.FromProbabilities([1f, 1f, 2f], [0f, 0f, 1f], 1, gradient);
        Assert.Equal((float)Math.Log(2), loss, Tight);
        AssertClose([0.25f, 0.25f, -0.25f], gradient);
    }

    [Fact]
    public void CategoricalCrossEntropy_from_probabilities_clips_a_zero_probability()
    {
        var gradient = new float[2];
        float loss = CategoricalCrossEntropy.FromProbabilities([1f, 0f], [0f, 1f], 1, gradient);
        Assert.Equal(16.118095f, loss, 1e-5f);
        Assert.Equal([0f, 0f], gradient);
    }

    [Fact]
    public void SparseCategoricalCrossEntropy_from_logits_by_hand_and_at_plus_minus_100()
    {
        var gradient = new float[4];
        float loss = SparseCategoricalCrossEntropy.FromLogits([0f, 0f, 0f, 0f], [2f], 1, gradient);
        Assert.Equal((float)Math.Log(4), loss, Tight);
        AssertClose([0.25f, 0.25f, -0.75f, 0.25f], gradient);

        gradient = new float[4];
        loss = SparseCategoricalCrossEntropy.FromLogits([-100f, 100f, 100f, -100f], [0f, 0f], 2, gradient);
        Assert.Equal(100f, loss, 1e-4f);
        AssertClose([-0.5f, 0.5f, 0f, 0f], gradient);
    }

    [Fact]
    public void SparseCategoricalCrossEntropy_from_probabilities_by_hand()
    {
        // Label 2 with q = 1/2: L = log 2; ∂L/∂p = 1/Σp for the others, (1 − 1/q)/Σp for the label.
        var gradient = new float[3];
        float loss = SparseCategoricalCrossEntropy.FromProbabilities([0.25f, 0.25f, 0.5f], [2f], 1, gradient);
        Assert.Equal((float)Math.Log(2), loss, Tight);
        AssertClose([1f, 1f, -1f], gradient);

        loss = SparseCategoricalCrossEntropy.FromProbabilities([0.5f, 0f, 0.5f], [1f], 1, gradient);
        Assert.Equal(16.118095f, loss, 1e-5f);
        Assert.Equal([0f, 0f, 0f], gradient);
    }

    [Theory]
    [InlineData(3f, 1)]
    [InlineData(-1f, 1)]
    [InlineData(1.5f, 1)]
    [InlineData(float.NaN, 1)]
    [InlineData(1e10f, 1)]
    [InlineData(7f, 0)]
    public void Sparse_labels_out_of_range_or_not_integers_throw_naming_the_sample(float bad, int sample)
    {
        float[] labels = sample == 0 ? [bad, 0f] : [2f, bad];
        float[] output = [0.2f, 0.3f, 0.5f, 0.1f, 0.1f, 0.8f];
        foreach (LossFunction loss in new LossFunction[] { SparseCategoricalCrossEntropy.FromLogits, SparseCategoricalCrossEntropy.FromProbabilities })
        {
            // The gradient aliases the output here: a bad label must be caught before anything is written.
            float[] buffer = (float[])output.Clone();
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => loss(buffer, labels, 2, buffer));
            Assert.Contains($"sample {sample}", e.Message, StringComparison.Ordinal);
            Assert.Contains("[0, 3)", e.Message, StringComparison.Ordinal);
            Assert.Equal(output, buffer);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Loss_only_matches_loss_with_gradient_and_gradient_may_alias_the_output(string name)
    {
        LossCase loss = LossReference.Cases[name];
        (float[] output, float[] targets) = LossGradientTests.Inputs(name, 3, 5, new Random(42));
        var gradient = new float[output.Length];
        float withGradient = loss.Kernel(output, targets, 3, gradient);
        Assert.Equal(withGradient, loss.Kernel(output, targets, 3, []));

        float[] inPlace = (float[])output.Clone();
        Assert.Equal(withGradient, loss.Kernel(inPlace, targets, 3, inPlace));
        Assert.Equal(gradient, inPlace);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_longer_gradient_buffer_is_written_only_over_the_outputs(string name)
    {
        LossCase loss = LossReference.Cases[name];
        (float[] output, float[] targets) = LossGradientTests.Inputs(name, 2, 3, new Random(7));
        var gradient = new float[output.Length + 3];
        gradient.AsSpan(output.Length).Fill(42f);
        loss.Kernel(output, targets, 2, gradient);
        Assert.Equal([42f, 42f, 42f], gradient[output.Length..]);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Bad_shapes_throw(string name)
    {
        LossCase loss = LossReference.Cases[name];
        (float[] output, float[] targets) = LossGradientTests.Inputs(name, 2, 3, new Random(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => loss.Kernel(output, targets, 0, []));
        Assert.Throws<ArgumentException>(() => loss.Kernel(output, targets.AsSpan(1), 2, []));
        Assert.Throws<ArgumentException>(() => loss.Kernel(output.AsSpan(1), targets, 2, []));
        Assert.Throws<ArgumentException>(() => loss.Kernel(output, targets, 4, []));
        Assert.Throws<ArgumentException>(() => loss.Kernel([], [], 1, []));
        var e = Assert.Throws<ArgumentException>(() => loss.Kernel(output, targets, 2, new float[output.Length - 1]));
        Assert.Contains($"at least {output.Length}", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Element-wise within 1e-6 (values that underflow to denormals, like e^−100/4, count as 0).</summary>
    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6f, $"[{i}]: expected {expected[i]:R}, received {actual[i]:R}.");
        }
    }

    [Theory]
    [InlineData("SCCE.FromLogits", 250, 10)]  // three blocks of exponentials (102 rows of 10 per block)
    [InlineData("CCE.FromLogits", 250, 10)]
    [InlineData("SCCE.FromLogits", 3, 1500)]  // rows longer than a block: scratch from the pool
    [InlineData("CCE.FromLogits", 3, 1500)]
    public void Softmax_losses_match_the_double_reference_across_blocks_and_in_place(string name, int batch, int classes)
    {
        LossCase loss = LossReference.Cases[name];
        var random = new Random(batch + classes);
        var logits = new float[batch * classes];
        for (int i = 0; i < logits.Length; i++)
        {
            logits[i] = (float)((random.NextDouble() * 20) - 10);
        }

        var labels = new float[batch];
        for (int b = 0; b < batch; b++)
        {
            labels[b] = random.Next(classes);
        }

        float[] targets = loss.Sparse ? labels : LossReference.OneHot(labels, classes);
        double expected = loss.Reference(Array.ConvertAll(logits, v => (double)v), targets, batch);
        var gradient = new float[logits.Length];
        float value = loss.Kernel(logits, targets, batch, gradient);
        Assert.True(Math.Abs(value - expected) <= 1e-6 * expected, $"loss {value:R}, reference {expected:R}");

        // (softmax − onehot)/batch, row by row in double.
        for (int b = 0; b < batch; b++)
        {
            double max = double.NegativeInfinity, total = 0;
            for (int i = 0; i < classes; i++)
            {
                max = Math.Max(max, logits[(b * classes) + i]);
            }

            for (int i = 0; i < classes; i++)
            {
                total += Math.Exp(logits[(b * classes) + i] - max);
            }

            for (int i = 0; i < classes; i++)
            {
                double p = Math.Exp(logits[(b * classes) + i] - max) / total;
                double g = (p - (i == (int)labels[b] ? 1 : 0)) / batch;
                float actual = gradient[(b * classes) + i];
                Assert.True(Math.Abs(actual - g) <= (1e-6 * Math.Abs(g)) + 1e-12, $"row {b} class {i}: {actual:R}, expected {g:R}");
            }
        }

        // The gradient may be the logits buffer itself: same loss, same gradient.
        float[] inPlace = (float[])logits.Clone();
        Assert.Equal(value, loss.Kernel(inPlace, targets, batch, inPlace));
        Assert.Equal(gradient, inPlace);

        // Loss only (no gradient) gives the same value.
        Assert.Equal(value, loss.Kernel(logits, targets, batch, []));
    }
}
