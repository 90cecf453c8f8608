using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace GenStats.Data;

/// <summary>
/// Reads and writes numeric tables as CSV: a header row of column names, then one event per row,
/// numbers in the invariant culture ("1.5e-3", "nan" and "inf" are accepted as .NET parses them).
/// Errors name the file, the line and the column: a bad number, a ragged row, a missing column.
/// </summary>
public static class Csv
{
    /// <summary>Reads a CSV file into a <see cref="Dataset"/> (no roles set).</summary>
    public static Dataset Read(string path, CsvOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"CSV file '{path}' does not exist.", path);
        using var reader = new StreamReader(path);
        return Read(reader, path, options);
    }

    /// <summary>Reads CSV text from a reader; <paramref name="source"/> names it in error messages.</summary>
    public static Dataset Read(TextReader reader, string source, CsvOptions? options = null)
    {
        options ??= CsvOptions.Default;
        string? header = reader.ReadLine();
        if (header is null || header.Trim().Length == 0)
            throw new InvalidDataException($"{source}: the file is empty; a header row with column names is required.");
        char separator = options.Separator ?? (header.Contains('\t') ? '\t' : ',');
        if (separator is not (',' or '\t'))
            throw new ArgumentException($"Separator '{separator}' is not supported; use ',' or tab.", nameof(options));

        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = separator.ToString(),
            HasHeaderRecord = false,
            IgnoreBlankLines = true,
            TrimOptions = TrimOptions.Trim,
        };
        // The header was consumed above; feed it back so quoting rules apply to it too.
        using var all = new StringReaderWithPrefix(header, reader);
        using var parser = new CsvParser(all, config);
        if (!parser.Read())
            throw new InvalidDataException($"{source}: no header row found.");
        var names = parser.Record!.Select(n => n.Trim()).ToArray();
        CheckHeader(names, source);
        // The kept columns: all, or the requested ones in the requested order.
        var keep = options.Columns is null ? Enumerable.Range(0, names.Length).ToArray() : options.Columns.Select(c => Array.IndexOf(names, c)).ToArray();
        var columns = keep.Select(_ => new List<double>()).ToArray();
        while (parser.Read())
        {
            var fields = parser.Record!;
            int line = parser.RawRow;
            if (fields.Length != names.Length)
                throw new InvalidDataException(
                    $"{source}, line {line}: {fields.Length} fields but the header has {names.Length} columns.");
            for (int k = 0; k < keep.Length; k++)
            {
                int c = keep[k];
                if (!double.TryParse(fields[c], NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                    throw new InvalidDataException(
                        $"{source}, line {line}, column '{names[c]}': '{fields[c]}' is not a number.");
                columns[k].Add(v);
            }
        }
        return Dataset.Create(keep.Select(c => names[c]).ToArray(), columns.Select(c => c.ToArray()).ToArray());

        void CheckHeader(string[] found, string file)
        {
            for (int i = 0; i < found.Length; i++)
                if (found[i].Length == 0)
                    throw new InvalidDataException($"{file}, line 1: column {i + 1} has an empty name.");
            var duplicate = found.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
                throw new InvalidDataException($"{file}, line 1: column '{duplicate.Key}' appears twice.");
            foreach (var required in (options.RequiredColumns ?? []).Concat(options.Columns ?? []))
                if (!found.Contains(required))
                    throw new InvalidDataException(
                        $"{file}: no column '{required}'; the columns are: {string.Join(", ", found)}.");
        }
    }

    /// <summary>Writes a dataset as CSV, atomically, with round-trip ("R") number formatting.</summary>
    public static void Write(Dataset data, string path, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        char separator = options?.Separator ?? ',';
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
            Write(data, writer, separator);
        });
    }

    /// <summary>Writes a dataset as CSV text to a writer.</summary>
    public static void Write(Dataset data, TextWriter writer, char separator = ',')
    {
        ArgumentNullException.ThrowIfNull(data);
        var names = data.ColumnNames.ToArray();
        foreach (var n in names)
            if (n.Contains(separator) || n.Contains('"') || n.Contains('\n'))
                throw new ArgumentException($"Column name '{n}' contains the separator, a quote or a newline.", nameof(data));
        var columns = names.Select(data.Column).ToArray();
        writer.Write(string.Join(separator, names));
        writer.Write('\n');
        for (int r = 0; r < data.Count; r++)
        {
            for (int c = 0; c < columns.Length; c++)
            {
                if (c > 0) writer.Write(separator);
                writer.Write(columns[c][r].ToString("R", CultureInfo.InvariantCulture));
            }
            writer.Write('\n');
        }
    }

    /// <summary>A reader that yields one already-read line before the rest of another reader.</summary>
    private sealed class StringReaderWithPrefix(string firstLine, TextReader rest) : TextReader
    {
        private StringReader? _prefix = new(firstLine + "\n");

        public override int Read(char[] buffer, int index, int count)
        {
            if (_prefix is not null)
            {
                int n = _prefix.Read(buffer, index, count);
                if (n > 0) return n;
                _prefix = null;
            }
            return rest.Read(buffer, index, count);
        }

        public override int Read()
        {
            if (_prefix is not null)
            {
                int c = _prefix.Read();
                if (c >= 0) return c;
                _prefix = null;
            }
            return rest.Read();
        }

        public override int Peek() => _prefix is not null && _prefix.Peek() >= 0 ? _prefix.Peek() : rest.Peek();
    }
}
