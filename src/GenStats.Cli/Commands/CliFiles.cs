using System.Text;

namespace GenStats.Cli;

/// <summary>
/// Checks on the files a verb reads and writes, before any work: an input must be a file that
/// exists; an output must not be one of the inputs (writing would destroy it), nor a directory,
/// nor an existing file of another kind (a model, a table, JSON) unless <c>--force</c>.
/// </summary>
internal static class CliFiles
{
    /// <summary>What an output file holds, as recognised from its first bytes.</summary>
    public enum Kind { Model, Checkpoint, Table, Json }

    /// <summary>An input file given by option (or argument) <paramref name="option"/>: must exist and not be a directory.</summary>
    public static void Input(FileInfo file, string option)
    {
        if (Directory.Exists(file.FullName))
            throw new CliException($"{option} '{file.FullName}' is a directory; give a file.");
        if (!File.Exists(file.FullName))
            throw new CliException($"{option} '{file.FullName}' does not exist.");
    }

    /// <summary>
    /// An output file of kind <paramref name="kind"/> given by <paramref name="option"/>: refused when it is a
    /// directory, one of <paramref name="inputs"/> (option, file), or an existing file of another kind without --force.
    /// </summary>
    public static void Output(FileInfo output, string option, Kind kind, bool force, params (string Option, FileInfo? File)[] inputs)
    {
        string path = Full(output);
        if (Directory.Exists(path))
            throw new CliException($"{option} '{output.FullName}' is a directory; give a file name.");
        foreach (var (inOption, file) in inputs)
            if (file is not null && string.Equals(Full(file), path, StringComparison.Ordinal))
                throw new CliException($"{option} '{output.FullName}' is also {inOption}; writing it would destroy that input. Choose another output file.");
        if (!File.Exists(path) || force) return;
        var found = Detect(path);
        if (found is not null && found != kind)
            throw new CliException(
                $"{option} '{output.FullName}' exists and holds {Describe(found.Value)}, not {Describe(kind)}; choose another file or add --force to replace it.");
    }

    /// <summary>Two outputs of one run must differ.</summary>
    public static void Distinct(string optionA, FileInfo? a, string optionB, FileInfo? b)
    {
        if (a is not null && b is not null && Full(a) == Full(b))
            throw new CliException($"{optionA} and {optionB} name the same file '{a.FullName}'; give two different files.");
    }

    /// <summary>The kind of an existing file (null: empty or unreadable, which any output may replace).</summary>
    public static Kind? Detect(string path)
    {
        var head = new byte[16];
        int n;
        try
        {
            using var s = File.OpenRead(path);
            n = s.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        if (n == 0) return null;
        string ascii = Encoding.ASCII.GetString(head, 0, Math.Min(n, 8));
        if (ascii == "GSMODEL\0") return Kind.Model;
        if (ascii == "GSPARAMS") return Kind.Checkpoint;
        char first = (char)head.Take(n).FirstOrDefault(b => b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF));
        return first is '{' or '[' ? Kind.Json : Kind.Table;
    }

    internal static string Describe(Kind kind) => kind switch
    {
        Kind.Model => "a model file",
        Kind.Checkpoint => "a checkpoint (parameter file)",
        Kind.Json => "JSON",
        _ => "a text table",
    };

    /// <summary>The absolute path with symbolic links of the file itself resolved.</summary>
    private static string Full(FileInfo f)
    {
        var full = Path.GetFullPath(f.FullName);
        try
        {
            var target = File.ResolveLinkTarget(full, returnFinalTarget: true);
            return target is null ? full : Path.GetFullPath(target.FullName);
        }
        catch (IOException)
        {
            return full;
        }
    }
}
