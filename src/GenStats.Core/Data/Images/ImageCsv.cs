using System.Globalization;
using System.Text.RegularExpressions;

namespace GenStats.Data.Images;

/// <summary>
/// Image samples as CSV, the fallback when HDF5 is not at hand: one event per row, a column
/// <c>cell_r_c</c> per cell (row r, column c, from 0), the condition columns by name and an
/// optional <c>weight</c> column. Reading: every <c>cell_r_c</c> column is a cell, <c>weight</c>
/// is the weight, every other column a condition (in file order); the cells must fill a complete
/// H × W grid. Writing: conditions, then the cells row-major, then the weight; numbers in
/// round-trip format, so a float32 image reads back bit for bit.
/// </summary>
internal static partial class ImageCsv
{
    [GeneratedRegex(@"^cell_(\d+)_(\d+)$")]
    private static partial Regex CellName();

    public static ImageDataset Read(string path)
    {
        var table = Csv.Read(path);
        var names = table.ColumnNames.ToArray();
        var cells = new List<(int Row, int Col, string Name)>();
        var conditions = new List<string>();
        foreach (var name in names)
        {
            var m = CellName().Match(name);
            if (m.Success)
            {
                if (!int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int r)
                    || !int.TryParse(m.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int c) || r > 100_000 || c > 100_000)
                    throw new InvalidDataException($"{path}: column '{name}' names a cell beyond row/column 100000.");
                cells.Add((r, c, name));
            }
            else if (name != ImageFile.WeightColumn) conditions.Add(name);
        }
        if (cells.Count == 0)
            throw new InvalidDataException($"{path}: no column named cell_r_c; an image CSV has one column per cell (cell_0_0, cell_0_1, …, row then column, from 0). The columns are: {string.Join(", ", names.Take(20))}{(names.Length > 20 ? ", …" : "")}.");
        int height = cells.Max(x => x.Row) + 1, width = cells.Max(x => x.Col) + 1;
        var grid = new string?[height, width];
        foreach (var (r, c, name) in cells)
        {
            if (grid[r, c] is { } other)
                throw new InvalidDataException($"{path}: columns '{other}' and '{name}' both name cell ({r}, {c}).");
            grid[r, c] = name;
        }
        if (cells.Count != height * width)
        {
            var missing = Enumerable.Range(0, height * width).Where(k => grid[k / width, k % width] is null).Take(5).Select(k => $"cell_{k / width}_{k % width}");
            throw new InvalidDataException(
                $"{path}: the cell columns span {height} × {width} cells but only {cells.Count} are present (missing e.g. {string.Join(", ", missing)}); every cell of the grid needs a column.");
        }
        int n = table.Count;
        var images = new float[(long)n * height * width];
        for (int r = 0; r < height; r++)
            for (int c = 0; c < width; c++)
            {
                var column = table.Column(grid[r, c]!);
                for (int i = 0; i < n; i++) images[((long)i * height + r) * width + c] = (float)column[i];
            }
        var conditionValues = new float[(long)n * conditions.Count];
        for (int j = 0; j < conditions.Count; j++)
        {
            var column = table.Column(conditions[j]);
            for (int i = 0; i < n; i++) conditionValues[(long)i * conditions.Count + j] = (float)column[i];
        }
        var weights = table.HasColumn(ImageFile.WeightColumn) ? table.Column(ImageFile.WeightColumn) : null;
        try
        {
            return ImageDataset.Create(images, n, height, width, conditionValues, [.. conditions], weights);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    public static void Write(string path, ImageDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        foreach (var name in data.ConditionNames)
            if (name == ImageFile.WeightColumn || CellName().IsMatch(name))
                throw new ArgumentException($"Condition '{name}' would read back as {(name == ImageFile.WeightColumn ? "the weight" : "a cell")}; rename it.", nameof(data));
        var names = new List<string>(data.ConditionNames);
        var columns = data.ConditionNames.Select(data.ConditionColumn).ToList();
        int cells = data.Cells;
        for (int r = 0; r < data.Height; r++)
            for (int c = 0; c < data.Width; c++)
            {
                names.Add($"cell_{r}_{c}");
                var column = new double[data.Count];
                int offset = r * data.Width + c;
                for (int i = 0; i < data.Count; i++) column[i] = data.Images[(long)i * cells + offset];
                columns.Add(column);
            }
        if (data.Weights is not null)
        {
            names.Add(ImageFile.WeightColumn);
            columns.Add(data.Weights);
        }
        Csv.Write(Dataset.Create([.. names], [.. columns]), path);
    }
}
