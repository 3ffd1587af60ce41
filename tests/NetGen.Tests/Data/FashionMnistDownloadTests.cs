using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using NetGen.Data;
using Xunit.Abstractions;

namespace NetGen.Tests.Data;

/// <summary>
/// Downloading into an empty cache, against a real HTTP server on 127.0.0.1 that serves the shared copies of the four
/// files (with their own digests in place of the published ones) or broken versions of them.
/// </summary>
public sealed class FashionMnistDownloadTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _cache = new();
    private readonly HttpClient _client = LoopbackHttpServer.CreateClient();

    public void Dispose()
    {
        _client.Dispose();
        _cache.Dispose();
    }

    [Fact]
    public void A_first_load_downloads_verified_files_and_a_second_load_makes_no_requests()
    {
        if (Files() is not { } files)
        {
            return;
        }

        using var server = LoopbackHttpServer.Serving(files.ToDictionary(f => f.Key, f => Reply.Ok(f.Value)));
        (Dataset train, Dataset test) = FashionMnist.Load(_cache.Path, Options(server, files));

        Assert.Equal((60000, 10000), (train.Count, test.Count));
        Assert.Equal(FashionMnist.FileNames.Order(StringComparer.Ordinal), _cache.FileNames()); // and no .part file
        foreach (string name in FashionMnist.FileNames)
        {
            Assert.Equal(files[name], File.ReadAllBytes(_cache[name]));
        }

        Assert.Equal(FashionMnist.FileNames.Select(name => "/data/" + name), server.Requests);

        (train, _) = FashionMnist.Load(_cache.Path, Options(server, files));
        Assert.Equal(60000, train.Count);
        Assert.Equal(4, server.Requests.Count);
    }

    [Fact]
    public void A_download_that_fails_its_checksum_is_an_error_and_leaves_nothing_in_the_cache()
    {
        if (Files() is not { } files)
        {
            return;
        }

        byte[] corrupt = (byte[])files[FashionMnist.TrainImagesFile].Clone();
        corrupt[corrupt.Length / 2] ^= 0x01;
        using var server = LoopbackHttpServer.Serving(files.ToDictionary(f => f.Key, f => Reply.Ok(f.Key == FashionMnist.TrainImagesFile ? corrupt : f.Value)));

        var error = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(_cache.Path, Options(server, files)));

        Assert.Contains("Checksum mismatch for " + FashionMnist.TrainImagesFile, error.Message, StringComparison.Ordinal);
        Assert.Contains("expected SHA-256 " + TestData.Sha256(files[FashionMnist.TrainImagesFile]), error.Message, StringComparison.Ordinal);
        Assert.Contains("got " + TestData.Sha256(corrupt), error.Message, StringComparison.Ordinal);
        Assert.Contains(server.Url("data/" + FashionMnist.TrainImagesFile).ToString(), error.Message, StringComparison.Ordinal);
        Assert.Empty(_cache.FileNames());
    }

    [Fact]
    public void A_connection_dropped_mid_file_leaves_no_partial_file_and_the_next_run_fetches_only_what_is_missing()
    {
        if (Files() is not { } files)
        {
            return;
        }

        // The third file breaks off halfway through, after Content-Length announced all of it.
        using (var flaky = LoopbackHttpServer.Serving(files.ToDictionary(
            f => f.Key, f => f.Key == FashionMnist.TestImagesFile ? Reply.DropHalfway(f.Value) : Reply.Ok(f.Value))))
        {
            var error = Assert.Throws<IOException>(() => FashionMnist.Load(_cache.Path, Options(flaky, files)));
            output.WriteLine(error.Message);
            Assert.Contains(FashionMnist.TestImagesFile, error.Message, StringComparison.Ordinal);
            Assert.Contains(flaky.Url("data/" + FashionMnist.TestImagesFile).ToString(), error.Message, StringComparison.Ordinal);
        }

        // The two files that arrived whole are kept; nothing of the broken one, final or partial.
        Assert.Equal([FashionMnist.TrainImagesFile, FashionMnist.TrainLabelsFile], _cache.FileNames());

        using var good = LoopbackHttpServer.Serving(files.ToDictionary(f => f.Key, f => Reply.Ok(f.Value)));
        (Dataset train, Dataset test) = FashionMnist.Load(_cache.Path, Options(good, files));
        Assert.Equal((60000, 10000), (train.Count, test.Count));
        Assert.Equal(["/data/" + FashionMnist.TestImagesFile, "/data/" + FashionMnist.TestLabelsFile], good.Requests);
        Assert.Equal(files[FashionMnist.TestImagesFile], File.ReadAllBytes(_cache[FashionMnist.TestImagesFile]));
        Assert.Equal(FashionMnist.FileNames.Order(StringComparer.Ordinal), _cache.FileNames());
    }

    // The tests below drive the downloader directly with small files, so they need no real data.

    [Fact]
    public void A_failing_mirror_falls_back_to_the_next()
    {
        byte[] file = IdxWriter.Gzip(IdxWriter.UnsignedBytes(100));
        using var server = LoopbackHttpServer.Serving(new Dictionary<string, Reply> { ["labels.gz"] = Reply.Ok(file) }, prefix: "/good/");
        var digests = new Dictionary<string, string> { ["labels.gz"] = TestData.Sha256(file) };

        DatasetDownloader.Download(_cache.Path, ["labels.gz"], [server.Url("gone/"), server.Url("good")], digests, _client, null, default);

        Assert.Equal(["/gone/labels.gz", "/good/labels.gz"], server.Requests);
        Assert.Equal(file, File.ReadAllBytes(_cache["labels.gz"]));
        Assert.Equal(["labels.gz"], _cache.FileNames());
    }

    [Fact]
    public void When_every_mirror_fails_the_error_lists_each_attempt_and_nothing_is_saved()
    {
        byte[] file = IdxWriter.Gzip(IdxWriter.UnsignedBytes(100));
        using var server = new LoopbackHttpServer(path => path.StartsWith("/drop/", StringComparison.Ordinal) ? Reply.DropHalfway(file) : Reply.NotFound);
        var digests = new Dictionary<string, string> { ["labels.gz"] = TestData.Sha256(file) };

        var error = Assert.Throws<IOException>(() =>
            DatasetDownloader.Download(_cache.Path, ["labels.gz"], [server.Url("a/"), server.Url("drop/")], digests, _client, null, default));

        output.WriteLine(error.Message);
        Assert.Contains(server.Url("a/labels.gz") + ": HTTP 404", error.Message, StringComparison.Ordinal);
        Assert.Contains(server.Url("drop/labels.gz") + ":", error.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was saved as " + _cache["labels.gz"], error.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
        Assert.Empty(_cache.FileNames());
    }

    [Fact]
    public void Progress_is_reported_up_to_the_file_size()
    {
        byte[] file = IdxWriter.Gzip(IdxWriter.UnsignedBytes(200_000));
        using var server = LoopbackHttpServer.Serving(new Dictionary<string, Reply> { ["x.gz"] = Reply.Ok(file) });
        var reports = new List<DownloadProgress>();

        DatasetDownloader.Download(
            _cache.Path, ["x.gz"], [server.Url("data/")], new Dictionary<string, string> { ["x.gz"] = TestData.Sha256(file) }, _client, new ListProgress(reports), default);

        Assert.NotEmpty(reports);
        Assert.All(reports, r => Assert.Equal(("x.gz", (long?)file.Length), (r.FileName, r.TotalBytes)));
        Assert.Equal(file.Length, reports[^1].BytesReceived);
        Assert.Equal(reports.Select(r => r.BytesReceived).Order(), reports.Select(r => r.BytesReceived));
    }

    [Fact]
    public async System.Threading.Tasks.Task Two_downloads_of_one_file_into_one_cache_both_succeed_and_leave_only_the_verified_file()
    {
        // Each download has a part file of its own: neither can truncate the other's, or trip over its lock.
        byte[] file = IdxWriter.Gzip(IdxWriter.UnsignedBytes(3_000_000));
        using var server = LoopbackHttpServer.Serving(new Dictionary<string, Reply> { ["big.gz"] = Reply.Ok(file) });
        var digests = new Dictionary<string, string> { ["big.gz"] = TestData.Sha256(file) };
        using var start = new System.Threading.Barrier(2);
        var downloads = Enumerable.Range(0, 2).Select(_ => System.Threading.Tasks.Task.Run(() =>
        {
            start.SignalAndWait();
            DatasetDownloader.Download(_cache.Path, ["big.gz"], [server.Url("data/")], digests, _client, null, default);
        })).ToArray();

        await System.Threading.Tasks.Task.WhenAll(downloads);
        Assert.Equal(file, File.ReadAllBytes(_cache["big.gz"]));
        Assert.Equal(["big.gz"], _cache.FileNames());
    }

    [Fact]
    public void A_part_file_left_by_a_crash_a_day_ago_is_removed_and_a_recent_one_is_left_to_its_download()
    {
        byte[] file = IdxWriter.Gzip(IdxWriter.UnsignedBytes(100));
        using var server = LoopbackHttpServer.Serving(new Dictionary<string, Reply> { ["labels.gz"] = Reply.Ok(file) });
        File.WriteAllBytes(_cache["labels.gz.0123456789ab.part"], [1, 2, 3]);
        File.SetLastWriteTimeUtc(_cache["labels.gz.0123456789ab.part"], DateTime.UtcNow.AddDays(-2));
        File.WriteAllBytes(_cache["labels.gz.part"], [1, 2, 3]); // the name earlier versions used
        File.SetLastWriteTimeUtc(_cache["labels.gz.part"], DateTime.UtcNow.AddDays(-2));
        File.WriteAllBytes(_cache["labels.gz.ba9876543210.part"], [4, 5]);
        foreach (string other in new[] { "labels.gz.counterpart", "labels.gz.gz.part", "labels.gz.part2" })
        {
            File.WriteAllBytes(_cache[other], [6]); // not part files of labels.gz: never touched, however old
            File.SetLastWriteTimeUtc(_cache[other], DateTime.UtcNow.AddDays(-3));
        }

        DatasetDownloader.Download(
            _cache.Path, ["labels.gz"], [server.Url("data/")], new Dictionary<string, string> { ["labels.gz"] = TestData.Sha256(file) }, _client, null, default);

        Assert.Equal(["labels.gz", "labels.gz.ba9876543210.part", "labels.gz.counterpart", "labels.gz.gz.part", "labels.gz.part2"], _cache.FileNames());
    }

    [Fact]
    public void A_mirror_that_is_not_http_is_refused_before_any_request()
    {
        using var server = new LoopbackHttpServer(_ => Reply.NotFound);
        var error = Assert.Throws<ArgumentException>(() => DatasetDownloader.Download(
            _cache.Path, ["a.gz"], [server.BaseUrl, new Uri("file:///data/")], new Dictionary<string, string> { ["a.gz"] = "00" }, _client, null, default));
        Assert.Contains("file:///data/", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void A_file_without_a_digest_is_refused_before_any_request()
    {
        using var server = new LoopbackHttpServer(_ => Reply.NotFound);
        var error = Assert.Throws<ArgumentException>(() => DatasetDownloader.Download(
            _cache.Path, ["a.gz", "b.gz"], [server.BaseUrl], new Dictionary<string, string> { ["a.gz"] = "00" }, _client, null, default));
        Assert.Contains("b.gz", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    private IReadOnlyDictionary<string, byte[]>? Files() =>
        TestData.FashionMnistDirectory(output) is string dir ? TestData.FashionMnistFiles(dir) : null;

    /// <summary>Download from <paramref name="server"/>'s /data/ folder, expecting the digests of the files it serves.</summary>
    private DownloadOptions Options(LoopbackHttpServer server, IReadOnlyDictionary<string, byte[]> files) => new()
    {
        Mirrors = [server.Url("data/")],
        Sha256 = files.ToDictionary(f => f.Key, f => TestData.Sha256(f.Value)),
        HttpClient = _client,
    };

    /// <summary>Records reports synchronously (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class ListProgress(List<DownloadProgress> reports) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => reports.Add(value);
    }
}
