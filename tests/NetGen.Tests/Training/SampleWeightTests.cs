using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Data;
using NetGen.Losses;
using NetGen.Optimizers;
using NetGen.Tests.Gradients;
using NetGen.Tests.Models;
using NetGen.Training;

namespace NetGen.Tests.Training;

/// <summary>Keras's class_weight and sample_weight: the weighted loss, its gradient, the checks, and what they do to training.</summary>
public sealed class SampleWeightTests
{
    [Theory]
    [MemberData(nameof(NetworkGradientTests.Models), MemberType = typeof(NetworkGradientTests))]
    public void Weighted_backward_matches_central_finite_differences_of_the_Keras_weighted_loss_in_double(string name)
    {
        Network model = NetworkGradientTests.Create(name, seed: 3);
        NetworkInfo info = model.Info;
        const int batch = 5;
        var rng = new Random(17);
        float[] x = Enumerable.Range(0, batch * info.InputSize).Select(_ => (float)((rng.NextDouble() * 4) - 2)).ToArray();
        float[] t = NetworkGradientTests.Targets(info, batch, rng);
        float[] w = [0.5f, 0f, 3f, 1f, 1.75f];

        model.Forward(x, batch, training: true);
        model.UseSampleWeights(w, batch);
        float loss = model.Backward(x, t, batch);
        model.UseSampleWeights(null, 0);
        float[] analytic = model.Gradients.ToArray();

        // Keras 3 (sum_over_batch_size): Σ wᵢ·ℓᵢ / batch, each ℓᵢ the reference loss of sample i alone, plus the L2 penalty.
        double[] p = model.Parameters.ToArray().Select(v => (double)v).ToArray();
        int tSize = info.TargetSize;
        double Weighted()
        {
            double sum = 0;
            for (int b = 0; b < batch; b++)
            {
                double[] xb = x.Skip(b * info.InputSize).Take(info.InputSize).Select(v => (double)v).ToArray();
                double[] tb = t.Skip(b * tSize).Take(tSize).Select(v => (double)v).ToArray();
                sum += w[b] * ReferenceNetwork.DataLoss(info, p, xb, tb, 1);
            }

            return (sum / batch) + ReferenceNetwork.Penalty(info, p); // the L2 penalty is the batch's, unweighted
        }

        double referenceLoss = Weighted();
        Assert.True(Math.Abs(loss - referenceLoss) <= 1e-5 + (1e-5 * referenceLoss), $"{name}: loss {loss}, reference {referenceLoss}");
        const double h = 1e-6;
        for (int j = 0; j < info.TrainableParameterCount; j++)
        {
            double saved = p[j];
            p[j] = saved + h;
            double up = Weighted();
            p[j] = saved - h;
            double down = Weighted();
            p[j] = saved;
            double numeric = (up - down) / (2 * h);
            Assert.True(Math.Abs(analytic[j] - numeric) <= 2e-5 + (1e-3 * Math.Abs(numeric)),
                $"{name}: gradient of parameter {j} is {analytic[j]}, finite differences give {numeric}");
        }
    }

    [Fact]
    public void Weighted_loss_divides_by_the_batch_size_and_scales_each_gradient_row_also_in_place()
    {
        float[] logits = [2f, -1f, 0.5f, 3f, 0f, -2f];
        float[] labels = [0, 2];
        var plain = new float[6];
        float unweighted = SparseCategoricalCrossEntropy.FromLogits(logits, labels, 2, plain);
        float first = SparseCategoricalCrossEntropy.FromLogits(logits.AsSpan(0, 3), labels.AsSpan(0, 1), 1, default);
        float second = SparseCategoricalCrossEntropy.FromLogits(logits.AsSpan(3, 3), labels.AsSpan(1, 1), 1, default);

        // In place: the gradient overwrites the logits it is computed from.
        float[] inPlace = (float[])logits.Clone();
        float weighted = SparseCategoricalCrossEntropy.FromLogits(inPlace, labels, 2, inPlace, [2f, 0.5f]);
        Assert.Equal(((2 * first) + (0.5 * second)) / 2, weighted, 6); // over the batch size, not over Σw = 2.5
        Assert.Equal(unweighted, SparseCategoricalCrossEntropy.FromLogits(logits, labels, 2, default, [1f, 1f]), 6);
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(plain[i] * (i < 3 ? 2f : 0.5f), inPlace[i], 6);
        }

        Assert.Contains("one per sample (2)", Assert.Throws<ArgumentException>(() => MeanSquaredError.Compute(logits, logits, 2, default, [1f])).Message);
    }

    private delegate float Weighted(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int batch, Span<float> gradient, ReadOnlySpan<float> sampleWeights);

    public static TheoryData<string> Kernels => new()
    {
        "BinaryCrossEntropy.FromLogits", "BinaryCrossEntropy.FromProbabilities", "CategoricalCrossEntropy.FromLogits",
        "CategoricalCrossEntropy.FromProbabilities", "SparseCategoricalCrossEntropy.FromLogits",
        "SparseCategoricalCrossEntropy.FromProbabilities", "MeanSquaredError.Compute", "MeanAbsoluteError.Compute",
    };

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Every_loss_weighs_each_sample_as_Keras_3(string kernel)
    {
        Weighted loss = kernel switch
        {
            "BinaryCrossEntropy.FromLogits" => BinaryCrossEntropy.FromLogits,
            "BinaryCrossEntropy.FromProbabilities" => BinaryCrossEntropy.FromProbabilities,
            "CategoricalCrossEntropy.FromLogits" => CategoricalCrossEntropy.FromLogits,
            "CategoricalCrossEntropy.FromProbabilities" => CategoricalCrossEntropy.FromProbabilities,
            "SparseCategoricalCrossEntropy.FromLogits" => SparseCategoricalCrossEntropy.FromLogits,
            "SparseCategoricalCrossEntropy.FromProbabilities" => SparseCategoricalCrossEntropy.FromProbabilities,
            "MeanSquaredError.Compute" => MeanSquaredError.Compute,
            _ => MeanAbsoluteError.Compute,
        };
        const int batch = 4, k = 3;
        bool sparse = kernel.StartsWith("Sparse", StringComparison.Ordinal);
        float[] outputs = [0.2f, 0.5f, 0.3f, 0.7f, 0.1f, 0.2f, 0.3f, 0.3f, 0.4f, 0.05f, 0.9f, 0.05f];
        float[] targets = sparse ? [1, 0, 2, 1] : [0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0];
        float[] w = [2f, 0f, 0.5f, 1.25f];
        int t = sparse ? 1 : k;
        var plain = new float[batch * k];
        loss(outputs, targets, batch, plain, default);
        double expected = 0;
        for (int b = 0; b < batch; b++)
        {
            expected += w[b] * loss(outputs.AsSpan(b * k, k), targets.AsSpan(b * t, t), 1, default, default);
        }

        var gradient = new float[batch * k];
        Assert.Equal(expected / batch, loss(outputs, targets, batch, gradient, w), 6);
        for (int i = 0; i < gradient.Length; i++)
        {
            Assert.Equal(plain[i] * w[i / k], gradient[i], 6);
        }

        Assert.Equal(loss(outputs, targets, batch, default, default), loss(outputs, targets, batch, default, [1f, 1f, 1f, 1f]), 6);
    }

    private static Dataset Imbalanced(int n, int seed, out int minority)
    {
        // Two overlapping clouds, 1 sample in 20 of class 1: unweighted training mostly predicts the majority class.
        var rng = new Random(seed);
        var x = new float[n, 2];
        var y = new float[n];
        minority = 0;
        for (int i = 0; i < n; i++)
        {
            bool positive = i % 20 == 0;
            double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
            double g1 = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2), g2 = Math.Sqrt(-2 * Math.Log(u1)) * Math.Sin(2 * Math.PI * u2);
            x[i, 0] = (float)(g1 + (positive ? 1.2 : 0));
            x[i, 1] = (float)(g2 + (positive ? 1.2 : 0));
            y[i] = positive ? 1 : 0;
            minority += positive ? 1 : 0;
        }

        return Dataset.From(x, y);
    }

    [Fact]
    public void Class_weights_raise_the_minority_recall_on_imbalanced_data()
    {
        Dataset train = Imbalanced(2000, 1, out _), test = Imbalanced(2000, 2, out _);
        float Recall(IReadOnlyDictionary<int, float>? classWeight)
        {
            var model = new Xor241Tanh(seed: 4);
            model.Compile(new Adam(0.01f), [Metric.Recall]);
            model.Fit(train, epochs: 10, batchSize: 32, seed: 3, verbose: 0, classWeight: classWeight);
            return model.Evaluate(test).Metrics["recall"];
        }

        float plain = Recall(null), weighted = Recall(new Dictionary<int, float> { [0] = 1f, [1] = 19f });
        // Measured: 0.12 unweighted, 0.76 weighted; the bounds leave room for another SIMD tier's rounding.
        Assert.True(plain < 0.3f, $"unweighted recall {plain}");
        Assert.True(weighted > 0.6f && weighted > plain + 0.4f, $"weighted recall {weighted}, unweighted {plain}");
    }

    [Fact]
    public void Sample_weights_follow_their_samples_through_shuffling()
    {
        // Every sample labeled 1 weighs 0: trained only on the 0s, the model must predict 0 everywhere. A weight
        // applied to the wrong sample would let the 1s pull the predictions up.
        var x = new float[64, 2];
        var y = new float[64];
        var weights = new float[64];
        for (int i = 0; i < 64; i++)
        {
            x[i, 0] = i % 2;
            x[i, 1] = (i / 2) % 2;
            y[i] = (i * 7 % 3) == 0 ? 1 : 0;
            weights[i] = y[i] == 1 ? 0 : 1;
        }

        var model = new Xor221(seed: 2);
        model.Compile(new Adam(0.05f));
        model.Fit(x, y, epochs: 60, batchSize: 8, seed: 5, verbose: 0, sampleWeight: weights);
        Assert.All(model.Predict(x).Cast<float>(), p => Assert.True(p < 0.1f, $"prediction {p}"));

        // Weighted Evaluate: the loss only counts the 0s (their loss over all 64), so it is near 0.
        Assert.True(model.Evaluate(x, y, sampleWeight: weights).Loss < 0.1f * weights.Sum() / 64);
        Assert.True(model.Evaluate(x, y).Loss > 0.5f);
    }

    [Fact]
    public void Weighted_evaluate_is_the_weighted_sum_of_sample_losses_over_the_count()
    {
        var model = new SparseClassifier(seed: 4);
        var rng = new Random(2);
        var x = new float[7, 6];
        var labels = new int[7];
        for (int i = 0; i < 7; i++)
        {
            labels[i] = rng.Next(3);
            for (int j = 0; j < 6; j++)
            {
                x[i, j] = (float)rng.NextDouble();
            }
        }

        float[] w = [1f, 0f, 2f, 0.5f, 3f, 1f, 0.25f];
        double expected = 0;
        for (int i = 0; i < 7; i++)
        {
            var one = new float[1, 6];
            for (int j = 0; j < 6; j++)
            {
                one[0, j] = x[i, j];
            }

            expected += w[i] * model.Evaluate(one, [labels[i]]).Loss;
        }

        Assert.Equal(expected / 7, model.Evaluate(x, labels, batchSize: 3, sampleWeight: w).Loss, 5);
        Assert.Equal(model.Evaluate(x, labels).Loss, model.Evaluate(x, labels, sampleWeight: Enumerable.Repeat(1f, 7).ToArray()).Loss, 6);
    }

    [Fact]
    public void Unit_weights_train_exactly_as_no_weights()
    {
        Dataset data = Imbalanced(200, 3, out _);
        History Train(IReadOnlyList<float>? w)
        {
            var model = new Xor221(seed: 1);
            return model.Fit(data, epochs: 3, batchSize: 16, seed: 9, verbose: 0, sampleWeight: w, validationSplit: 0.2);
        }

        Assert.Equal(Train(null).Loss, Train(Enumerable.Repeat(1f, 200).ToArray()).Loss);
    }

    [Fact]
    public void Validation_split_keeps_the_held_out_samples_weights_for_val_loss_as_Keras_splits_them()
    {
        Dataset data = Imbalanced(100, 4, out _);
        float[] w = Enumerable.Range(0, 100).Select(i => (i % 4) * 0.5f).ToArray();
        var model = new Xor221(seed: 3);
        History history = model.Fit(data, epochs: 1, batchSize: 16, seed: 1, verbose: 0, sampleWeight: w, validationSplit: 0.2);

        var held = new float[20, 2];
        var heldY = new float[20];
        for (int i = 0; i < 20; i++)
        {
            held[i, 0] = data.Features[(80 + i) * 2];
            held[i, 1] = data.Features[((80 + i) * 2) + 1];
            heldY[i] = data.Targets[80 + i];
        }

        Assert.Equal(model.Evaluate(held, heldY, batchSize: 16, sampleWeight: w[80..]).Loss, history.ValidationLoss[0], 6);
        Assert.NotEqual(model.Evaluate(held, heldY, batchSize: 16).Loss, history.ValidationLoss[0]);

        // Class weights weigh training only (Keras applies them to the training data), so val_loss stays plain.
        History classWeighted = model.Fit(data, epochs: 1, batchSize: 16, seed: 1, verbose: 0, classWeight: new Dictionary<int, float> { [1] = 5 }, validationSplit: 0.2);
        Assert.Equal(model.Evaluate(held, heldY, batchSize: 16).Loss, classWeighted.ValidationLoss[0], 6);
    }

    [Fact]
    public void Bad_weights_are_refused_before_training_naming_what_is_wrong()
    {
        var model = new Xor221(seed: 1);
        float[,] x = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
        float[] y = [0, 1, 1, 0];
        float[] before = model.Parameters.ToArray();
        string Error(IReadOnlyDictionary<int, float>? classWeight = null, IReadOnlyList<float>? sampleWeight = null) =>
            Assert.ThrowsAny<ArgumentException>(() => model.Fit(x, y, verbose: 0, classWeight: classWeight, sampleWeight: sampleWeight)).Message;

        Assert.Contains("cannot both be given", Error(new Dictionary<int, float> { [1] = 2 }, [1, 1, 1, 1]));
        Assert.Contains("sampleWeight has 3 values but the data has 4 samples", Error(sampleWeight: [1, 1, 1]));
        Assert.Contains("sampleWeight[2] is -1", Error(sampleWeight: [1, 1, -1, 1]));
        Assert.Contains("sampleWeight[0] is NaN", Error(sampleWeight: [float.NaN, 1, 1, 1]));
        Assert.Contains("class 2, but Xor221 has classes 0 to 1", Error(new Dictionary<int, float> { [2] = 2 }));
        Assert.Contains("classWeight[1] is Infinity", Error(new Dictionary<int, float> { [1] = float.PositiveInfinity }));
        Assert.Contains("classWeight needs one class per sample", Assert.ThrowsAny<ArgumentException>(() =>
            new Regressor(seed: 1).Fit(new float[2, 3], new float[2, 2], verbose: 0, classWeight: new Dictionary<int, float> { [0] = 2 })).Message);
        Assert.Contains("class 3, but", Assert.ThrowsAny<ArgumentException>(() =>
            new SparseClassifier(seed: 1).Fit(new float[2, 6], new[] { 0, 1 }, verbose: 0, classWeight: new Dictionary<int, float> { [3] = 2 })).Message);
        Assert.Equal(before, model.Parameters.ToArray());
        Assert.Contains("sampleWeight has 2 values", Assert.ThrowsAny<ArgumentException>(() => model.Evaluate(x, y, sampleWeight: [1, 1])).Message);
    }

    [Fact]
    public void A_weighted_training_step_allocates_nothing_after_warm_up()
    {
        var model = new Mlp(seed: 1);
        var optimizer = new Adam();
        const int batch = 32;
        var x = new float[batch * model.Info.InputSize];
        var y = new float[batch];
        var w = new float[batch];
        for (int i = 0; i < batch; i++)
        {
            y[i] = i % 10;
            w[i] = 1 + (i % 3);
        }

        void Step()
        {
            model.Forward(x, batch, training: true);
            model.UseSampleWeights(w, batch);
            model.Backward(x, y, batch);
            model.UseSampleWeights(null, 0);
            optimizer.Step(model.Parameters, model.Gradients);
        }

        Assert.Equal(0, AllocationProbe.SteadyStateBytes(Step, callsPerWindow: 50));
    }

    [Fact]
    public void Fit_steps_with_metrics_and_weights_allocate_nothing_after_warm_up()
    {
        // Measured from inside Fit: the bytes allocated on the training thread between batches, in windows of 200
        // steps after the first 400; the smallest window must be 0 (a one-off runtime event shows in at most a few).
        const int steps = 2000, window = 200;
        Dataset data = Imbalanced(steps, 5, out _);
        var bytes = new long[steps];
        var probe = new BatchProbe(bytes);
        var model = new Xor221(seed: 1);
        model.Compile(new Adam(), [Metric.Precision, Metric.Recall, Metric.Auc, Metric.MeanAbsoluteError]);
        model.Fit(data, epochs: 1, batchSize: 1, seed: 2, verbose: 0, callbacks: [probe], classWeight: new Dictionary<int, float> { [1] = 5 });
        long smallest = long.MaxValue;
        for (int start = 400; start + window < steps; start += window)
        {
            smallest = Math.Min(smallest, bytes[start + window] - bytes[start]);
        }

        Assert.Equal(0, smallest);
        Assert.Equal(4, probe.MetricCount);
    }

    private sealed class BatchProbe(long[] bytes) : Callback
    {
        public int MetricCount { get; private set; }

        public override void OnBatchEnd(Network model, in BatchLogs logs)
        {
            bytes[logs.Step - 1] = GC.GetAllocatedBytesForCurrentThread();
            MetricCount = logs.Metrics.Length;
        }
    }
}
