using System.Globalization;

namespace GenStats.Data;

/// <summary>
/// The preprocessing declared for one column: a <see cref="TransformKind"/> and, for logit, its
/// bounds. Written as text (config files, <c>--transform</c>): <c>identity</c>, <c>standard</c>,
/// <c>quantile-normal</c>, <c>log</c>, <c>log1p</c>, <c>logit(lo,hi)</c>, <c>periodic</c>.
/// </summary>
/// <param name="Kind">The kind.</param>
/// <param name="Lower">Lower bound of logit (ignored otherwise).</param>
/// <param name="Upper">Upper bound of logit (ignored otherwise).</param>
public sealed record TransformSpec(TransformKind Kind, double Lower = 0, double Upper = 1)
{
    /// <summary>The accepted spellings, for error messages and help texts.</summary>
    public const string Allowed = "identity, standard, quantile-normal, log, log1p, logit(lo,hi), periodic";

    private static readonly (string Name, TransformKind Kind)[] Names =
    [
        ("identity", TransformKind.Identity), ("standard", TransformKind.Standard), ("quantile-normal", TransformKind.QuantileNormal),
        ("log", TransformKind.Log), ("log1p", TransformKind.Log1p), ("periodic", TransformKind.Periodic),
    ];

    /// <summary>The unfitted transform.</summary>
    /// <exception cref="ArgumentException">Logit bounds that are not finite with lo &lt; hi.</exception>
    public IColumnTransform Create()
    {
        if (Kind != TransformKind.Logit) return ColumnTransforms.Of(Kind);
        if (!double.IsFinite(Lower) || !double.IsFinite(Upper) || !(Lower < Upper))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"logit bounds ({Lower}, {Upper}) must be finite with lo < hi."), nameof(Lower));
        return new LogitTransform(Lower, Upper);
    }

    /// <summary>The text form (<c>logit(0,1)</c>, <c>log</c>, …), which <see cref="Parse"/> reads back.</summary>
    public override string ToString() => Kind == TransformKind.Logit
        ? string.Create(CultureInfo.InvariantCulture, $"logit({Lower:R},{Upper:R})")
        : Names.First(n => n.Kind == Kind).Name;

    /// <summary>Reads one spec (case-insensitive, spaces ignored).</summary>
    /// <exception cref="ArgumentException">An unknown kind or malformed bounds; the message names the text and lists the allowed kinds.</exception>
    public static TransformSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
        foreach (var (name, kind) in Names)
            if (t == name) return new TransformSpec(kind);
        if (t.StartsWith("logit(", StringComparison.Ordinal) && t.EndsWith(')'))
        {
            var parts = t[6..^1].Split(',');
            if (parts.Length == 2
                && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double lo)
                && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double hi)
                && double.IsFinite(lo) && double.IsFinite(hi) && lo < hi)
                return new TransformSpec(TransformKind.Logit, lo, hi);
            throw new ArgumentException($"transform '{text}': logit needs two finite bounds lo < hi, e.g. logit(0,1).", nameof(text));
        }
        throw new ArgumentException($"transform '{text}' is unknown; allowed: {Allowed}.", nameof(text));
    }

    /// <summary>
    /// Reads a list of column assignments, <c>pt1=log,phi1=periodic,eff=logit(0,1)</c> (commas
    /// inside parentheses belong to the bounds), into column name → spec text (checked by <see cref="Parse"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A token without '=', an empty name, a repeated column or a bad spec; the message names the token.</exception>
    public static IReadOnlyDictionary<string, string> ParseAssignments(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string token in SplitTopLevel(text))
        {
            string tk = token.Trim();
            if (tk.Length == 0) continue;
            int eq = tk.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == tk.Length - 1)
                throw new ArgumentException($"transform token '{tk}' is not COLUMN=KIND (allowed kinds: {Allowed}).", nameof(text));
            string column = tk[..eq].Trim(), spec = tk[(eq + 1)..].Trim();
            try
            {
                Parse(spec);
            }
            catch (ArgumentException e)
            {
                string reason = e.Message.Split(" (Parameter")[0];
                string kinds = reason.Contains(Allowed, StringComparison.Ordinal) ? "" : $" Allowed kinds: {Allowed}.";
                throw new ArgumentException($"transform token '{tk}': {reason}{kinds}", nameof(text), e);
            }
            if (!result.TryAdd(column, spec))
                throw new ArgumentException($"transform token '{tk}': column '{column}' is given twice.", nameof(text));
        }
        return result;
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        int depth = 0, start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '(') depth++;
            else if (text[i] == ')') depth = Math.Max(0, depth - 1);
            else if (text[i] == ',' && depth == 0) { yield return text[start..i]; start = i + 1; }
        }
        yield return text[start..];
    }
}
