using GenStats.Nn;
using GenStats.Tensors;

namespace GenStats.Models;

/// <summary>
/// The layers of a spline flow on the model (preprocessed) scale: x → z = f_L ∘ … ∘ f_1(x), each f_l
/// a spline of some columns whose parameters come from a conditioner (child "l"), followed by a
/// column permutation; base N(0, I). Layer order, permutations and splits are fixed by the options,
/// so a model file holds only the conditioners' parameters.
/// </summary>
internal sealed class FlowNetwork : Module
{
    private readonly Module[] conditioners;
    private readonly int[][] orders, inverses;
    private readonly int dx, dy;

    public FlowNetwork(FlowOptions o, int dx, int dy)
    {
        Options = o;
        this.dx = dx;
        this.dy = dy;
        Spline = o.Spline;
        conditioners = new Module[o.Layers];
        orders = new int[o.Layers][];
        inverses = new int[o.Layers][];
        int p = Spline.ParameterCount;
        for (int l = 0; l < o.Layers; l++)
        {
            orders[l] = Order(o, l, dx);
            inverses[l] = new int[dx];
            for (int i = 0; i < dx; i++) inverses[l][orders[l][i]] = i;
            ulong seed = NeuralData.Mix(o.Seed, 300 + (ulong)l);
            if (o.Architecture == FlowArchitecture.Autoregressive)
                conditioners[l] = new MaskedMlp(dx, dy, o.HiddenLayers, p, o.Activation, seed, Spline.IdentityDerivative, Spline.Bins, o.Dropout);
            else
            {
                int a = IdentityColumns, width = (dx - a) * p;
                conditioners[l] = a + dy == 0
                    ? new ConstantParameters(width, Spline.IdentityDerivative, Spline.Bins)
                    : IdentityStart(new Mlp(new MlpOptions([a + dy, .. o.HiddenLayers, width]) { Activation = o.Activation, Seed = seed, Dropout = o.Dropout }),
                        Spline.IdentityDerivative, Spline.Bins);
            }
        }
        // Evaluation mode unless the trainer switches it on for a step (dropout).
        Eval();
    }

    public FlowOptions Options { get; }
    public SplineShape Spline { get; }

    /// <summary>Columns a coupling layer passes unchanged (⌊d/2⌋: none for one column).</summary>
    internal int IdentityColumns => dx / 2;

    /// <summary>Spline layers.</summary>
    internal int LayerCount => conditioners.Length;

    /// <summary>Layer l's column order, its inverse permutation and its conditioner (what export reads).</summary>
    internal (int[] Order, int[] Inverse, Module Conditioner) LayerParts(int l) => (orders[l], inverses[l], conditioners[l]);

    /// <summary>The column order layer l works in: identity/reversed alternating, or a seeded random permutation.</summary>
    private static int[] Order(FlowOptions o, int l, int dx)
    {
        var order = Enumerable.Range(0, dx).ToArray();
        if (o.Permutation == FlowPermutation.Random)
        {
            var rng = new Numerics.SeededRandom(unchecked((long)NeuralData.Mix(o.Seed, 400 + (ulong)l)));
            for (int i = dx - 1; i > 0; i--)
            {
                int j = rng.NextInt(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
        }
        else if (l % 2 == 1) Array.Reverse(order);
        return order;
    }

    /// <summary>The conditioner's last layer set to 0 weights and the identity spline's parameters as bias, so training starts at f = identity.</summary>
    internal static Mlp IdentityStart(Mlp net, float identityDerivative, int bins)
    {
        var last = net.Linears[^1];
        last.Weight.FillInPlace(0);
        last.Bias!.CopyFrom(IdentityBias(last.Bias.Size, identityDerivative, bins));
        return net;
    }

    /// <summary>Per block of 3K − 1 parameters: widths and heights 0 (equal bins), derivatives giving slope 1.</summary>
    internal static float[] IdentityBias(int length, float identityDerivative, int bins)
    {
        int p = 3 * bins - 1;
        var bias = new float[length];
        for (int i = 0; i < bias.Length; i++) bias[i] = i % p >= 2 * bins ? identityDerivative : 0f;
        return bias;
    }

    public override IEnumerable<NamedModule> Children() =>
        conditioners.Select((c, i) => new NamedModule(i.ToString(System.Globalization.CultureInfo.InvariantCulture), c));

    /// <summary>Not a single-input module: use <see cref="LogProb"/>, <see cref="ToNoise"/> or <see cref="ToData"/>.</summary>
    public override Tensor Forward(Tensor input) =>
        throw new NotSupportedException("a flow maps (x, y) pairs: use LogProb, ToNoise or ToData.");

    /// <summary>log q(x | y) on the model scale, [N]: log N(z; 0, I) + Σ log|det ∂f_l|.</summary>
    public Tensor LogProb(Tensor x, Tensor? y)
    {
        var (z, logDet) = ToNoise(x, y);
        var logBase = Ops.Affine(Ops.Sum(Ops.Square(z), 1), -0.5f, -0.5f * dx * MathF.Log(2 * MathF.PI));
        return Ops.Add(logBase, logDet);
    }

    /// <summary>z = f(x) [N, dx] and log|det ∂f/∂x| [N].</summary>
    public (Tensor Z, Tensor LogDet) ToNoise(Tensor x, Tensor? y)
    {
        Tensor? logDet = null;
        for (int l = 0; l < conditioners.Length; l++)
        {
            var (next, ld) = Layer(l, x, y);
            x = next;
            logDet = logDet is null ? ld : Ops.Add(logDet, ld);
        }
        return (x, logDet ?? Tensor.Zeros(x.Shape[0]));
    }

    /// <summary>x = f⁻¹(z) [N, dx] (sampling; the autoregressive layers take one pass per column).</summary>
    public Tensor ToData(Tensor z, Tensor? y)
    {
        for (int l = conditioners.Length - 1; l >= 0; l--) z = InverseLayer(l, z, y);
        return z;
    }

    private (Tensor, Tensor) Layer(int l, Tensor x, Tensor? y)
    {
        var xo = Ops.Take(x, orders[l], 1);
        if (Options.Architecture == FlowArchitecture.Autoregressive)
        {
            var (zo, ldAr) = RationalQuadraticSpline.Forward(xo, conditioners[l].Forward(NeuralParts.Input(xo, y)), Spline);
            return (Ops.Take(zo, inverses[l], 1), Ops.Sum(ldAr, 1));
        }
        int a = IdentityColumns;
        var xb = a == 0 ? xo : Ops.SliceColumns(xo, a, dx - a);
        var xa = a == 0 ? null : Ops.SliceColumns(xo, 0, a);
        var (zb, ld) = RationalQuadraticSpline.Forward(xb, Conditioner(l, xa, y, x.Shape[0]), Spline);
        var joined = xa is null ? zb : Ops.Concat([xa, zb], 1);
        return (Ops.Take(joined, inverses[l], 1), Ops.Sum(ld, 1));
    }

    private Tensor InverseLayer(int l, Tensor z, Tensor? y)
    {
        var zo = Ops.Take(z, orders[l], 1);
        if (Options.Architecture == FlowArchitecture.Autoregressive)
        {
            // Column i's spline depends on columns < i only: after pass i the first i + 1 columns are exact.
            var xo = Tensor.Zeros(zo.Shape);
            for (int i = 0; i < dx; i++)
                xo = RationalQuadraticSpline.Inverse(zo, conditioners[l].Forward(NeuralParts.Input(xo, y)), Spline).Output;
            return Ops.Take(xo, inverses[l], 1);
        }
        int a = IdentityColumns;
        var zb = a == 0 ? zo : Ops.SliceColumns(zo, a, dx - a);
        var xa = a == 0 ? null : Ops.SliceColumns(zo, 0, a);
        var (xb, _) = RationalQuadraticSpline.Inverse(zb, Conditioner(l, xa, y, z.Shape[0]), Spline);
        var joined = xa is null ? xb : Ops.Concat([xa, xb], 1);
        return Ops.Take(joined, inverses[l], 1);
    }

    private Tensor Conditioner(int l, Tensor? xa, Tensor? y, int rows)
    {
        if (conditioners[l] is ConstantParameters c) return c.Expand(rows);
        var input = xa is null ? y! : NeuralParts.Input(xa, y);
        return conditioners[l].Forward(input);
    }
}

/// <summary>Learned spline parameters that depend on nothing: the conditioner of an unconditional one-column flow.</summary>
internal sealed class ConstantParameters : Module
{
    public ConstantParameters(int width, float identityDerivative, int bins)
    {
        var v = Tensor.Persistent(new Shape(1, width));
        v.CopyFrom(FlowNetwork.IdentityBias(width, identityDerivative, bins));
        Value = v.RequireGrad();
    }

    public Tensor Value { get; }

    /// <summary>The parameters repeated for <paramref name="rows"/> events.</summary>
    public Tensor Expand(int rows) => Ops.BroadcastTo(Value, new Shape(rows, Value.Shape[1]));

    public override Tensor Forward(Tensor input) => Expand(input.Shape[0]);

    protected override IEnumerable<NamedTensor> OwnParameters() => [new NamedTensor("value", Value)];
}
