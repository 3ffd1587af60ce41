using System;
using System.IO;
using NetGen.Data;

namespace Samples.Regression;

/// <summary>Loads the two regression data sets shipped in samples/data/sklearn.</summary>
public static class RegressionData
{
    /// <summary>Diabetes: 442 patients, 10 raw features (space-separated), disease progression after one year.</summary>
    public static Dataset Diabetes(string folder)
    {
        var whitespace = new CsvOptions { HasHeader = false, Separator = ' ' };
        CsvTable features = CsvReader.ReadTable(Path.Combine(folder, "diabetes_data_raw.csv.gz"), whitespace);
        CsvTable target = CsvReader.ReadTable(Path.Combine(folder, "diabetes_target.csv.gz"), whitespace);
        if (features.Rows != target.Rows)
        {
            throw new InvalidDataException($"diabetes: {features.Rows} feature rows but {target.Rows} targets.");
        }

        return new Dataset(features.Values.ToArray(), features.Columns.Count, target.Values.ToArray(), 1);
    }

    /// <summary>Boston housing: 506 tracts, 13 features, median home value (MEDV, $1000s). Used by the course; see the data README.</summary>
    public static Dataset Boston(string folder) =>
        CsvReader.ReadDataset(Path.Combine(folder, "boston_house_prices.csv"), new CsvOptions { SkipLines = 1, LabelColumnName = "MEDV" });
}
