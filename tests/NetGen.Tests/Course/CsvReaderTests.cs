using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using NetGen.Data;
using NetGen.Tests.Data;
using Xunit.Abstractions;

namespace NetGen.Tests.Course;

public class CsvReaderTests(ITestOutputHelper output)
{
    private static CsvTable Parse(string text, CsvOptions? options = null) =>
        CsvReader.Parse(new StringReader(text), options ?? new CsvOptions(), "test.csv");

    [Fact]
    public void Reads_header_values_and_a_label_column_by_name()
    {
        CsvTable table = Parse("a,b,price\n1,2.5,10\n-3,4e-1,20\n");
        Assert.Equal(["a", "b", "price"], table.Columns);
        Assert.Equal(2, table.Rows);
        Assert.Equal(0.4f, table[1, 1]);
        Dataset data = table.ToDataset(table.ColumnIndex("price"));
        Assert.Equal(2, data.FeatureSize);
        Assert.Equal([1f, 2.5f, -3f, 0.4f], data.Features.ToArray());
        Assert.Equal([10f, 20f], data.Targets.ToArray());
    }

    [Fact]
    public void Bad_cells_are_reported_with_line_column_and_text()
    {
        var error = Assert.Throws<InvalidDataException>(() => Parse("x,y\n1,2\n3,abc\n"));
        Assert.Equal("test.csv, line 3, column 2 ('y'): 'abc' is not a finite number.", error.Message);
        var ragged = Assert.Throws<InvalidDataException>(() => Parse("x,y\n1,2\n3\n"));
        Assert.Contains("line 3: 1 columns, but the header has 2", ragged.Message, System.StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => Parse("x,y\n1,NaN\n"));
        Assert.Throws<InvalidDataException>(() => Parse("x,y\n"));
    }

    [Fact]
    public void A_damaged_or_cut_gzip_file_says_so()
    {
        string dir = Directory.CreateTempSubdirectory("netgen-csv-").FullName;
        try
        {
            using var compressed = new MemoryStream();
            using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                gzip.Write(Encoding.ASCII.GetBytes("x,y\n1,2\n3,4\n"));
            }

            byte[] gz = compressed.ToArray();
            string path = Path.Combine(dir, "data.csv.gz");
            gz[2] ^= 0xFF;
            File.WriteAllBytes(path, gz);
            var damaged = Assert.Throws<InvalidDataException>(() => CsvReader.ReadTable(path));
            Assert.StartsWith($"Invalid CSV file '{path}': the file is damaged: its gzip data cannot be decompressed (", damaged.Message, System.StringComparison.Ordinal);

            File.WriteAllBytes(path, gz[..3]);
            Assert.Contains("the gzip file is truncated", Assert.Throws<InvalidDataException>(() => CsvReader.ReadTable(path)).Message, System.StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_first_line_of_counts_read_as_the_header_gets_a_SkipLines_hint()
    {
        // scikit-learn's layout: a line of counts, then the header. Read as the header, the counts line either has
        // fewer fields than the rows, or as many, and then the real header is the first row.
        string header = string.Join(",", Enumerable.Range(1, 14).Select(i => "f" + i));
        string row = string.Join(",", Enumerable.Range(1, 14));
        var ragged = Assert.Throws<InvalidDataException>(() => Parse("150,4,setosa,versicolor,virginica\n" + header + "\n" + row + "\n"));
        Assert.Equal(
            "test.csv, line 2: 14 columns, but the header has 5. Line 1 ('150,4,setosa,versicolor,virginica') looks like a line of counts " +
            "before the real header, as in scikit-learn's data files: skip it with new CsvOptions { SkipLines = 1 }.", ragged.Message);

        var words = Assert.Throws<InvalidDataException>(() => Parse("506,13,,\n\"CRIM\",\"ZN\",\"B\",\"MEDV\"\n1,2,3,4\n"));
        Assert.EndsWith("'CRIM' is not a finite number. Line 1 ('506,13,,') looks like a line of counts before the real header, " +
            "as in scikit-learn's data files: skip it with new CsvOptions { SkipLines = 1 }.", words.Message, System.StringComparison.Ordinal);
        Assert.Equal(4, Parse("506,13,,\n\"CRIM\",\"ZN\",\"B\",\"MEDV\"\n1,2,3,4\n", new CsvOptions { SkipLines = 1 }).Columns.Count);

        // A real header, or a bad cell further down, gets no hint.
        Assert.DoesNotContain("SkipLines", Assert.Throws<InvalidDataException>(() => Parse("x,y\n1,2\n3\n")).Message, System.StringComparison.Ordinal);
        Assert.DoesNotContain("SkipLines", Assert.Throws<InvalidDataException>(() => Parse("3,2\n1,2\n3,x\n")).Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void Quoted_fields_may_hold_the_separator_and_quotes()
    {
        CsvTable table = Parse("\uFEFF\"length, cm\",\"say \"\"hi\"\"\",label\n\"1.5\", 2 ,\"0\"\n");
        Assert.Equal(["length, cm", "say \"hi\"", "label"], table.Columns); // and no byte-order mark in the first name
        Assert.Equal([1.5f, 2f, 0f], table.Values.ToArray());
        var open = Assert.Throws<InvalidDataException>(() => Parse("x,y\n\"1,2\n"));
        Assert.Contains("line 2: a quoted field is not closed", open.Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void Whitespace_separated_files_lose_the_quotes_around_names_and_numbers()
    {
        // R's write.table writes space-separated files with quoted names.
        CsvTable table = Parse("\"x1\" \"x2\" \"y\"\n\"1.5\" 2 0\n", new CsvOptions { Separator = ' ' });
        Assert.Equal(["x1", "x2", "y"], table.Columns);
        Assert.Equal([1.5f, 2f, 0f], table.Values.ToArray());
    }

    [Fact]
    public void Skips_metadata_lines_and_reads_whitespace_separated_files_without_header()
    {
        CsvTable table = Parse("3,2,meta\n1  2\t3\n4 5 6\n", new CsvOptions { SkipLines = 1, HasHeader = false, Separator = ' ' });
        Assert.Equal(["column1", "column2", "column3"], table.Columns);
        Assert.Equal([1f, 2, 3, 4, 5, 6], table.Values.ToArray());
        Assert.Equal(2, table.ColumnIndex(null, -1));
        Assert.Throws<System.ArgumentException>(() => table.ColumnIndex("price"));
    }

    [Fact]
    public void Reads_the_course_datasets_from_scikit_learn()
    {
        string? folder = TestData.DatasetDirectory("sklearn", ["iris.csv", "digits.csv.gz", "boston_house_prices.csv", "diabetes_data_raw.csv.gz"], output);
        if (folder is null)
        {
            return;
        }

        Dataset iris = CsvReader.ReadDataset(Path.Combine(folder, "iris.csv"), new CsvOptions { SkipLines = 1, HasHeader = false });
        Assert.Equal(150, iris.Count);
        Assert.Equal(4, iris.FeatureSize);
        Assert.Equal([50, 50, 50], iris.Targets.ToArray().GroupBy(l => l).OrderBy(g => g.Key).Select(g => g.Count()));

        Dataset digits = CsvReader.ReadDataset(Path.Combine(folder, "digits.csv.gz"), new CsvOptions { HasHeader = false });
        Assert.Equal(1797, digits.Count);
        Assert.Equal(64, digits.FeatureSize);
        Assert.InRange(digits.Features.ToArray().Max(), 16f, 16f);

        Dataset boston = CsvReader.ReadDataset(Path.Combine(folder, "boston_house_prices.csv"), new CsvOptions { SkipLines = 1, LabelColumnName = "MEDV" });
        Assert.Equal(506, boston.Count);
        Assert.Equal(13, boston.FeatureSize);

        CsvTable diabetes = CsvReader.ReadTable(Path.Combine(folder, "diabetes_data_raw.csv.gz"), new CsvOptions { HasHeader = false, Separator = ' ' });
        Assert.Equal(442, diabetes.Rows);
        Assert.Equal(10, diabetes.Columns.Count);
    }

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }

    private static string Rows(int count) =>
        "a,b,label\n" + string.Concat(Enumerable.Range(0, count).Select(i => $"{i},{i * 118},{i % 3}\n"));

    [Fact]
    public void A_gzip_file_loads_like_the_plain_text()
    {
        using var dir = new NetGen.Tests.IO.TempDirectory();
        File.WriteAllBytes(dir.File("t.csv.gz"), Gzip(Rows(200)));
        File.WriteAllText(dir.File("t.csv"), Rows(200));
        CsvTable zipped = CsvReader.ReadTable(dir.File("t.csv.gz")), plain = CsvReader.ReadTable(dir.File("t.csv"));
        Assert.Equal(200, zipped.Rows);
        Assert.Equal(plain.Values.ToArray(), zipped.Values.ToArray());
    }

    [Fact]
    public void A_truncated_gzip_file_is_an_error_naming_it_not_a_shorter_table()
    {
        // GZipStream ends quietly when the trailer is cut off: every cut must still be caught, never parsed as fewer rows.
        using var dir = new NetGen.Tests.IO.TempDirectory();
        byte[] whole = Gzip(Rows(200));
        string path = dir.File("cut.csv.gz");
        for (int length = 10; length < whole.Length; length += 37)
        {
            File.WriteAllBytes(path, whole[..length]);
            var error = Assert.Throws<InvalidDataException>(() => CsvReader.ReadTable(path));
            Assert.Contains(path, error.Message);
        }
    }

    [Fact]
    public void A_corrupt_gzip_file_is_reported_as_such_with_its_name()
    {
        using var dir = new NetGen.Tests.IO.TempDirectory();
        byte[] bytes = Gzip(Rows(200));
        bytes[^6] ^= 0x55; // the recorded CRC-32 no longer matches
        string path = dir.File("crc.csv.gz");
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<InvalidDataException>(() => CsvReader.ReadTable(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("gzip", error.Message);
    }

    [Fact]
    public void A_missing_label_column_names_the_file()
    {
        using var dir = new NetGen.Tests.IO.TempDirectory();
        File.WriteAllText(dir.File("t.csv"), Rows(5));
        var error = Assert.Throws<InvalidDataException>(() => CsvReader.ReadDataset(dir.File("t.csv"), new CsvOptions { LabelColumnName = "target" }));
        Assert.Contains(dir.File("t.csv"), error.Message);
        Assert.Contains("'target'", error.Message);
    }
}
