using System.Runtime.InteropServices;

namespace GenStats.Models;

/// <summary>
/// Builds an ONNX graph node by node (field numbers of onnx.proto: ModelProto, GraphProto, NodeProto,
/// AttributeProto, TensorProto, ValueInfoProto) and writes the ModelProto with <see cref="ProtoWriter"/>.
/// Every value is named "v&lt;k&gt;"; constants are initializers (raw little-endian data).
/// </summary>
internal sealed class OnnxGraph
{
    /// <summary>The default-domain operator set the nodes follow.</summary>
    public const int Opset = 17;
    private const int IrVersion = 8;
    private const int FloatType = 1, Int64Type = 7, DoubleType = 11;
    private readonly List<ProtoWriter> nodes = [];
    private readonly List<ProtoWriter> initializers = [];
    private readonly Dictionary<float, string> scalars = [];
    private readonly Dictionary<double, string> doubles = [];
    private int counter;

    private string Fresh() => "v" + counter++;

    /// <summary>Adds a node with one output; attributes are int (long), float, int[] (long[]) or string.</summary>
    public string Node(string op, string[] inputs, params (string Name, object Value)[] attributes)
    {
        string output = Fresh();
        var node = new ProtoWriter();
        foreach (var i in inputs) node.String(1, i);
        node.String(2, output).String(3, output + "_" + op).String(4, op);
        foreach (var (name, value) in attributes)
        {
            var a = new ProtoWriter().String(1, name);
            switch (value)
            {
                case float f: a.Float(2, f).Int(20, 1); break;
                case long i: a.Int(3, i).Int(20, 2); break;
                case string text: a.String(4, text).Int(20, 3); break;
                case long[] ints:
                    foreach (long i in ints) a.Int(8, i);
                    a.Int(20, 7);
                    break;
                default: throw new ArgumentException($"attribute {name}: unsupported type {value.GetType()}.", nameof(attributes));
            }
            node.Message(5, a);
        }
        nodes.Add(node);
        return output;
    }

    public string Un(string op, string x) => Node(op, [x]);
    public string Bin(string op, string a, string b) => Node(op, [a, b]);
    public string Add(string a, string b) => Bin("Add", a, b);
    public string Sub(string a, string b) => Bin("Sub", a, b);
    public string Mul(string a, string b) => Bin("Mul", a, b);
    public string Div(string a, string b) => Bin("Div", a, b);
    public string Where(string condition, string a, string b) => Node("Where", [condition, a, b]);
    public string ToFloat(string x) => Node("Cast", [x], ("to", (long)FloatType));
    public string ToDouble(string x) => Node("Cast", [x], ("to", (long)DoubleType));
    public string ToInt64(string x) => Node("Cast", [x], ("to", (long)Int64Type));

    /// <summary>A float constant of shape [1] (broadcasts against [N, k]), shared between uses.</summary>
    public string Scalar(double value)
    {
        float f = (float)value;
        if (!scalars.TryGetValue(f, out var name)) scalars[f] = name = Const([f], 1);
        return name;
    }

    /// <summary>A float64 constant of shape [1], shared between uses.</summary>
    public string ScalarDouble(double value)
    {
        if (!doubles.TryGetValue(value, out var name))
            doubles[value] = name = Initializer(DoubleType, BitConverter.GetBytes(value), [1]);
        return name;
    }

    /// <summary>p(x) = c₀ + x(c₁ + x(c₂ + …)) by Horner's rule (coefficients from c₀), in float32 or (<paramref name="float64"/>) float64.</summary>
    public string Horner(string x, double[] c, bool float64 = false)
    {
        Func<double, string> k = float64 ? ScalarDouble : Scalar;
        string p = k(c[^1]);
        for (int i = c.Length - 2; i >= 0; i--) p = Add(Mul(p, x), k(c[i]));
        return p;
    }

    public string Const(float[] values, params long[] dims) => Initializer(FloatType, MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), dims);

    public string ConstDouble(double[] values, params long[] dims) => Initializer(DoubleType, MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), dims);

    public string ConstInt64(long[] values, params long[] dims) => Initializer(Int64Type, MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), dims);

    private string Initializer(int type, byte[] data, long[] dims)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX raw_data is little-endian; this machine is not.");
        string name = Fresh();
        var t = new ProtoWriter();
        foreach (long d in dims) t.Int(1, d);
        t.Int(2, type).String(8, name).Bytes(9, data);
        initializers.Add(t);
        return name;
    }

    /// <summary>Columns [start, start + width) of a [N, k] value.</summary>
    public string Columns(string x, int start, int width) =>
        Node("Slice", [x, ConstInt64([start], 1), ConstInt64([start + width], 1), ConstInt64([1], 1)]);

    public string Concat(IReadOnlyList<string> parts) => parts.Count == 1 ? parts[0] : Node("Concat", [.. parts], ("axis", 1L));

    /// <summary>The ModelProto: float inputs and outputs [batch, width] with a symbolic batch dimension.</summary>
    public byte[] Model(IReadOnlyList<(string Name, int Width, string Doc)> inputs, IReadOnlyList<(string Name, string Value, int Width, string Doc)> outputs, string doc) =>
        Model(inputs, outputs.Select(o => (o.Name, o.Value, new[] { o.Width }, o.Doc)).ToList(), doc);

    /// <summary>The ModelProto: float inputs [batch, width] and outputs [batch, dims…] with a symbolic batch dimension.</summary>
    public byte[] Model(IReadOnlyList<(string Name, int Width, string Doc)> inputs, IReadOnlyList<(string Name, string Value, int[] Dims, string Doc)> outputs, string doc)
    {
        var graph = new ProtoWriter();
        foreach (var n in nodes) graph.Message(1, n);
        graph.String(2, "genstats_generator");
        foreach (var i in initializers) graph.Message(5, i);
        graph.String(10, doc);
        foreach (var (name, width, d) in inputs) graph.Message(11, ValueInfo(name, [width], d));
        // Outputs are named values: an Identity gives each its public name.
        foreach (var (name, value, width, d) in outputs)
        {
            var node = new ProtoWriter().String(1, value).String(2, name).String(3, name + "_Identity").String(4, "Identity");
            graph.Message(1, node);
            graph.Message(12, ValueInfo(name, width, d));
        }
        return new ProtoWriter()
            .Int(1, IrVersion)
            .String(2, "GenStats")
            .String(3, typeof(OnnxGraph).Assembly.GetName().Version?.ToString() ?? "")
            .String(6, doc)
            .Message(7, graph)
            .Message(8, new ProtoWriter().String(1, "").Int(2, Opset))
            .ToArray();
    }

    private static ProtoWriter ValueInfo(string name, int[] dims, string doc)
    {
        var shape = new ProtoWriter().Message(1, new ProtoWriter().String(2, "batch"));
        foreach (int d in dims) shape.Message(1, new ProtoWriter().Int(1, d));
        var tensor = new ProtoWriter().Int(1, FloatType).Message(2, shape);
        return new ProtoWriter().String(1, name).Message(2, new ProtoWriter().Message(1, tensor)).String(3, doc);
    }
}
