using System;
using System.IO;
using System.Linq;
using NetGen.Data;

namespace NetGen.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_a_rank_3_file_raw_or_gzipped(bool gzip)
    {
        string path = IdxWriter.Write(_dir["images.idx3"], IdxWriter.UnsignedBytes(5, 3, 4), gzip);
        IdxFile idx = IdxReader.Read(path);
        Assert.Equal([5, 3, 4], idx.Dimensions);
        Assert.Equal(5, idx.Count);
        Assert.Equal(12, idx.ItemSize);
        Assert.Equal("[5, 3, 4]", idx.Shape);
        Assert.Equal(path, idx.Path);
        Assert.Equal(IdxWriter.Pattern(60), idx.Data.ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_a_rank_1_file_raw_or_gzipped(bool gzip)
    {
        string path = IdxWriter.Write(_dir["labels.idx1"], IdxWriter.UnsignedBytes(300), gzip);
        IdxFile idx = IdxReader.Read(path);
        Assert.Equal([300], idx.Dimensions);
        Assert.Equal(1, idx.ItemSize);
        Assert.Equal(IdxWriter.Pattern(300), idx.Data.ToArray());
    }

    [Fact]
    public void Compression_is_recognised_by_content_not_by_extension()
    {
        byte[] raw = IdxWriter.UnsignedBytes(2, 2);
        string gzipNamedRaw = IdxWriter.Write(_dir["looks-raw.idx"], raw, gzip: true);
        string rawNamedGzip = IdxWriter.Write(_dir["looks-compressed.gz"], raw, gzip: false);
        Assert.Equal(raw[^4..], IdxReader.Read(gzipNamedRaw).Data.ToArray());
        Assert.Equal(raw[^4..], IdxReader.Read(rawNamedGzip).Data.ToArray());
    }

    [Fact]
    public void A_payload_larger_than_one_read_chunk_arrives_whole()
    {
        // 3 MiB of payload: more than the reader's first buffer, so it must grow it.
        string path = IdxWriter.Write(_dir["big.gz"], IdxWriter.UnsignedBytes(3, 1024, 1024), gzip: true);
        Assert.Equal(IdxWriter.Pattern(3 << 20), IdxReader.Read(path).Data.ToArray());
    }

    [Fact]
    public void Images_are_scaled_to_the_unit_interval_row_major()
    {
        byte[] pixels = [0, 51, 255, 128, 1, 2];
        string path = IdxWriter.Write(_dir["img.gz"], [.. IdxWriter.Header(0x08, 2, 1, 3), .. pixels], gzip: true);
        float[] values = IdxReader.ReadImages(path, rows: 1, columns: 3);
        Assert.Equal(pixels.Select(p => p / 255f), values);
        Assert.Equal(0f, values[0]);
        Assert.Equal(1f, values[2]);
    }

    [Fact]
    public void Images_of_the_wrong_shape_are_rejected_naming_both_shapes()
    {
        string path = IdxWriter.Write(_dir["img"], IdxWriter.UnsignedBytes(2, 32, 32), gzip: false);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));
        AssertNames(error, path, "[count, 28, 28]", "[2, 32, 32]");
        error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(IdxWriter.Write(_dir["flat"], IdxWriter.UnsignedBytes(10), gzip: false)));
        AssertNames(error, "[10]");
    }

    [Fact]
    public void Labels_are_read_as_floats_and_must_be_rank_1()
    {
        string path = IdxWriter.Write(_dir["labels"], [.. IdxWriter.Header(0x08, 4), 0, 9, 3, 255], gzip: false);
        Assert.Equal([0f, 9f, 3f, 255f], IdxReader.ReadLabels(path));
        string images = IdxWriter.Write(_dir["images"], IdxWriter.UnsignedBytes(4, 2, 2), gzip: false);
        AssertNames(Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(images)), images, "[count]", "[4, 2, 2]");
    }

    [Fact]
    public void A_dataset_pairs_images_with_labels()
    {
        string images = IdxWriter.Write(_dir["i.gz"], IdxWriter.UnsignedBytes(3, 2, 2), gzip: true);
        string labels = IdxWriter.Write(_dir["l.gz"], [.. IdxWriter.Header(0x08, 3), 2, 0, 1], gzip: true);
        Dataset data = IdxReader.ReadDataset(images, labels, rows: 2, columns: 2);
        Assert.Equal(3, data.Count);
        Assert.Equal(4, data.FeatureSize);
        Assert.Equal([2f, 0f, 1f], data.Targets.ToArray());
        Assert.Equal(IdxWriter.Pattern(12).Select(b => b / 255f), data.Features.ToArray());
    }

    [Fact]
    public void Image_and_label_counts_must_match()
    {
        string images = IdxWriter.Write(_dir["i"], IdxWriter.UnsignedBytes(3, 2, 2), gzip: false);
        string labels = IdxWriter.Write(_dir["l"], IdxWriter.UnsignedBytes(4), gzip: false);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadDataset(images, labels, 2, 2));
        AssertNames(error, images, labels, "3 images", "4 labels");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Bad_magic_is_rejected(bool gzip)
    {
        byte[] bytes = IdxWriter.UnsignedBytes(2, 2);
        bytes[1] = 0x01;
        string path = IdxWriter.Write(_dir["bad-magic"], bytes, gzip);
        AssertNames(Assert.Throws<InvalidDataException>(() => IdxReader.Read(path)), path, "bad magic number 00010802");
    }

    [Fact]
    public void Something_that_is_not_idx_at_all_is_rejected()
    {
        string path = _dir["page.gz"];
        File.WriteAllText(path, "<html>404 Not Found</html>");
        AssertNames(Assert.Throws<InvalidDataException>(() => IdxReader.Read(path)), path, "bad magic number 3C68746D");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_element_type_other_than_unsigned_byte_is_rejected(bool gzip)
    {
        string path = IdxWriter.Write(_dir["floats"], [.. IdxWriter.Header(0x0D, 2), .. new byte[8]], gzip);
        AssertNames(Assert.Throws<InvalidDataException>(() => IdxReader.Read(path)), path, "element type 0x0D (float32)", "only 0x08");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Rank_0_is_rejected(bool gzip)
    {
        string path = IdxWriter.Write(_dir["rank0"], [0, 0, 8, 0, 42], gzip);
        AssertNames(Assert.Throws<InvalidDataException>(() => IdxReader.Read(path)), path, "rank 0");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_zero_dimension_is_rejected_naming_which(bool gzip)
    {
        string path = IdxWriter.Write(_dir["zero-dim"], IdxWriter.Header(0x08, 10, 0, 28), gzip);
        AssertNames(Assert.Throws<InvalidDataException>(() => IdxReader.Read(path)), path, "dimension 1 of 3 is 0");
    }

    [Fact]
    public void A_dimension_beyond_int_range_is_rejected()
    {
        string path = IdxWriter.Write(_dir["huge-dim"], IdxWriter.Header(0x08, 0x80000000u), gzip: false);
        AssertNames(Assert.Throws<InvalidDataException>(() => IdxReader.Read(path)), path, "dimension 0 of 1 is 2147483648");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Dimensions_whose_product_no_array_can_hold_are_rejected_before_allocating(bool gzip)
    {
        string path = IdxWriter.Write(_dir["huge"], IdxWriter.Header(0x08, 65536, 65536, 28), gzip);
        AssertNames(Assert.Throws<InvalidDataException>(() => IdxReader.Read(path)), path, "[65536, 65536, ...]", "more than");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_header_cut_short_is_rejected(bool gzip)
    {
        string path = IdxWriter.Write(_dir["short-header"], IdxWriter.Header(0x08, 10, 28, 28)[..10], gzip);
        AssertNames(Assert.Throws<InvalidDataException>(() => IdxReader.Read(path)), path, "rank 3", "needs 12 bytes", "ends after 6");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_file_too_short_for_the_magic_number_is_rejected(bool gzip)
    {
        string path = IdxWriter.Write(_dir["tiny"], [0, 0], gzip);
        AssertNames(Assert.Throws<InvalidDataException>(() => IdxReader.Read(path)), path, "holds 2 byte(s)");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_truncated_payload_is_rejected_with_expected_and_actual_sizes(bool gzip)
    {
        byte[] whole = IdxWriter.UnsignedBytes(10, 28, 28); // 7840 payload bytes after a 16-byte header
        string path = IdxWriter.Write(_dir["truncated"], whole[..^100], gzip);
        AssertNames(Assert.Throws<InvalidDataException>(() => IdxReader.Read(path)), path, "truncated", "needs 7840 bytes", "holds only 7740");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Trailing_bytes_after_the_payload_are_rejected(bool gzip)
    {
        string path = IdxWriter.Write(_dir["trailing"], [.. IdxWriter.UnsignedBytes(10, 2), 1, 2, 3], gzip);
        AssertNames(Assert.Throws<InvalidDataException>(() => IdxReader.Read(path)), path, "3 trailing byte(s)", "exactly 20 bytes");
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.99)]
    public void A_truncated_gzip_stream_is_rejected(double keep)
    {
        byte[] gz = IdxWriter.Gzip(IdxWriter.UnsignedBytes(50, 28, 28));
        string path = _dir["cut.gz"];
        File.WriteAllBytes(path, gz[..(int)(gz.Length * keep)]);
        AssertNames(Assert.Throws<InvalidDataException>(() => IdxReader.Read(path)), path);
    }

    [Fact]
    public void A_gzip_stream_missing_only_its_trailer_is_rejected()
    {
        // The deflate data is complete, so the payload decompresses whole; only the CRC-32 and length trailer are gone.
        byte[] gz = IdxWriter.Gzip(IdxWriter.UnsignedBytes(50, 28, 28));
        string path = _dir["no-trailer.gz"];
        File.WriteAllBytes(path, gz[..^8]);
        AssertNames(Assert.Throws<InvalidDataException>(() => IdxReader.Read(path)), path, "does not end with a trailer recording its length", "decompressed to 39216 bytes");
        File.WriteAllBytes(path, gz[..^3]);
        AssertNames(Assert.Throws<InvalidDataException>(() => IdxReader.Read(path)), path, "does not end with a trailer recording its length");
    }

    [Fact]
    public void A_corrupted_gzip_stream_is_rejected_naming_the_file()
    {
        byte[] gz = IdxWriter.Gzip(IdxWriter.UnsignedBytes(50, 28, 28));
        gz[gz.Length / 2] ^= 0xFF;
        string path = _dir["corrupt.gz"];
        File.WriteAllBytes(path, gz);
        AssertNames(Assert.Throws<InvalidDataException>(() => IdxReader.Read(path)), path);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(14)]
    public void A_gzip_file_cut_in_its_first_bytes_is_called_truncated_not_empty(int keep)
    {
        byte[] gz = IdxWriter.Gzip(IdxWriter.UnsignedBytes(50, 28, 28));
        string path = _dir["cut-early.gz"];
        File.WriteAllBytes(path, gz[..keep]);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        AssertNames(error, path, "truncated");
        Assert.DoesNotContain("holds 0 byte", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2)]  // the compression method: .NET says "unsupported compression method"
    [InlineData(12)] // inside the deflate data
    public void A_damaged_gzip_file_is_called_damaged_naming_the_file(int at)
    {
        byte[] gz = IdxWriter.Gzip(IdxWriter.UnsignedBytes(50, 28, 28));
        gz[at] ^= 0xFF;
        string path = _dir["damaged.gz"];
        File.WriteAllBytes(path, gz);
        AssertNames(Assert.Throws<InvalidDataException>(() => IdxReader.Read(path)), path, "the file is damaged: its gzip data cannot be decompressed");
    }

    [Fact]
    public void A_damaged_file_in_the_download_cache_says_to_delete_it_to_download_it_again()
    {
        foreach (string name in FashionMnist.FileNames)
        {
            IdxWriter.Write(_dir[name], name.Contains("images", StringComparison.Ordinal) ? IdxWriter.UnsignedBytes(3, 28, 28) : [.. IdxWriter.Header(0x08, 3), 1, 2, 3], gzip: true);
        }

        Assert.Equal(3, FashionMnist.Load(_dir.Path).Train.Count);
        string damaged = _dir[FashionMnist.TrainLabelsFile];
        byte[] gz = File.ReadAllBytes(damaged);
        gz[2] ^= 0xFF;
        File.WriteAllBytes(damaged, gz);
        AssertNames(Assert.Throws<InvalidDataException>(() => FashionMnist.Load(_dir.Path)),
            damaged, "is damaged", $"Delete '{damaged}' and load again: NetGen downloads a missing file anew.");
    }

    private static void AssertNames(Exception error, params string[] parts)
    {
        foreach (string part in parts)
        {
            Assert.Contains(part, error.Message, StringComparison.Ordinal);
        }
    }
}
