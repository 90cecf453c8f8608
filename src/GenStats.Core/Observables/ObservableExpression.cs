using System.Globalization;
using GenStats.Data;
using GenStats.Tensors;

namespace GenStats.Observables;

/// <summary>One argument of an expression: a column name, or a numeric constant when <see cref="Column"/> is null.</summary>
public sealed record ObservableArgument(string? Column, double Constant);

/// <summary>
/// A call of one observable over named columns, e.g. <c>mass(pt1,eta1,phi1,pt2,eta2,phi2)</c>.
/// Syntax: <c>name(arg, arg, …)</c>; an argument is a column name (letters, digits, <c>_</c> and
/// <c>.</c>, not starting with a digit) or a number (e.g. the muon mass <c>0.10566</c>). Function
/// names ignore case; column names do not. The functions and their argument order are listed by
/// <see cref="Functions"/> and in docs/observables.md. Evaluates on float64 columns (statistics) and
/// on float32 tensors (losses) with the same formulas (<see cref="ColumnObservables"/>,
/// <see cref="TensorObservables"/>).
/// </summary>
public sealed class ObservableExpression
{
    private readonly ObservableFunction _function;

    private ObservableExpression(string text, ObservableFunction function, ObservableArgument[] arguments)
    {
        Text = text;
        _function = function;
        Arguments = arguments;
        Columns = arguments.Where(a => a.Column is not null).Select(a => a.Column!).Distinct().ToArray();
    }

    /// <summary>The parsed text, trimmed.</summary>
    public string Text { get; }

    /// <summary>The function name as the catalog spells it (e.g. <c>mass</c>).</summary>
    public string Function => _function.Name;

    /// <summary>The arguments in order.</summary>
    public IReadOnlyList<ObservableArgument> Arguments { get; }

    /// <summary>The distinct column names the expression reads, in order of first use.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Every function with its argument order, one line each.</summary>
    public static IReadOnlyList<string> Functions => ObservableFunctions.All.Select(f => f.Signature).ToArray();

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="ArgumentException">A syntax error (its 1-based position and what is allowed there), an unknown function, or a wrong argument count.</exception>
    public static ObservableExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var p = new ExpressionParser(text);
        var (name, namePos) = p.Identifier("a function name (e.g. mass)");
        var function = ObservableFunctions.Find(name)
            ?? throw p.Error(namePos, $"unknown function '{name}'; known: {string.Join(", ", ObservableFunctions.All.Select(f => f.Name))}");
        p.Expect('(');
        var args = new List<ObservableArgument>();
        while (true)
        {
            args.Add(p.Argument());
            if (p.TryTake(',')) continue;
            p.Expect(')', "',' or ')' after an argument");
            break;
        }
        p.End();
        if (function.CheckArity(args.Count) is string bad) throw new ArgumentException($"'{text.Trim()}': {bad}.");
        if (args.All(a => a.Column is null)) throw new ArgumentException($"'{text.Trim()}': every argument is a number; at least one must be a column.");
        return new ObservableExpression(text.Trim(), function, [.. args]);
    }

    /// <summary>The observable per event from named float64 columns.</summary>
    /// <exception cref="ArgumentException">A column is missing (the available ones are listed) or the columns differ in length.</exception>
    public double[] Evaluate(IReadOnlyDictionary<string, double[]> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        int n = -1;
        foreach (var c in Columns)
        {
            if (!columns.TryGetValue(c, out var v)) throw Missing(c, columns.Keys);
            if (n >= 0 && v.Length != n) throw new ArgumentException($"'{Text}': column '{c}' has {v.Length} events, other columns {n}.");
            n = v.Length;
        }
        var args = Arguments.Select(a => a.Column is null ? Enumerable.Repeat(a.Constant, n).ToArray() : columns[a.Column]).ToArray();
        return Wrap(() => _function.Columns(args));
    }

    /// <summary>The observable per event from the columns of <paramref name="data"/>.</summary>
    public double[] Evaluate(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Evaluate(data.ColumnNames.ToDictionary(c => c, data.Column));
    }

    /// <summary>
    /// The observable from named float32 tensors, differentiable (the auxiliary-loss form). Every
    /// column tensor has one common shape — e.g. the [n, 1] slices of a generated batch — and the
    /// result has that shape; numeric constants broadcast.
    /// </summary>
    public Tensor EvaluateTensor(IReadOnlyDictionary<string, Tensor> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        Shape? shape = null;
        foreach (var c in Columns)
        {
            if (!columns.TryGetValue(c, out var t)) throw Missing(c, columns.Keys);
            if (shape is Shape s && !s.Equals(t.Shape)) throw new ArgumentException($"'{Text}': column '{c}' has shape {t.Shape}, other columns {s}; one common shape is required.");
            shape = t.Shape;
        }
        var args = Arguments.Select(a => a.Column is null ? Tensor.Scalar((float)a.Constant) : columns[a.Column]).ToArray();
        return Wrap(() => _function.Tensors(args));
    }

    /// <inheritdoc/>
    public override string ToString() => Text;

    private ArgumentException Missing(string column, IEnumerable<string> available) =>
        new($"'{Text}': no column '{column}'; available columns: {string.Join(", ", available)}.");

    private T Wrap<T>(Func<T> evaluate)
    {
        try { return evaluate(); }
        catch (ArgumentException e)
        {
            // The inner message without its " (Parameter 'x')" suffix: the expression names the arguments.
            var message = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "");
            throw new ArgumentException($"'{Text}': {message}", e);
        }
    }
}

/// <summary>A named derived column, <c>NAME=expression</c> (as <c>genstats compare --derive</c> takes it).</summary>
/// <param name="Name">The new column's name.</param>
/// <param name="Expression">The observable that fills it.</param>
public sealed record ObservableDefinition(string Name, ObservableExpression Expression)
{
    /// <summary>Parses <c>NAME=expression</c>; NAME follows the column-name rule of <see cref="ObservableExpression"/>.</summary>
    public static ObservableDefinition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int eq = text.IndexOf('=');
        if (eq < 0) throw new ArgumentException($"'{text}': expected NAME=expression, e.g. M=mass(pt1,eta1,phi1,pt2,eta2,phi2).");
        var name = text[..eq].Trim();
        if (!ExpressionParser.IsName(name)) throw new ArgumentException($"'{text}': '{name}' is not a column name (letters, digits, '_' and '.', not starting with a digit).");
        return new ObservableDefinition(name, ObservableExpression.Parse(text[(eq + 1)..]));
    }

    /// <summary><paramref name="data"/> with the column <see cref="Name"/> added (or replaced), roles kept.</summary>
    public Dataset AddTo(Dataset data) => data.WithColumn(Name, Expression.Evaluate(data));
}

/// <summary>A tiny recursive-descent reader of one call; positions are 1-based characters.</summary>
internal sealed class ExpressionParser(string text)
{
    private int _i;

    public static bool IsName(string s) =>
        s.Length > 0 && (char.IsLetter(s[0]) || s[0] == '_') && s.All(c => char.IsLetterOrDigit(c) || c is '_' or '.');

    public ArgumentException Error(int at, string message) =>
        new($"'{text}' at position {at + 1}: {message}.");

    private void SkipSpace() { while (_i < text.Length && char.IsWhiteSpace(text[_i])) _i++; }

    private string Found => _i < text.Length ? $"found '{text[_i]}'" : "found the end of the text";

    public (string Name, int Position) Identifier(string what)
    {
        SkipSpace();
        int start = _i;
        if (_i < text.Length && (char.IsLetter(text[_i]) || text[_i] == '_'))
            while (_i < text.Length && (char.IsLetterOrDigit(text[_i]) || text[_i] is '_' or '.')) _i++;
        if (_i == start) throw Error(_i, $"expected {what}, {Found}");
        return (text[start.._i], start);
    }

    public ObservableArgument Argument()
    {
        SkipSpace();
        if (_i < text.Length && (char.IsDigit(text[_i]) || text[_i] is '-' or '+' or '.'))
        {
            int start = _i;
            _i++;
            while (_i < text.Length && (char.IsLetterOrDigit(text[_i]) || text[_i] == '.' || (text[_i] is '-' or '+' && text[_i - 1] is 'e' or 'E'))) _i++;
            var token = text[start.._i];
            if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                throw Error(start, $"'{token}' is not a finite number");
            return new ObservableArgument(null, v);
        }
        var (name, _) = Identifier("a column name or a number");
        return new ObservableArgument(name, 0);
    }

    public bool TryTake(char c)
    {
        SkipSpace();
        if (_i < text.Length && text[_i] == c) { _i++; return true; }
        return false;
    }

    public void Expect(char c, string? what = null)
    {
        if (!TryTake(c)) throw Error(_i, $"expected {what ?? $"'{c}'"}, {Found}");
    }

    public void End()
    {
        SkipSpace();
        if (_i < text.Length) throw Error(_i, $"expected the end of the expression after ')', {Found}");
    }
}
