namespace GenStats.Data;

/// <summary>
/// Reads and writes a table by its file extension: <c>.parquet</c> goes through
/// <see cref="ParquetTable"/>, anything else through <see cref="Csv"/> (comma or tab separated).
/// Every command and F# function that takes a data file calls this, so Parquet works wherever
/// CSV does.
/// </summary>
public static class TableFile
{
    /// <summary>True when the path names a Parquet file (extension <c>.parquet</c>, any case).</summary>
    public static bool IsParquet(string path) =>
        string.Equals(Path.GetExtension(path), ".parquet", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads a CSV or Parquet file into a <see cref="Dataset"/> (no roles set).</summary>
    public static Dataset Read(string path, CsvOptions? options = null) =>
        IsParquet(path) ? ParquetTable.Read(path, options) : Csv.Read(path, options);

    /// <summary>Writes a dataset as CSV or Parquet, chosen by the extension of <paramref name="path"/>,
    /// atomically; <paramref name="csvOptions"/> (the separator) applies to CSV only.</summary>
    public static void Write(Dataset data, string path, CsvOptions? csvOptions = null)
    {
        if (IsParquet(path)) ParquetTable.Write(data, path);
        else Csv.Write(data, path, csvOptions);
    }
}
