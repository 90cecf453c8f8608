using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace GenStats.Data;

/// <summary>
/// Reads and writes numeric tables as CSV: a header row of column names, then one event per row,
/// finite numbers in the invariant culture ("1.5e-3"; NaN and infinities are refused).
/// Errors name the file, the line and the column: a bad number, a ragged row, a missing column,
/// an unclosed quote, a binary file, bytes that are not UTF-8.
/// </summary>
public static class Csv
{
    /// <summary>
    /// Reads a CSV file into a <see cref="Dataset"/> (no roles set). The file must be UTF-8 text:
    /// a byte sequence that is not UTF-8 (or a binary file) is an error naming the line.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist (or is a directory).</exception>
    /// <exception cref="InvalidDataException">Not a numeric CSV table; the message names the file, line and column.</exception>
    public static Dataset Read(string path, CsvOptions? options = null)
    {
        using var reader = OpenText(path, "CSV file");
        try
        {
            return Read(reader, path, options);
        }
        catch (InvalidDataException e) when (e.Data.Contains(Utf8Key))
        {
            // The reader decodes ahead in blocks; the bytes tell the true line.
            throw NotUtf8(path, FirstInvalidUtf8Line(path) ?? (int)e.Data[Utf8Key]!);
        }
    }

    private const string Utf8Key = "GenStats.Csv.NotUtf8";

    /// <summary>
    /// The 1-based line of the first byte sequence of a file that is not valid UTF-8, or null when
    /// the whole file is valid (read in blocks; for error messages of text readers).
    /// </summary>
    public static int? FirstInvalidUtf8Line(string path)
    {
        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        var bytes = new byte[1 << 16];
        var chars = new char[bytes.Length + 4];
        int line = 1;
        using var stream = File.OpenRead(path);
        for (int n; (n = stream.Read(bytes, 0, bytes.Length)) > 0;)
        {
            try
            {
                decoder.GetChars(bytes, 0, n, chars, 0, flush: false);
            }
            catch (DecoderFallbackException e)
            {
                int end = Math.Clamp(e.Index, 0, n);
                return line + bytes.AsSpan(0, end).Count((byte)'\n');
            }
            line += bytes.AsSpan(0, n).Count((byte)'\n');
        }
        return null;
    }

    /// <summary>
    /// Opens a text file for reading with strict UTF-8 decoding (a byte-order mark is honoured),
    /// so a malformed byte raises an error instead of becoming U+FFFD; <paramref name="what"/> names
    /// the file's role in the messages ("CSV file"). A directory or a missing file is one clear error.
    /// </summary>
    public static StreamReader OpenText(string path, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
            throw new FileNotFoundException($"{what} '{path}' is a directory; give a file.", path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{what} '{path}' does not exist.", path);
        return new StreamReader(path, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
    }

    /// <summary>
    /// Reads CSV text from a reader; <paramref name="source"/> names it in error messages. Every
    /// parse error is an <see cref="InvalidDataException"/> naming the source, the line and, for a
    /// field, the column: unclosed quotes, binary content, bytes that are not UTF-8, ragged rows,
    /// empty or repeated column names, and cells that are not finite numbers (NaN and ±∞ are refused).
    /// </summary>
    public static Dataset Read(TextReader reader, string source, CsvOptions? options = null)
    {
        options ??= CsvOptions.Default;
        string? header;
        try { header = reader.ReadLine(); }
        catch (DecoderFallbackException) { throw NotUtf8(source, 1); }
        if (header is null || header.Trim().Length == 0)
            throw new InvalidDataException($"{source}: the file is empty; a header row with column names is required.");
        if (header.Contains('\0'))
            throw new InvalidDataException($"{source}, line 1: the header holds a NUL byte; this is a binary file, not a CSV table.");
        char separator = options.Separator ?? (header.Contains('\t') ? '\t' : ',');
        if (separator is not (',' or '\t'))
            throw new ArgumentException($"Separator '{separator}' is not supported; use ',' or tab.", nameof(options));

        int recordStart = 1; // the line the record being parsed starts on
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = separator.ToString(),
            HasHeaderRecord = false,
            IgnoreBlankLines = true,
            TrimOptions = TrimOptions.Trim,
            BadDataFound = args => throw new InvalidDataException(
                $"{source}, line {recordStart}: a field has a stray or unclosed quote ({Show(args.Field)}); quote a whole field as \"…\" and write \"\" for a quote inside it."),
        };
        // The header was consumed above; feed it back so quoting rules apply to it too.
        using var all = new StringReaderWithPrefix(header, reader);
        using var parser = new CsvParser(all, config);
        if (!Next())
            throw new InvalidDataException($"{source}: no header row found.");
        var names = parser.Record!.Select(n => n.Trim()).ToArray();
        CheckHeader(names, source);
        // The kept columns: all, or the requested ones in the requested order.
        var keep = options.Columns is null ? Enumerable.Range(0, names.Length).ToArray() : options.Columns.Select(c => Array.IndexOf(names, c)).ToArray();
        var columns = keep.Select(_ => new List<double>()).ToArray();
        while (Next())
        {
            var fields = parser.Record!;
            int line = recordStart;
            if (fields.Length != names.Length)
                throw new InvalidDataException(
                    $"{source}, line {line}: {fields.Length} fields but the header has {names.Length} columns; every row needs one field per column.");
            for (int k = 0; k < keep.Length; k++)
            {
                int c = keep[k];
                if (!double.TryParse(fields[c], NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                    throw new InvalidDataException(
                        $"{source}, line {line}, column '{names[c]}' (field {c + 1}): {Show(fields[c])} is not a number{Hint(fields[c])}.");
                if (!double.IsFinite(v))
                    throw new InvalidDataException(
                        $"{source}, line {line}, column '{names[c]}' (field {c + 1}): {Show(fields[c])} is not a finite number; every value must be finite (remove or fix the event).");
                columns[k].Add(v);
            }
        }
        return Dataset.Create(keep.Select(c => names[c]).ToArray(), columns.Select(c => c.ToArray()).ToArray());

        bool Next()
        {
            recordStart = parser.RawRow + 1;
            try
            {
                return parser.Read();
            }
            catch (DecoderFallbackException)
            {
                throw NotUtf8(source, Math.Max(recordStart, parser.RawRow));
            }
            catch (CsvHelperException e) when (e.InnerException is not InvalidDataException)
            {
                throw new InvalidDataException($"{source}, line {recordStart}: not a valid CSV record ({e.GetType().Name}).", e);
            }
        }

        void CheckHeader(string[] found, string file)
        {
            for (int i = 0; i < found.Length; i++)
            {
                if (found[i].Length == 0)
                    throw new InvalidDataException($"{file}, line 1: column {i + 1} has an empty name; every column needs a name.");
                if (found[i].Contains('\uFFFD'))
                    throw new InvalidDataException($"{file}, line 1: the name of column {i + 1} ({Show(found[i])}) holds bytes that are not valid UTF-8; save the file as UTF-8.");
                if (found[i].Any(char.IsControl))
                    throw new InvalidDataException($"{file}, line 1: the name of column {i + 1} ({Show(found[i])}) holds control characters; is this a binary file?");
            }
            for (int i = 0; i < found.Length; i++)
            {
                int j = Array.IndexOf(found, found[i], i + 1);
                if (j > 0)
                    throw new InvalidDataException($"{file}, line 1: column '{found[i]}' appears twice (columns {i + 1} and {j + 1}); names must be unique.");
            }
            foreach (var required in (options.RequiredColumns ?? []).Concat(options.Columns ?? []))
                if (!found.Contains(required))
                    throw new InvalidDataException(
                        $"{file}: no column '{required}'; the columns are: {string.Join(", ", found)}{(found.Length == 1 ? Hint(found[0]) : "")}.");
        }
    }

    private static InvalidDataException NotUtf8(string source, int line)
    {
        var e = new InvalidDataException($"{source}, line {line}: a byte sequence is not valid UTF-8 (a binary file, or text in another encoding); save the table as UTF-8 text.");
        e.Data[Utf8Key] = line;
        return e;
    }

    /// <summary>A field quoted for a one-line error message: control characters escaped as \xNN, text beyond 40 characters cut.</summary>
    public static string Show(string? text)
    {
        text ??= "";
        var b = new StringBuilder("'");
        foreach (char ch in text.Length > 40 ? text[..40] : text)
            b.Append(char.IsControl(ch) ? $"\\x{(int)ch:X2}" : ch.ToString());
        if (text.Length > 40) b.Append('…');
        return b.Append('\'').ToString();
    }

    private static string Hint(string field) =>
        field.Contains(';') ? "; semicolon-separated files are not supported, use comma or tab"
        : field.Trim().Contains(' ') ? "; space-separated files are not supported, use comma or tab"
        : field.Contains(',') ? "; the invariant culture has no decimal comma, write 1.5"
        : field.Any(char.IsControl) ? "; is this a binary file?"
        : field.Equals("inf", StringComparison.OrdinalIgnoreCase) || field.Equals("-inf", StringComparison.OrdinalIgnoreCase) ? "; values must be finite"
        : "";

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
