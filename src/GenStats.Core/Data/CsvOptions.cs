namespace GenStats.Data;

/// <summary>How to read or write a CSV table.</summary>
/// <param name="Separator">Field separator: ',' or '\t'; null = detect from the header row
/// (a tab anywhere in it means tab-separated, as in the LHCb calibration files; else comma).
/// Writing with null uses ','.</param>
/// <param name="RequiredColumns">Columns that must be present; a missing one is reported with the
/// file name and the columns that do exist.</param>
/// <param name="Columns">Read only these columns, in this order (each must exist; the others are
/// not parsed, so a text column such as a class label can be skipped); null = every column.</param>
public sealed record CsvOptions(char? Separator = null, string[]? RequiredColumns = null, string[]? Columns = null)
{
    /// <summary>Detect the separator, require nothing.</summary>
    public static CsvOptions Default { get; } = new();
}
