using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Tests.Models;
using NetGen.Tests.Threading;

namespace NetGen.Tests.Convolution;

/// <summary>
/// Generated CNNs as a user meets them: Keras's summary and parameter count, the shapes in NetworkInfo, the
/// BatchNormalization statistics' rules, weights in Keras's layout, no allocation per step, and predictions that one
/// instance serves to many threads with the bits of one thread.
/// </summary>
[Collection(ThreadCountCollection.Name)]
public class ConvModelTests
{
    private static float[] Images(int count, int inputSize, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count * inputSize).Select(_ => random.Next(256) / 255f).ToArray();
    }

    private static float[] Labels(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)random.Next(10)).ToArray();
    }

    private static bool SameBits(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        MemoryMarshal.Cast<float, int>(a).SequenceEqual(MemoryMarshal.Cast<float, int>(b));

    [Fact]
    public void The_keras_convnet_has_keras_s_summary_and_34826_parameters()
    {
        Assert.Equal(34_826, KerasConvnet.ParameterCount);
        Assert.Equal(784, KerasConvnet.InputSize);
        string[] rows = KerasConvnet.Summary.Split('\n');
        // Keras's columns, the name column widened to fit the longest name and type (max_pooling2d_1 (MaxPooling2D)).
        static string Row(string name, string shape, string count) => " " + name.PadRight(31) + " " + shape.PadRight(25) + " " + count;
        Assert.Contains(Row("conv2d (Conv2D, relu)", "(None, 26, 26, 32)", "320"), rows);
        Assert.Contains(Row("max_pooling2d (MaxPooling2D)", "(None, 13, 13, 32)", "0"), rows);
        Assert.Contains(Row("conv2d_1 (Conv2D, relu)", "(None, 11, 11, 64)", "18,496"), rows);
        Assert.Contains(Row("max_pooling2d_1 (MaxPooling2D)", "(None, 5, 5, 64)", "0"), rows);
        Assert.Contains(Row("flatten (Flatten)", "(None, 1600)", "0"), rows);
        Assert.Contains(Row("dense (Dense, softmax)", "(None, 10)", "16,010"), rows);
        Assert.Equal(new string('_', 68), rows[1]);
        Assert.Contains("Total params: 34,826 (136.04 KB)", rows);

        NetworkInfo info = new KerasConvnet(seed: 1).Info;
        Assert.Equal([28, 28, 1], info.InputShape);
        Assert.Equal(
            ["conv2d 26,26,32", "max_pooling2d 13,13,32", "conv2d_1 11,11,64", "max_pooling2d_1 5,5,64", "flatten 1600", "dropout 1600", "dense 10"],
            info.Layers.Select(l => l.Name + " " + string.Join(",", l.OutputShape)));
        Assert.Equal([LayerKind.Conv2D, LayerKind.MaxPooling2D], info.Layers.Take(2).Select(l => l.Kind));
        Assert.Equal([3, 3, 1, 32], info.Tensors.Single(t => t.Name == "conv2d.kernel").Shape);
    }

    [Fact]
    public void The_conv_kernel_is_glorot_uniform_with_keras_s_fans_and_the_bias_is_zero()
    {
        var model = new KerasConvnet(seed: 5);
        // fan_in = 3·3·32 = 288, fan_out = 3·3·64 = 576: limit √(6 / 864).
        float[] kernel = model.Conv2d1Kernel.ToArray();
        double limit = Math.Sqrt(6.0 / (288 + 576));
        Assert.All(kernel, w => Assert.InRange(Math.Abs(w), 0, limit));
        Assert.True(kernel.Max() > 0.9 * limit && kernel.Min() < -0.9 * limit, "the weights span the whole Glorot range");
        Assert.All(model.Conv2d1Bias.ToArray(), b => Assert.Equal(0f, b));
    }

    [Fact]
    public void BatchNormalization_moves_its_statistics_by_keras_s_rule_and_no_optimizer_touches_them()
    {
        var model = new BatchNormNet(seed: 2);
        const int batch = 6;
        float[] x = Images(batch, BatchNormNet.InputSize, seed: 1);
        float[] y = Enumerable.Range(0, batch * 2).Select(i => (float)Math.Sin(i)).ToArray();
        NetworkInfo info = model.Info;
        Assert.Equal(["conv_bn.moving_mean", "conv_bn.moving_variance", "hidden_bn.moving_mean", "hidden_bn.moving_variance"],
            info.Tensors.Where(t => !t.Trainable).Select(t => t.Name));
        Assert.All(info.Tensors.Where(t => !t.Trainable), t => Assert.True(t.Offset >= info.TrainableParameterCount));
        Assert.False(info.Tensors.Single(t => t.Name == "conv_bn.gamma").IsKernel); // never decayed

        // One training pass of a model whose BatchNormalization reads the input itself: moving = moving·0.99 +
        // batch·0.01 per channel, over every sample and position, with the batch's biased variance (Keras 3).
        var leading = new LeadingBatchNorm(seed: 2);
        float[] images = Images(batch, LeadingBatchNorm.InputSize, seed: 4);
        leading.Forward(images, batch, training: true);
        for (int c = 0; c < 3; c++)
        {
            double[] values = [.. Enumerable.Range(0, batch * 16).Select(r => (double)images[(r * 3) + c])];
            double mean = values.Average(), variance = values.Average(v => (v - mean) * (v - mean));
            Assert.Equal(0.01 * mean, leading.InputBnMovingMean[c], 6);
            Assert.Equal(0.99 + (0.01 * variance), leading.InputBnMovingVariance[c], 6);
        }

        model.Forward(x, batch, training: true);
        // An optimizer step with weight decay changes the trainable prefix only.
        float[] statistics = model.Parameters[info.TrainableParameterCount..].ToArray();
        float[] gamma = model.ConvBnGamma.ToArray();
        model.Backward(x, y, batch);
        new AdamW(learningRate: 0.1f, weightDecay: 0.5f).Step(model.TrainableParameters, model.TrainableGradients);
        Assert.True(SameBits(statistics, model.Parameters[info.TrainableParameterCount..]));
        Assert.False(SameBits(gamma, model.ConvBnGamma));

        // Inference normalizes with the moving statistics: the same sample gives the same output alone or in any batch.
        float[] alone = model.Predict(x.AsSpan(0, BatchNormNet.InputSize));
        var outputs = new float[batch * 2];
        model.PredictBatch(x, outputs);
        Assert.True(SameBits(alone, outputs.AsSpan(0, 2)));
    }

    [Fact]
    public void Weights_round_trip_in_keras_s_layout()
    {
        var model = new BatchNormConvnet(seed: 7);
        model.Compile(new Adam());
        float[] x = Images(16, BatchNormConvnet.InputSize, seed: 3);
        model.Fit(new Dataset(x, BatchNormConvnet.InputSize, Labels(16, seed: 3), 1), epochs: 1, batchSize: 8, verbose: 0, seed: 1); // the moving statistics move
        string path = Path.Combine(Path.GetTempPath(), "netgen-cnn-" + Guid.NewGuid().ToString("N") + ".safetensors");
        try
        {
            model.SaveWeights(path);
            var loaded = new BatchNormConvnet(seed: 99);
            loaded.LoadWeights(path);
            Assert.True(SameBits(model.Parameters, loaded.Parameters));
            var a = new float[16 * 10];
            var b = new float[16 * 10];
            model.PredictBatch(x, a);
            loaded.PredictBatch(x, b);
            Assert.True(SameBits(a, b));

            // Keras's names and layouts: kernel [kh, kw, cin, filters], and the four BatchNormalization weights.
            using FileStream file = File.OpenRead(path);
            var length = new byte[8];
            file.ReadExactly(length);
            var header = new byte[BitConverter.ToInt64(length)];
            file.ReadExactly(header);
            using JsonDocument json = JsonDocument.Parse(Encoding.UTF8.GetString(header));
            int[] Shape(string name) => [.. json.RootElement.GetProperty(name).GetProperty("shape").EnumerateArray().Select(e => e.GetInt32())];
            Assert.Equal([3, 3, 1, 32], Shape("conv2d.kernel"));
            Assert.Equal([3, 3, 32, 64], Shape("conv2d_1.kernel"));
            Assert.Equal([32], Shape("batch_normalization.gamma"));
            Assert.Equal([32], Shape("batch_normalization.beta"));
            Assert.Equal([64], Shape("batch_normalization_1.moving_mean"));
            Assert.Equal([64], Shape("batch_normalization_1.moving_variance"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_pytorch_layout_names_a_cnn_as_torch_cnn_py_s_sequential()
    {
        // The layout itself (kernel order, flatten order, BatchNorm names, fixtures from PyTorch) is PyTorchLayoutTests'.
        Assert.Equal(["0.weight", "0.bias", "3.weight", "3.bias", "8.weight", "8.bias"], new KerasConvnet(seed: 1).Info.TensorNames(WeightLayout.PyTorch));
    }

    [Fact]
    public void A_training_step_and_predictions_allocate_nothing_after_warm_up()
    {
        var model = new BatchNormConvnet(seed: 1);
        var optimizer = new Adam();
        const int batch = 8;
        float[] x = Images(batch, BatchNormConvnet.InputSize, seed: 2);
        float[] y = Labels(batch, seed: 2);
        void Step()
        {
            model.Forward(x, batch, training: true);
            model.Backward(x, y, batch);
            optimizer.Step(model.TrainableParameters, model.TrainableGradients);
        }

        Assert.Equal(0, AllocationProbe.SteadyStateBytes(Step, callsPerWindow: 10));
        var output = new float[10];
        Assert.Equal(0, AllocationProbe.SteadyStateBytes(() => model.Predict(x.AsSpan(0, BatchNormConvnet.InputSize), output)));
        var outputs = new float[batch * 10];
        Assert.Equal(0, AllocationProbe.SteadyStateBytes(() => model.PredictBatch(x, outputs), callsPerWindow: 10));
    }

    [Fact]
    public void Many_threads_predict_with_one_instance_and_get_the_bits_of_one_thread()
    {
        var model = new KerasConvnet(seed: 4);
        const int count = 300;
        float[] x = Images(count, KerasConvnet.InputSize, seed: 5);
        var expected = new float[count * 10];
        using (new ThreadScope(1))
        {
            model.PredictBatch(x, expected);
        }

        foreach (int threads in new[] { 2, 3, 4 })
        {
            using (new ThreadScope(threads))
            {
                var batched = new float[count * 10];
                model.PredictBatch(x, batched);
                Assert.True(SameBits(expected, batched), $"PredictBatch with {threads} threads differs from 1 thread");
            }
        }

        // Concurrent callers: single predictions and batches at once, each equal to the serial result.
        var singles = new float[count * 10];
        var batches = new float[8][];
        Parallel.For(0, count + 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            if (i < count)
            {
                model.Predict(x.AsSpan(i * KerasConvnet.InputSize, KerasConvnet.InputSize), singles.AsSpan(i * 10, 10));
            }
            else
            {
                batches[i - count] = new float[count * 10];
                model.PredictBatch(x, batches[i - count]);
            }
        });
        Assert.All(batches, b => Assert.True(SameBits(expected, b)));
        for (int i = 0; i < count; i++)
        {
            Assert.True(SameBits(expected.AsSpan(i * 10, 10), singles.AsSpan(i * 10, 10)), $"sample {i}: a single prediction differs from the batch's");
        }
    }

    [Fact]
    public void Training_gives_the_same_bits_for_any_thread_count()
    {
        float[] x = Images(64, KerasConvnet.InputSize, seed: 6);
        float[] y = Labels(64, seed: 6);
        float[] Train(int threads)
        {
            using var scope = new ThreadScope(threads);
            var model = new BatchNormConvnet(seed: 8);
            model.Compile(new Adam());
            model.Fit(new Dataset(x, BatchNormConvnet.InputSize, y, 1), epochs: 1, batchSize: 16, verbose: 0, seed: 3);
            return model.Parameters.ToArray();
        }

        float[] one = Train(1);
        foreach (int threads in new[] { 2, 3 })
        {
            Assert.True(SameBits(one, Train(threads)), $"{threads} threads train to other weights than 1");
        }
    }

    [Fact]
    public void Evaluate_refuses_a_batch_whose_scratch_would_overflow_with_a_message_naming_the_largest_batch()
    {
        // Found in review: 71,188 floats of scratch per sample times 31,000 samples overflowed int into a meaningless error.
        var model = new KerasConvnet(seed: 1);
        var x = new float[31_000, 784];
        var labels = new int[31_000];
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => model.Evaluate(x, labels, batchSize: 31_000));
        Assert.Equal("batchSize", error.ParamName);
        Assert.Contains("use a batchSize of at most 30,166", error.Message, StringComparison.Ordinal);
    }
}
