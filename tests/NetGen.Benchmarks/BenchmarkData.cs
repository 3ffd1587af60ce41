using System;
using System.IO;
using NetGen.Data;

namespace NetGen.Benchmarks;

/// <summary>
/// Where the benchmarks find their data. Fashion-MNIST comes from <c>$NETGEN_DATA/fashion-mnist</c> if NETGEN_DATA is
/// set (never downloaded there), else from <c>../shared/data/fashion-mnist</c> beside the repository (found by walking
/// up to NetGen.sln), else from NetGen's per-user cache, downloaded on first use. Loaded once per process.
/// </summary>
internal static class BenchmarkData
{
    private static readonly Lazy<(Dataset Train, Dataset Test)> s_fashionMnist = new(LoadFashionMnist);

    /// <summary>The 60 000 training images (784 floats in [0, 1] each) and their labels.</summary>
    public static Dataset Train => s_fashionMnist.Value.Train;

    /// <summary>The 10 000 test images and their labels.</summary>
    public static Dataset Test => s_fashionMnist.Value.Test;

    /// <summary>The four XOR points and their targets: one full batch.</summary>
    public static Dataset Xor() => Dataset.From(new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } }, new float[] { 0, 1, 1, 0 });

    /// <summary>The folder the Fashion-MNIST files are read from (the same one the Python peers are given).</summary>
    public static string FashionMnistDirectory() => FashionMnist.ResolveDirectory(PreferredDirectory());

    /// <summary>The folder holding NetGen.sln, looked for above the working directory and above the program; null if none.</summary>
    public static string? RepositoryRoot()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "NetGen.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    private static (Dataset Train, Dataset Test) LoadFashionMnist() => FashionMnist.Load(PreferredDirectory());

    /// <summary>
    /// The shared copy beside the repository, unless NETGEN_DATA is set: then null, so NetGen locates the files itself
    /// and its "never download there" rule holds.
    /// </summary>
    private static string? PreferredDirectory() =>
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NETGEN_DATA")) ? SharedFashionMnist() : null;

    /// <summary>../shared/data/fashion-mnist next to the repository, if the training images are there.</summary>
    private static string? SharedFashionMnist()
    {
        string? root = RepositoryRoot();
        if (root is null)
        {
            return null;
        }

        string shared = Path.GetFullPath(Path.Combine(root, "..", "shared", "data", FashionMnist.DatasetName));
        return File.Exists(Path.Combine(shared, FashionMnist.TrainImagesFile)) ? shared : null;
    }
}
