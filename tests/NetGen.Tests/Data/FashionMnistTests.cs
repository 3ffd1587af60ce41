using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using NetGen.Data;
using Xunit.Abstractions;

namespace NetGen.Tests.Data;

/// <summary>Loading Fashion-MNIST from files already on disk: the real data, malformed sets, and where files are looked for.</summary>
public sealed class FashionMnistTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ResolveDirectory_names_the_folder_Load_uses()
    {
        string relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), _dir.Path);
        Assert.Equal(_dir.Path, FashionMnist.ResolveDirectory(relative));
        Assert.EndsWith(Path.Combine(string.Empty, FashionMnist.DatasetName), FashionMnist.ResolveDirectory(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_real_data_loads_with_its_sizes_pixel_means_and_class_balance_without_touching_the_network()
    {
        if (TestData.FashionMnistDirectory(output) is not string dir)
        {
            return;
        }

        // The shared copy is the same images in another order, so its digests differ from the published files'. Files
        // already present are accepted by structure, with the default (published) digests, and nothing is downloaded:
        // the only mirror is a local server that counts requests.
        IReadOnlyDictionary<string, byte[]> files = TestData.FashionMnistFiles(dir);
        Assert.NotEqual(FashionMnist.Sha256[FashionMnist.TestLabelsFile], TestData.Sha256(files[FashionMnist.TestLabelsFile]));
        using var server = LoopbackHttpServer.Serving(files.ToDictionary(f => f.Key, f => Reply.Ok(f.Value)));
        using HttpClient client = LoopbackHttpServer.CreateClient();

        (Dataset train, Dataset test) = FashionMnist.Load(dir, new DownloadOptions { Mirrors = [server.Url("data/")], HttpClient = client });

        Assert.Empty(server.Requests);
        Assert.Equal((60000, 10000), (train.Count, test.Count));
        Assert.Equal((784, 784, 1, 1), (train.FeatureSize, test.FeatureSize, train.TargetSize, test.TargetSize));
        Assert.Equal(0.28611, Mean(train.Features), 0.00001);
        Assert.Equal(0.28691, Mean(test.Features), 0.00001);
        Assert.Equal(0f, Min(train.Features));
        Assert.Equal(1f, Max(train.Features));
        Assert.Equal(Enumerable.Repeat(6000, 10), ClassCounts(train.Targets));
        Assert.Equal(Enumerable.Repeat(1000, 10), ClassCounts(test.Targets));
    }

    [Fact]
    public void Mismatched_image_and_label_counts_are_an_error_naming_both_files()
    {
        WriteSet(trainImages: 3, trainLabels: 2);
        var error = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(_dir.Path));
        Assert.Contains(_dir[FashionMnist.TrainImagesFile], error.Message, StringComparison.Ordinal);
        Assert.Contains(_dir[FashionMnist.TrainLabelsFile], error.Message, StringComparison.Ordinal);
        Assert.Contains("3 images", error.Message, StringComparison.Ordinal);
        Assert.Contains("2 labels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_small_well_formed_set_loads_scaled_with_its_labels()
    {
        WriteSet(trainImages: 4, trainLabels: 4);
        (Dataset train, Dataset test) = FashionMnist.Load(_dir.Path);
        Assert.Equal((4, 2), (train.Count, test.Count));
        Assert.Equal([0f, 1f, 2f, 3f], train.Targets.ToArray());
        Assert.Equal(IdxWriter.Pattern(4 * 784).Select(b => b / 255f), train.Features.ToArray());
    }

    [Fact]
    public void A_label_outside_the_ten_classes_is_an_error_naming_the_file_and_sample()
    {
        WriteSet(trainImages: 2, trainLabels: 2);
        IdxWriter.Write(_dir[FashionMnist.TestLabelsFile], [.. IdxWriter.Header(0x08, 2), 9, 10], gzip: true);
        var error = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(_dir.Path));
        Assert.Contains(_dir[FashionMnist.TestLabelsFile], error.Message, StringComparison.Ordinal);
        Assert.Contains("label 1 is 10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Images_that_are_not_28_by_28_are_an_error()
    {
        WriteSet(trainImages: 2, trainLabels: 2);
        IdxWriter.Write(_dir[FashionMnist.TrainImagesFile], IdxWriter.UnsignedBytes(2, 32, 32), gzip: true);
        var error = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(_dir.Path));
        Assert.Contains("[2, 32, 32]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Under_NETGEN_DATA_missing_files_are_an_error_naming_the_folder_and_nothing_is_requested()
    {
        using var server = new LoopbackHttpServer(_ => Reply.NotFound);
        using HttpClient client = LoopbackHttpServer.CreateClient();
        DataLocation location = DataCache.Locate(FashionMnist.DatasetName, directory: null, netgenData: _dir.Path, home: "/home/nobody");
        var download = new DownloadOptions { Mirrors = [server.BaseUrl], Sha256 = FashionMnist.Sha256, HttpClient = client };

        var error = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(location, download, default));

        string expected = Path.Combine(_dir.Path, "fashion-mnist");
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("NETGEN_DATA", error.Message, StringComparison.Ordinal);
        Assert.Contains(FashionMnist.TrainImagesFile, error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
        Assert.False(Directory.Exists(expected));
    }

    [Fact]
    public void The_folder_is_the_argument_else_NETGEN_DATA_else_the_home_cache()
    {
        string home = Path.Combine(_dir.Path, "home"), root = Path.Combine(_dir.Path, "data"), mine = Path.Combine(_dir.Path, "mine");
        Assert.Equal(new DataLocation(mine, false), DataCache.Locate("fashion-mnist", mine, root, home));
        Assert.Equal(new DataLocation(Path.Combine(root, "fashion-mnist"), true), DataCache.Locate("fashion-mnist", null, root, home));
        Assert.Equal(new DataLocation(Path.Combine(home, ".netgen", "datasets", "fashion-mnist"), false), DataCache.Locate("fashion-mnist", null, "", home));
        Assert.Equal(new DataLocation(Path.Combine(home, ".netgen", "datasets", "fashion-mnist"), false), DataCache.Locate("fashion-mnist", null, null, home));
        Assert.Throws<InvalidOperationException>(() => DataCache.Locate("fashion-mnist", null, null, ""));
    }

    /// <summary>Four small, well-formed files: train images/labels as given, 2 test images with 2 labels.</summary>
    private void WriteSet(int trainImages, int trainLabels)
    {
        IdxWriter.Write(_dir[FashionMnist.TrainImagesFile], IdxWriter.UnsignedBytes(trainImages, 28, 28), gzip: true);
        IdxWriter.Write(_dir[FashionMnist.TrainLabelsFile], [.. IdxWriter.Header(0x08, (uint)trainLabels), .. Enumerable.Range(0, trainLabels).Select(i => (byte)(i % 10))], gzip: true);
        IdxWriter.Write(_dir[FashionMnist.TestImagesFile], IdxWriter.UnsignedBytes(2, 28, 28), gzip: true);
        IdxWriter.Write(_dir[FashionMnist.TestLabelsFile], [.. IdxWriter.Header(0x08, 2), 5, 9], gzip: true);
    }

    private static double Mean(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values)
        {
            sum += v;
        }

        return sum / values.Length;
    }

    private static float Min(ReadOnlySpan<float> values) => System.Numerics.Tensors.TensorPrimitives.Min(values);

    private static float Max(ReadOnlySpan<float> values) => System.Numerics.Tensors.TensorPrimitives.Max(values);

    private static int[] ClassCounts(ReadOnlySpan<float> labels)
    {
        var counts = new int[10];
        foreach (float l in labels)
        {
            counts[(int)l]++;
        }

        return counts;
    }
}
