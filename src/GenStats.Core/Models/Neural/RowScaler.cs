namespace GenStats.Models;

/// <summary>
/// The preprocessing a neural model applies to its features or conditions: fitted on the training
/// rows, applied before training, inverted when sampling, saved with the model.
/// <para>This is a deliberately tiny interface. TODO(lead, merge with branch classic): back it by
/// <c>GenStats.Data.RowTransform</c> (standard and quantile-to-normal) through an adapter in
/// <see cref="RowScalers.Fit"/> / <see cref="RowScalers.FromState"/> and delete
/// <see cref="StandardRowScaler"/>.</para>
/// </summary>
public interface IRowScaler
{
    /// <summary>The kind name ("identity", "standard"; the names of the classic branch's transforms).</summary>
    string Kind { get; }

    /// <summary>Number of columns.</summary>
    int Width { get; }

    /// <summary>Maps one raw row to the model's scale (new array).</summary>
    double[] Forward(double[] row);

    /// <summary>Maps one row on the model's scale back to the raw scale (new array).</summary>
    double[] Inverse(double[] row);

    /// <summary>log |det ∂Forward/∂x| at a raw row: converts a density on the model's scale to the raw scale.</summary>
    double LogJacobian(double[] row);

    /// <summary>
    /// When the map is affine per column, z = (x − Shift)/Scale, its parameters (so that an
    /// auxiliary statistic can be evaluated on the raw scale with a differentiable inverse); else null.
    /// </summary>
    AffineColumns? Affine { get; }

    /// <summary>The fitted parameters, ready for JSON; <see cref="RowScalers.FromState"/> rebuilds the map.</summary>
    RowScalerState State { get; }
}

/// <summary>Per-column affine map z = (x − Shift)/Scale.</summary>
/// <param name="Shift">Per-column shift.</param>
/// <param name="Scale">Per-column scale (positive).</param>
public sealed record AffineColumns(double[] Shift, double[] Scale);

/// <summary>The saved form of a fitted <see cref="IRowScaler"/>.</summary>
/// <param name="Kind">Kind name.</param>
/// <param name="Width">Number of columns.</param>
/// <param name="Parameters">Named parameter vectors (e.g. "mean", "scale").</param>
public sealed record RowScalerState(string Kind, int Width, Dictionary<string, double[]> Parameters);

/// <summary>Fitting and restoring row scalers.</summary>
public static class RowScalers
{
    /// <summary>The kind names <see cref="Fit"/> accepts.</summary>
    public static readonly IReadOnlyList<string> Kinds = ["identity", "standard"];

    /// <summary>
    /// Fits a scaler of the given kind to the rows. Weights may be signed (sWeights): they are
    /// clipped at 0 for the fit, which only chooses a scale and never biases the model (the map is
    /// inverted exactly when sampling).
    /// </summary>
    /// <exception cref="ArgumentException">Unknown kind, or no positive weight.</exception>
    public static IRowScaler Fit(string kind, double[][] rows, int width, double[]? weights)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return kind switch
        {
            "identity" => new IdentityRowScaler(width),
            "standard" => StandardRowScaler.Fit(rows, width, weights),
            _ => throw new ArgumentException(
                $"transform '{kind}' is not available for neural models on this branch; allowed: {string.Join(", ", Kinds)}.", nameof(kind)),
        };
    }

    /// <summary>Rebuilds a fitted scaler from its state.</summary>
    /// <exception cref="InvalidDataException">Unknown kind or bad parameters.</exception>
    public static IRowScaler FromState(RowScalerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Kind switch
        {
            "identity" => new IdentityRowScaler(state.Width),
            "standard" => StandardRowScaler.FromState(state),
            _ => throw new InvalidDataException($"row scaler kind '{state.Kind}' is unknown; known: {string.Join(", ", Kinds)}."),
        };
    }
}

/// <summary>The identity map.</summary>
public sealed class IdentityRowScaler : IRowScaler
{
    /// <summary>An identity map of <paramref name="width"/> columns.</summary>
    public IdentityRowScaler(int width) { Width = width; }

    /// <inheritdoc />
    public string Kind => "identity";
    /// <inheritdoc />
    public int Width { get; }
    /// <inheritdoc />
    public double[] Forward(double[] row) => (double[])row.Clone();
    /// <inheritdoc />
    public double[] Inverse(double[] row) => (double[])row.Clone();
    /// <inheritdoc />
    public double LogJacobian(double[] row) => 0;
    /// <inheritdoc />
    public AffineColumns? Affine => new(new double[Width], Enumerable.Repeat(1.0, Width).ToArray());
    /// <inheritdoc />
    public RowScalerState State => new(Kind, Width, new Dictionary<string, double[]>());
}

/// <summary>
/// Weighted standardisation z = (x − mean)/sd per column (weights clipped at 0; a column with
/// zero spread keeps scale 1). Minimal stand-in until the classic branch's transforms are merged.
/// </summary>
public sealed class StandardRowScaler : IRowScaler
{
    private readonly double[] mean, scale;

    private StandardRowScaler(double[] mean, double[] scale) { this.mean = mean; this.scale = scale; }

    /// <summary>Fits the weighted mean and standard deviation of every column.</summary>
    /// <exception cref="ArgumentException">The clipped weights sum to zero.</exception>
    public static StandardRowScaler Fit(double[][] rows, int width, double[]? weights)
    {
        var m = new double[width];
        var s = new double[width];
        for (int c = 0; c < width; c++)
        {
            var sw = new Stats.CompensatedSum();
            var sx = new Stats.CompensatedSum();
            for (int r = 0; r < rows.Length; r++)
            {
                double w = weights is null ? 1 : Math.Max(0, weights[r]);
                sw.Add(w);
                sx.Add(w * rows[r][c]);
            }
            if (!(sw.Value > 0))
                throw new ArgumentException("the weights clipped at 0 sum to 0; standardisation needs some positive weight.", nameof(weights));
            double mu = sx.Value / sw.Value;
            var sv = new Stats.CompensatedSum();
            for (int r = 0; r < rows.Length; r++)
            {
                double w = weights is null ? 1 : Math.Max(0, weights[r]);
                double d = rows[r][c] - mu;
                sv.Add(w * d * d);
            }
            double sd = Math.Sqrt(sv.Value / sw.Value);
            m[c] = mu;
            s[c] = sd > 0 && double.IsFinite(sd) ? sd : 1;
        }
        return new StandardRowScaler(m, s);
    }

    /// <summary>Rebuilds from a saved state (parameters "mean" and "scale").</summary>
    public static StandardRowScaler FromState(RowScalerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        double[] Get(string name)
        {
            if (!state.Parameters.TryGetValue(name, out var v) || v is null || v.Length != state.Width)
                throw new InvalidDataException($"standard scaler: parameter '{name}' is missing or does not have {state.Width} values.");
            return (double[])v.Clone();
        }
        var m = Get("mean");
        var s = Get("scale");
        if (m.Any(v => !double.IsFinite(v)) || s.Any(v => !(v > 0) || !double.IsFinite(v)))
            throw new InvalidDataException("standard scaler: means must be finite and scales finite and positive.");
        return new StandardRowScaler(m, s);
    }

    /// <inheritdoc />
    public string Kind => "standard";
    /// <inheritdoc />
    public int Width => mean.Length;

    /// <inheritdoc />
    public double[] Forward(double[] row)
    {
        var z = new double[row.Length];
        for (int c = 0; c < row.Length; c++) z[c] = (row[c] - mean[c]) / scale[c];
        return z;
    }

    /// <inheritdoc />
    public double[] Inverse(double[] row)
    {
        var x = new double[row.Length];
        for (int c = 0; c < row.Length; c++) x[c] = row[c] * scale[c] + mean[c];
        return x;
    }

    /// <inheritdoc />
    public double LogJacobian(double[] row) => -scale.Sum(Math.Log);

    /// <inheritdoc />
    public AffineColumns? Affine => new((double[])mean.Clone(), (double[])scale.Clone());

    /// <inheritdoc />
    public RowScalerState State => new(Kind, Width, new Dictionary<string, double[]> { ["mean"] = (double[])mean.Clone(), ["scale"] = (double[])scale.Clone() });
}
