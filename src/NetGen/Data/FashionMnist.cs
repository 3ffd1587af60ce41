using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;

namespace NetGen.Data;

/// <summary>
/// Fashion-MNIST (Zalando Research, MIT license): 28×28 grey images of clothing in 10 classes, 60000 for training and
/// 10000 for testing, like Keras's <c>fashion_mnist.load_data()</c>.
/// </summary>
public static class FashionMnist
{
    /// <summary>The folder name under a data root (<c>NETGEN_DATA</c> or the default cache).</summary>
    public const string DatasetName = "fashion-mnist";

    /// <summary>Image height and width in pixels.</summary>
    public const int ImageSide = 28;

    /// <summary>Features per sample: 28 × 28 pixels, row-major, scaled to [0, 1].</summary>
    public const int ImageSize = ImageSide * ImageSide;

    /// <summary>Number of classes; labels are 0 to 9.</summary>
    public const int ClassCount = 10;

    /// <summary>The training images file.</summary>
    public const string TrainImagesFile = "train-images-idx3-ubyte.gz";

    /// <summary>The training labels file.</summary>
    public const string TrainLabelsFile = "train-labels-idx1-ubyte.gz";

    /// <summary>The test images file.</summary>
    public const string TestImagesFile = "t10k-images-idx3-ubyte.gz";

    /// <summary>The test labels file.</summary>
    public const string TestLabelsFile = "t10k-labels-idx1-ubyte.gz";

    /// <summary>The four files, as the public distribution names them.</summary>
    public static IReadOnlyList<string> FileNames { get; } = [TrainImagesFile, TrainLabelsFile, TestImagesFile, TestLabelsFile];

    /// <summary>Class names by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>
    /// Where downloads come from, in order: the project's own mirror, the bucket Keras downloads from, and the
    /// project's GitHub repository.
    /// </summary>
    public static IReadOnlyList<Uri> Mirrors { get; } =
    [
        new("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
        new("https://storage.googleapis.com/tensorflow/tf-keras-datasets/"),
        new("https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/"),
    ];

    /// <summary>The SHA-256 of each published file; a download that does not match is discarded.</summary>
    public static IReadOnlyDictionary<string, string> Sha256 { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [TrainImagesFile] = "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
        [TrainLabelsFile] = "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
        [TestImagesFile] = "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
        [TestLabelsFile] = "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
    };

    /// <summary>
    /// The folder <see cref="Load(string?, DownloadOptions?, CancellationToken)"/> reads (and, outside <c>$NETGEN_DATA</c>, downloads into) for <paramref name="directory"/>:
    /// the same rule, for tools that hand the files to other programs.
    /// </summary>
    public static string ResolveDirectory(string? directory = null) => DataCache.Locate(DatasetName, directory).Directory;

    /// <summary>
    /// Loads the training and test sets: features are 784 floats in [0, 1] per image (row-major 28×28), the target is
    /// the class label 0–9 as one float (for sparse categorical cross-entropy; <see cref="Dataset.ToOneHot"/> converts).
    /// </summary>
    /// <remarks>
    /// <para>The files are looked for in, first match wins:</para>
    /// <list type="number">
    /// <item><paramref name="directory"/>, if given;</item>
    /// <item><c>$NETGEN_DATA/fashion-mnist/</c>, if the <c>NETGEN_DATA</c> environment variable is set (a root with one
    /// folder per dataset). NetGen never downloads there: a missing file is an error;</item>
    /// <item>the per-user cache <c>~/.netgen/datasets/fashion-mnist/</c> (under <see cref="Environment.SpecialFolder.UserProfile"/>).</item>
    /// </list>
    /// <para>
    /// In the first and last case, files that are missing are downloaded from <see cref="Mirrors"/> and checked against
    /// <see cref="Sha256"/> before being saved; files already there are never downloaded again. They are accepted as
    /// they are, checked for IDX structure rather than digest, so a re-packed copy of the same data loads too.
    /// </para>
    /// </remarks>
    /// <param name="directory">A folder holding (or to receive) the four <see cref="FileNames"/>.</param>
    /// <param name="download">Mirrors, digests, HTTP client and progress for downloads; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels a download; a cancelled download leaves no file behind.</param>
    /// <exception cref="FileNotFoundException">Files are missing from <c>$NETGEN_DATA/fashion-mnist/</c>.</exception>
    /// <exception cref="IOException">A file could not be downloaded from any mirror.</exception>
    /// <exception cref="InvalidDataException">A download did not match its digest, or a file is malformed.</exception>
    public static (Dataset Train, Dataset Test) Load(string? directory = null, DownloadOptions? download = null, CancellationToken cancellationToken = default) =>
        Load(DataCache.Locate(DatasetName, directory), download ?? new DownloadOptions(), cancellationToken);

    internal static (Dataset Train, Dataset Test) Load(DataLocation location, DownloadOptions download, CancellationToken cancellationToken)
    {
        string dir = location.Directory;
        string[] missing = FileNames.Where(name => !File.Exists(Path.Combine(dir, name))).ToArray();
        if (missing.Length > 0)
        {
            if (location.FromEnvironment)
            {
                throw new FileNotFoundException(
                    $"{DataCache.EnvironmentVariable} is set, so NetGen does not download, but {dir} lacks {string.Join(", ", missing)}. " +
                    $"Copy the Fashion-MNIST files there, or unset {DataCache.EnvironmentVariable} to download into the default cache.",
                    Path.Combine(dir, missing[0]));
            }

            DatasetDownloader.Download(dir, missing, download.Mirrors ?? Mirrors, download.Sha256 ?? Sha256, download.HttpClient, download.Progress, cancellationToken);
        }

        try
        {
            return (Read(dir, TrainImagesFile, TrainLabelsFile), Read(dir, TestImagesFile, TestLabelsFile));
        }
        catch (InvalidDataException e) when (!location.FromEnvironment && FileNames.FirstOrDefault(name => e.Message.Contains(Path.Combine(dir, name), StringComparison.Ordinal)) is { } damaged)
        {
            // A download can only be damaged after its digest matched (a disk error, a copy cut short): fetching it anew fixes it.
            throw new InvalidDataException($"{e.Message} Delete '{Path.Combine(dir, damaged)}' and load again: NetGen downloads a missing file anew.", e);
        }
    }

    private static Dataset Read(string directory, string images, string labels)
    {
        string labelsPath = Path.Combine(directory, labels);
        Dataset data = IdxReader.ReadDataset(Path.Combine(directory, images), labelsPath, ImageSide, ImageSide);
        ReadOnlySpan<float> targets = data.Targets;
        for (int i = 0; i < targets.Length; i++)
        {
            if (targets[i] >= ClassCount)
            {
                throw new InvalidDataException($"Invalid Fashion-MNIST labels file '{labelsPath}': label {i} is {targets[i]}, but classes are 0 to {ClassCount - 1}.");
            }
        }

        return data;
    }
}
