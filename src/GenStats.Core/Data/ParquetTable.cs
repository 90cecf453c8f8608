using Parquet;
using Parquet.Schema;

namespace GenStats.Data;

/// <summary>
/// Reads and writes numeric tables as Apache Parquet files (Parquet.Net): one flat column per
/// dataset column. Reading accepts double, float, 8/16/32/64-bit integer and boolean (as 0/1)
/// columns, nullable or not; a null cell is refused with the column and row (GenStats has no
/// missing-value semantics, and silently turning a null into NaN or a dropped event would change
/// the physics). Text, nested or timestamp columns are refused unless left out with
/// <see cref="CsvOptions.Columns"/>. Writing produces non-nullable double columns, one row group.
/// </summary>
public static class ParquetTable
{
    /// <summary>Reads a Parquet file into a <see cref="Dataset"/> (no roles set). The
    /// <see cref="CsvOptions.Columns"/> and <see cref="CsvOptions.RequiredColumns"/> options apply as
    /// for CSV; the separator is ignored.</summary>
    public static Dataset Read(string path, CsvOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Parquet file '{path}' does not exist.", path);
        options ??= CsvOptions.Default;
        return Task.Run(() => ReadAsync(path, options)).GetAwaiter().GetResult();
    }

    /// <summary>Writes a dataset as a Parquet file (double columns, atomically).</summary>
    public static void Write(Dataset data, string path)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, stream => Task.Run(() => WriteAsync(data, stream)).GetAwaiter().GetResult());
    }

    private static async Task<Dataset> ReadAsync(string path, CsvOptions options)
    {
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(path);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException)
        {
            throw new InvalidDataException($"{path}: not a readable Parquet file ({e.Message}).", e);
        }
        await using (reader)
        {
            var fields = reader.Schema.DataFields;
            var names = fields.Select(f => f.Path.ToString()).ToArray();
            foreach (var required in (options.RequiredColumns ?? []).Concat(options.Columns ?? []))
                if (!names.Contains(required))
                    throw new InvalidDataException($"{path}: no column '{required}'; the columns are: {string.Join(", ", names)}.");
            var keep = options.Columns is null
                ? Enumerable.Range(0, fields.Length).ToArray()
                : options.Columns.Select(c => Array.IndexOf(names, c)).ToArray();
            foreach (int k in keep)
                CheckReadable(fields[k], path);

            long total = 0;
            for (int g = 0; g < reader.RowGroupCount; g++)
                total += reader.RowGroups[g].RowCount;
            if (total > Array.MaxLength)
                throw new InvalidDataException($"{path}: {total} rows; at most {Array.MaxLength} fit in one dataset.");
            var columns = keep.Select(_ => new double[total]).ToArray();
            long offset = 0;
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                int rows = checked((int)group.RowCount);
                for (int k = 0; k < keep.Length; k++)
                    await ReadColumn(group, fields[keep[k]], rows, columns[k].AsMemory((int)offset, rows), path, offset);
                offset += rows;
            }
            return Dataset.Create(keep.Select(k => names[k]).ToArray(), columns);
        }
    }

    private static void CheckReadable(DataField field, string path)
    {
        if (field.IsArray || field.Path.ToList().Count > 1)
            throw new InvalidDataException($"{path}, column '{field.Path}': a nested or repeated column; GenStats reads flat numeric columns only.");
        if (!Numeric.Contains(field.ClrType))
            throw new InvalidDataException(
                $"{path}, column '{field.Path}': type {field.ClrType.Name} is not numeric; allowed: double, float, integers, bool (leave the column out to skip it).");
    }

    // The cell types read as float64 (what every statistic takes).
    private static readonly HashSet<Type> Numeric =
    [
        typeof(double), typeof(float), typeof(long), typeof(int), typeof(short), typeof(sbyte),
        typeof(byte), typeof(ulong), typeof(uint), typeof(ushort), typeof(bool),
    ];

    private static Task ReadColumn(ParquetRowGroupReader group, DataField field, int rows, Memory<double> target, string path, long firstRow) =>
        field.ClrType switch
        {
            var t when t == typeof(double) => Read<double>(group, field, rows, target, path, firstRow, v => v),
            var t when t == typeof(float) => Read<float>(group, field, rows, target, path, firstRow, v => v),
            var t when t == typeof(long) => Read<long>(group, field, rows, target, path, firstRow, v => v),
            var t when t == typeof(int) => Read<int>(group, field, rows, target, path, firstRow, v => v),
            var t when t == typeof(short) => Read<short>(group, field, rows, target, path, firstRow, v => v),
            var t when t == typeof(sbyte) => Read<sbyte>(group, field, rows, target, path, firstRow, v => v),
            var t when t == typeof(byte) => Read<byte>(group, field, rows, target, path, firstRow, v => v),
            var t when t == typeof(ushort) => Read<ushort>(group, field, rows, target, path, firstRow, v => v),
            var t when t == typeof(uint) => Read<uint>(group, field, rows, target, path, firstRow, v => v),
            var t when t == typeof(ulong) => Read<ulong>(group, field, rows, target, path, firstRow, v => v),
            var t when t == typeof(bool) => Read<bool>(group, field, rows, target, path, firstRow, v => v ? 1.0 : 0.0),
            _ => throw new InvalidDataException($"{path}, column '{field.Path}': type {field.ClrType.Name} is not numeric."),
        };

    private static async Task Read<T>(ParquetRowGroupReader group, DataField field, int rows, Memory<double> target, string path, long firstRow, Func<T, double> toDouble)
        where T : struct
    {
        if (field.IsNullable)
        {
            var cells = new T?[rows];
            await group.ReadAsync<T>(field, cells.AsMemory(), null);
            var span = target.Span;
            for (int r = 0; r < rows; r++)
            {
                if (cells[r] is not T value)
                    throw new InvalidDataException(
                        $"{path}, column '{field.Path}', row {firstRow + r + 1}: the cell is null; every cell needs a number (fill or drop such events before reading).");
                span[r] = toDouble(value);
            }
        }
        else
        {
            var cells = new T[rows];
            await group.ReadAsync<T>(field, cells.AsMemory(), null);
            var span = target.Span;
            for (int r = 0; r < rows; r++)
                span[r] = toDouble(cells[r]);
        }
    }

    private static async Task WriteAsync(Dataset data, Stream stream)
    {
        var fields = data.ColumnNames.Select(n => new DataField(n, typeof(double), false, false, null)).ToArray();
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, null, false, default);
        using var group = writer.CreateRowGroup();
        for (int c = 0; c < fields.Length; c++)
            await group.WriteAsync<double>(fields[c], data.Column(fields[c].Name).AsMemory(), null, null, default);
    }
}
