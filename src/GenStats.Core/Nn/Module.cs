using GenStats.Tensors;

namespace GenStats.Nn;

/// <summary>A tensor with its dotted path inside a module tree, e.g. <c>layers.0.weight</c>.</summary>
/// <param name="Name">Dotted name.</param>
/// <param name="Tensor">The tensor (a parameter or buffer).</param>
public sealed record NamedTensor(string Name, Tensor Tensor);

/// <summary>A child module with its name inside the parent.</summary>
/// <param name="Name">The child's name.</param>
/// <param name="Module">The child.</param>
public sealed record NamedModule(string Name, Module Module);

/// <summary>
/// Base of every network building block: a forward function plus named, trainable parameters
/// (leaves with <see cref="Tensor.RequiresGrad"/>), possibly in child modules. From F#,
/// <c>x --> layer</c> applies a module.
/// </summary>
public abstract class Module
{
    /// <summary>Whether the module is in training mode (dropout active); see <see cref="Train"/>.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Applies the module.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>The parameters this module owns directly (not those of children).</summary>
    protected virtual IEnumerable<NamedTensor> OwnParameters() => [];

    /// <summary>
    /// The non-trainable state this module owns directly (not its children's), e.g. BatchNorm's
    /// running statistics: saved with a model, never handed to an optimizer.
    /// </summary>
    protected virtual IEnumerable<NamedTensor> OwnBuffers() => [];

    /// <summary>Every buffer (non-trainable state) in the tree, named by dotted path, in a fixed order.</summary>
    public IReadOnlyList<NamedTensor> NamedBuffers()
    {
        var list = new List<NamedTensor>();
        CollectBuffers("", list);
        return list;
    }

    private void CollectBuffers(string prefix, List<NamedTensor> list)
    {
        foreach (var b in OwnBuffers()) list.Add(new NamedTensor(prefix + b.Name, b.Tensor));
        foreach (var c in Children()) c.Module.CollectBuffers(prefix + c.Name + ".", list);
    }

    /// <summary>The direct children.</summary>
    public virtual IEnumerable<NamedModule> Children() => [];

    /// <summary>Every parameter in the tree, named by dotted path, in a fixed order.</summary>
    public IReadOnlyList<NamedTensor> NamedParameters()
    {
        var list = new List<NamedTensor>();
        Collect("", list);
        return list;
    }

    private void Collect(string prefix, List<NamedTensor> list)
    {
        foreach (var p in OwnParameters()) list.Add(new NamedTensor(prefix + p.Name, p.Tensor));
        foreach (var c in Children()) c.Module.Collect(prefix + c.Name + ".", list);
    }

    /// <summary>Every parameter in the tree.</summary>
    public IReadOnlyList<Tensor> Parameters() => NamedParameters().Select(p => p.Tensor).ToList();

    /// <summary>Total number of scalar parameters.</summary>
    public int ParameterCount => Parameters().Sum(p => p.Size);

    /// <summary>Sets training (true) or evaluation (false) mode on the whole tree.</summary>
    public void Train(bool training = true)
    {
        IsTraining = training;
        foreach (var c in Children()) c.Module.Train(training);
    }

    /// <summary>Evaluation mode: dropout off.</summary>
    public void Eval() => Train(false);

    /// <summary>Zeros the accumulated gradients of every parameter.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.ZeroGrad();
    }

    /// <summary>
    /// Moves every parameter (with its gradient) and buffer of the tree to <paramref name="device"/>
    /// in place, through the host, on the backend registered for it (<see cref="TensorBackend.For"/>),
    /// as PyTorch's <c>Module.to</c>: the same tensor objects keep their identity, so optimizers
    /// built before keep working (their state follows at the next step). Returns this module.
    /// </summary>
    /// <exception cref="InvalidOperationException">No backend is registered for the device.</exception>
    public Module To(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var target = TensorBackend.For(device);
        foreach (var p in Parameters())
        {
            p.MoveTo(target);
            p.Grad?.MoveTo(target);
        }
        foreach (var b in NamedBuffers()) b.Tensor.MoveTo(target);
        return this;
    }

    /// <summary>Saves every parameter to a <see cref="ParameterFile"/> (atomically).</summary>
    public void SaveParameters(string path, IReadOnlyDictionary<string, string>? metadata = null) =>
        ParameterFile.Save(path, NamedParameters(), metadata);

    /// <summary>
    /// Loads parameters saved by <see cref="SaveParameters"/> into this module in place.
    /// </summary>
    /// <exception cref="System.IO.InvalidDataException">The file is corrupt or truncated, or its names/shapes do not match this module.</exception>
    public IReadOnlyDictionary<string, string> LoadParameters(string path)
    {
        var content = ParameterFile.Load(path);
        var mine = NamedParameters();
        var byName = content.Tensors.ToDictionary(t => t.Name);
        if (byName.Count != mine.Count || mine.Any(p => !byName.ContainsKey(p.Name)))
            throw new InvalidDataException(
                $"{path} holds parameters [{string.Join(", ", content.Tensors.Select(t => t.Name))}] but the module has [{string.Join(", ", mine.Select(p => p.Name))}].");
        foreach (var p in mine)
        {
            var t = byName[p.Name];
            if (!t.Shape.SequenceEqual(p.Tensor.Shape.ToArray()))
                throw new InvalidDataException($"{path}: parameter {p.Name} has shape [{string.Join(", ", t.Shape)}] in the file but {p.Tensor.Shape} in the module.");
            p.Tensor.CopyFrom(t.Values);
        }
        return content.Metadata;
    }

    /// <summary>F# operator <c>x --> m</c>: applies module m to x.</summary>
    public static Tensor op_MinusMinusGreater(Tensor input, Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return module.Forward(input);
    }
}

/// <summary>Modules applied one after another.</summary>
public sealed class Sequential : Module
{
    private readonly Module[] layers;

    /// <summary>Chains the given modules; children are named 0, 1, 2, ….</summary>
    public Sequential(params Module[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        this.layers = (Module[])layers.Clone();
    }

    /// <summary>The chained modules.</summary>
    public IReadOnlyList<Module> Layers => layers;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var l in layers) x = l.Forward(x);
        return x;
    }

    /// <inheritdoc />
    public override IEnumerable<NamedModule> Children() => layers.Select((l, i) => new NamedModule(i.ToString(System.Globalization.CultureInfo.InvariantCulture), l));
}
