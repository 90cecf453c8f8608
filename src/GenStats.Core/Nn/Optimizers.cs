using GenStats.Tensors;
using GenStats.Tensors.Backends;

namespace GenStats.Nn;

/// <summary>
/// Base of the optimizers: updates parameters in place from their accumulated gradients, with
/// the per-element rule running as one fused backend kernel per parameter. Parameters without a
/// gradient are skipped. State buffers belong to the optimizer, never to a <see cref="TensorScope"/>,
/// and live on the device of their parameter (allocated by its backend at the first step).
/// </summary>
public abstract class Optimizer
{
    private readonly Tensor[] parameters;
    private readonly TensorBuffer?[] state1, state2;

    /// <summary>Registers the parameters (leaves that require grad).</summary>
    /// <exception cref="ArgumentException">Empty list, a parameter that does not require grad, or a bad learning rate.</exception>
    protected Optimizer(IEnumerable<Tensor> parameters, float learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        this.parameters = parameters.ToArray();
        if (this.parameters.Length == 0) throw new ArgumentException("parameters is empty; at least one parameter is required.", nameof(parameters));
        for (int i = 0; i < this.parameters.Length; i++)
            if (!this.parameters[i].RequiresGrad || !this.parameters[i].IsLeaf)
                throw new ArgumentException($"parameters[{i}] is not a trainable leaf (RequiresGrad must be set on a leaf).", nameof(parameters));
        state1 = new TensorBuffer?[this.parameters.Length];
        state2 = new TensorBuffer?[this.parameters.Length];
        LearningRate = learningRate;
    }

    /// <summary>The parameters.</summary>
    public IReadOnlyList<Tensor> Parameters => parameters;

    /// <summary>Current learning rate (schedules set it).</summary>
    public float LearningRate
    {
        get => lr;
        set
        {
            if (!(value >= 0) || !float.IsFinite(value))
                throw new ArgumentException($"learning rate is {value}; a finite non-negative value is required.", nameof(value));
            lr = value;
        }
    }

    private float lr;

    /// <summary>Number of <see cref="Step"/> calls so far.</summary>
    public long StepCount { get; private set; }

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public void ZeroGrad()
    {
        foreach (var p in parameters) p.ZeroGrad();
    }

    /// <summary>
    /// The optimizer's state for checkpoints: the step count and, per parameter index, the state
    /// buffers that exist (named <c>s1.i</c> / <c>s2.i</c>; copies).
    /// </summary>
    internal (long Steps, IReadOnlyList<NamedTensor> Buffers) ExportState()
    {
        var list = new List<NamedTensor>();
        for (int i = 0; i < parameters.Length; i++)
        {
            if (state1[i] is { } a) list.Add(new NamedTensor($"s1.{i}", Tensor.FromArray(Download(a), a.Length)));
            if (state2[i] is { } b) list.Add(new NamedTensor($"s2.{i}", Tensor.FromArray(Download(b), b.Length)));
        }
        return (StepCount, list);
    }

    /// <summary>Restores a state written by <see cref="ExportState"/> (buffers absent there are cleared).</summary>
    /// <exception cref="InvalidDataException">A buffer name or length does not fit these parameters.</exception>
    internal void ImportState(long steps, IEnumerable<(string Name, float[] Values)> buffers)
    {
        Array.Clear(state1);
        Array.Clear(state2);
        foreach (var (name, values) in buffers)
        {
            var parts = name.Split('.');
            if (parts.Length != 2 || (parts[0] != "s1" && parts[0] != "s2")
                || !int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int i)
                || i >= parameters.Length || values.Length != parameters[i].Size)
                throw new InvalidDataException($"optimizer state buffer '{name}' ({values.Length} values) does not fit this optimizer's {parameters.Length} parameters.");
            var be = parameters[i].Backend;
            var buffer = be.Allocate(values.Length);
            be.CopyFromHost(values, buffer, 0);
            (parts[0] == "s1" ? state1 : state2)[i] = buffer;
        }
        StepCount = steps;
    }

    private static float[] Download(TensorBuffer buffer)
    {
        var a = new float[buffer.Length];
        buffer.Backend.CopyToHost(buffer, 0, a);
        return a;
    }

    /// <summary>
    /// The state buffer of a parameter on its backend: zeros at first use, moved (through the host)
    /// when the parameter moved to another device since (<see cref="Module.To"/>).
    /// </summary>
    private static TensorBuffer State(ref TensorBuffer? slot, ITensorBackend be, int n)
    {
        if (slot is null)
        {
            slot = be.Allocate(n);
            be.Fill(slot, n, 0);
        }
        else if (slot.Device != be.Device)
        {
            var moved = be.Allocate(n);
            be.CopyFromHost(Download(slot), moved, 0);
            slot = moved;
        }
        return slot;
    }

    /// <summary>The fused update rule for the current step.</summary>
    protected abstract OptimizerUpdate Rule(long step);

    /// <summary>Whether the rule uses the first state buffer (momentum or first moment).</summary>
    protected abstract bool UsesFirstState { get; }

    /// <summary>Whether the rule uses the second state buffer.</summary>
    protected abstract bool UsesSecondState { get; }

    /// <summary>Applies one update to every parameter that has a gradient.</summary>
    public void Step()
    {
        StepCount++;
        var rule = Rule(StepCount);
        bool u1 = UsesFirstState, u2 = UsesSecondState;
        for (int i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            if (p.Grad is null) continue;
            var be = p.Backend;
            var s1 = u1 ? State(ref state1[i], be, p.Size) : null;
            var s2 = u2 ? State(ref state2[i], be, p.Size) : null;
            be.OptimizerStep(rule, p.Buffer, p.Grad.Buffer, s1, s2, p.Size);
        }
    }
}

/// <summary>SGD options (PyTorch torch.optim.SGD, dampening 0).</summary>
public sealed record SgdOptions
{
    /// <summary>Learning rate.</summary>
    public float LearningRate { get; init; } = 0.01f;
    /// <summary>Momentum factor (0 = plain SGD).</summary>
    public float Momentum { get; init; }
    /// <summary>L2 penalty added to the gradient.</summary>
    public float WeightDecay { get; init; }
    /// <summary>Nesterov momentum.</summary>
    public bool Nesterov { get; init; }
}

/// <summary>Stochastic gradient descent with optional (Nesterov) momentum and weight decay.</summary>
public sealed class Sgd : Optimizer
{
    private readonly SgdOptions o;

    /// <summary>Creates the optimizer.</summary>
    public Sgd(IEnumerable<Tensor> parameters, SgdOptions? options = null) : base(parameters, (options ?? new()).LearningRate)
    {
        o = options ?? new();
        if (!(o.Momentum >= 0 && o.Momentum < 1)) throw new ArgumentException($"Momentum is {o.Momentum}; [0, 1) is allowed.", nameof(options));
    }

    /// <inheritdoc />
    protected override OptimizerUpdate Rule(long step) => new("sgd", LearningRate, o.Momentum, 0, 0, o.WeightDecay, step, o.Nesterov);

    /// <inheritdoc />
    protected override bool UsesFirstState => o.Momentum != 0;

    /// <inheritdoc />
    protected override bool UsesSecondState => false;
}

/// <summary>Adam options (PyTorch torch.optim.Adam / AdamW).</summary>
public sealed record AdamOptions
{
    /// <summary>Learning rate.</summary>
    public float LearningRate { get; init; } = 1e-3f;
    /// <summary>β₁.</summary>
    public float Beta1 { get; init; } = 0.9f;
    /// <summary>β₂.</summary>
    public float Beta2 { get; init; } = 0.999f;
    /// <summary>ε.</summary>
    public float Epsilon { get; init; } = 1e-8f;
    /// <summary>Weight decay: L2 on the gradient (Adam) or decoupled (AdamW when <see cref="Decoupled"/>).</summary>
    public float WeightDecay { get; init; }
    /// <summary>Decoupled weight decay (AdamW).</summary>
    public bool Decoupled { get; init; }
}

/// <summary>Adam with bias correction; AdamW when weight decay is decoupled.</summary>
public sealed class Adam : Optimizer
{
    private readonly AdamOptions o;

    /// <summary>Creates the optimizer.</summary>
    public Adam(IEnumerable<Tensor> parameters, AdamOptions? options = null) : base(parameters, (options ?? new()).LearningRate)
    {
        o = options ?? new();
        if (!(o.Beta1 >= 0 && o.Beta1 < 1) || !(o.Beta2 >= 0 && o.Beta2 < 1))
            throw new ArgumentException($"Beta1 = {o.Beta1}, Beta2 = {o.Beta2}; both must be in [0, 1).", nameof(options));
        if (!(o.Epsilon > 0)) throw new ArgumentException($"Epsilon is {o.Epsilon}; it must be positive.", nameof(options));
    }

    /// <inheritdoc />
    protected override OptimizerUpdate Rule(long step) =>
        new(o.Decoupled ? "adamw" : "adam", LearningRate, o.Beta1, o.Beta2, o.Epsilon, o.WeightDecay, step, false);

    /// <inheritdoc />
    protected override bool UsesFirstState => true;

    /// <inheritdoc />
    protected override bool UsesSecondState => true;
}

/// <summary>RMSProp options (PyTorch torch.optim.RMSprop, non-centred).</summary>
public sealed record RmsPropOptions
{
    /// <summary>Learning rate.</summary>
    public float LearningRate { get; init; } = 1e-2f;
    /// <summary>Smoothing constant α of the running mean of squared gradients.</summary>
    public float Alpha { get; init; } = 0.99f;
    /// <summary>ε added to the root mean square.</summary>
    public float Epsilon { get; init; } = 1e-8f;
    /// <summary>L2 penalty added to the gradient.</summary>
    public float WeightDecay { get; init; }
    /// <summary>Momentum (0 = none).</summary>
    public float Momentum { get; init; }
}

/// <summary>RMSProp: w ← w − lr·g/(√v + ε), v ← αv + (1−α)g².</summary>
public sealed class RmsProp : Optimizer
{
    private readonly RmsPropOptions o;

    /// <summary>Creates the optimizer.</summary>
    public RmsProp(IEnumerable<Tensor> parameters, RmsPropOptions? options = null) : base(parameters, (options ?? new()).LearningRate)
    {
        o = options ?? new();
        if (!(o.Alpha >= 0 && o.Alpha < 1)) throw new ArgumentException($"Alpha is {o.Alpha}; [0, 1) is allowed.", nameof(options));
        if (!(o.Epsilon > 0)) throw new ArgumentException($"Epsilon is {o.Epsilon}; it must be positive.", nameof(options));
    }

    /// <inheritdoc />
    protected override OptimizerUpdate Rule(long step) => new("rmsprop", LearningRate, o.Momentum, o.Alpha, o.Epsilon, o.WeightDecay, step, false);

    /// <inheritdoc />
    protected override bool UsesFirstState => true;

    /// <inheritdoc />
    protected override bool UsesSecondState => o.Momentum != 0;
}
