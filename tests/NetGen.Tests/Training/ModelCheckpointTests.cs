using System;
using System.IO;
using System.Linq;
using NetGen.Tests.Models;
using NetGen.Training;

namespace NetGen.Tests.Training;

public sealed class ModelCheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("netgen-ckpt").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Save_best_only_writes_on_improvement_and_the_file_holds_the_best_epochs_weights()
    {
        var model = new Xor221(seed: 1);
        string path = Path.Combine(_dir, "best.safetensors");
        var checkpoint = new ModelCheckpoint(path, "val_loss", saveBestOnly: true);
        checkpoint.OnTrainBegin(model);
        float[] losses = [0.9f, 0.5f, 0.7f];
        float[]? best = null;
        for (int epoch = 0; epoch < losses.Length; epoch++)
        {
            model.Parameters.Fill(epoch + 1);
            best = epoch == 1 ? model.Parameters.ToArray() : best;
            checkpoint.OnEpochEnd(model, new EpochLogs(epoch, 0f, null, TimeSpan.Zero, ValidationLoss: losses[epoch]));
        }

        Assert.Equal(1, checkpoint.LastSavedEpoch);
        var restored = new Xor221(seed: 99);
        restored.LoadWeights(path);
        Assert.Equal(best, restored.Parameters.ToArray());
        Assert.Equal([path], Directory.GetFiles(_dir)); // no temp files left behind
    }

    [Fact]
    public void Save_best_only_on_val_auc_keeps_the_highest_and_names_files_with_it()
    {
        var model = new Xor221(seed: 1);
        var checkpoint = new ModelCheckpoint(Path.Combine(_dir, "auc-{epoch}-{val_auc:.2f}.safetensors"), "val_auc", saveBestOnly: true);
        checkpoint.OnTrainBegin(model);
        float[] aucs = [0.6f, 0.9f, 0.7f];
        for (int epoch = 0; epoch < aucs.Length; epoch++)
        {
            checkpoint.OnEpochEnd(model, new EpochLogs(epoch, 0f, null, TimeSpan.Zero) { Metrics = new System.Collections.Generic.Dictionary<string, float> { ["val_auc"] = aucs[epoch] } });
        }

        Assert.Equal(1, checkpoint.LastSavedEpoch);
        Assert.Equal(["auc-1-0.60.safetensors", "auc-2-0.90.safetensors"], Directory.GetFiles(_dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Every_epoch_with_an_epoch_template_and_inside_fit()
    {
        var model = new Xor221(seed: 2);
        var checkpoint = new ModelCheckpoint(Path.Combine(_dir, "epoch-{epoch}.safetensors"), monitor: "loss");
        model.Fit(new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } }, [0f, 1, 1, 0], epochs: 3, verbose: 0, callbacks: [checkpoint]);
        Assert.Equal(["epoch-1.safetensors", "epoch-2.safetensors", "epoch-3.safetensors"], Directory.GetFiles(_dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Normalization_statistics_travel_with_the_weights()
    {
        var model = new NormalizedRegressor(seed: 3);
        model.Adapt(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        string path = Path.Combine(_dir, "normalized.safetensors");
        model.SaveWeights(path);
        var restored = new NormalizedRegressor(seed: 4);
        restored.LoadWeights(path);
        Assert.Equal(model.Parameters.ToArray(), restored.Parameters.ToArray());
        Assert.Equal(2f, restored.NormalizationCount[0]);
    }
}
