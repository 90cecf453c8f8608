namespace GenStats.Tensors;

/// <summary>
/// Backward function of one recorded operation: given the gradient of its output and which inputs
/// need a gradient, returns one gradient per input (null where not needed). It is written with
/// differentiable <see cref="Ops"/>, so running it in grad mode records a graph of its own —
/// that is what makes gradients of gradients work.
/// </summary>
internal delegate Tensor?[] BackwardFn(Tensor gradOutput, bool[] needs);

/// <summary>The record of one operation in the autodiff graph.</summary>
internal sealed class GradNode
{
    public readonly string Op;
    public readonly Tensor[] Inputs;
    public readonly BackwardFn Backward;

    public GradNode(string op, Tensor[] inputs, BackwardFn backward)
    {
        Op = op;
        Inputs = inputs;
        Backward = backward;
    }
}

/// <summary>
/// Reverse-mode automatic differentiation. Grad mode is on by default; <see cref="NoGrad"/> turns
/// recording off for inference. <see cref="Grad"/> returns d(output)/d(inputs); with
/// <c>createGraph: true</c> the returned gradients are themselves differentiable, so a gradient
/// penalty such as (‖∇ₓD(x)‖ − 1)² can be back-propagated to the critic's parameters.
/// </summary>
public static class Autograd
{
    [ThreadStatic] private static int noGradDepth;

    /// <summary>Whether operations on this thread are recorded for autodiff.</summary>
    public static bool IsGradEnabled => noGradDepth == 0;

    /// <summary>Turns recording off on this thread until the returned object is disposed.</summary>
    public static IDisposable NoGrad() => new GradModeGuard(+1);

    /// <summary>Turns recording back on inside a <see cref="NoGrad"/> region until disposed.</summary>
    public static IDisposable EnableGrad() => new GradModeGuard(-1);

    private sealed class GradModeGuard : IDisposable
    {
        private readonly int saved;
        private bool done;

        public GradModeGuard(int change)
        {
            saved = noGradDepth;
            noGradDepth = change > 0 ? noGradDepth + 1 : 0;
        }

        public void Dispose()
        {
            if (done) return;
            done = true;
            noGradDepth = saved;
        }
    }

    /// <summary>
    /// Gradients of <paramref name="output"/> with respect to <paramref name="inputs"/> (vector–Jacobian
    /// product with <paramref name="gradOutput"/>, which defaults to 1 for a one-element output).
    /// An input the output does not depend on gets a zero gradient. Leaves' <see cref="Tensor.Grad"/>
    /// is not touched.
    /// </summary>
    /// <param name="output">The tensor to differentiate.</param>
    /// <param name="inputs">Tensors (leaves or intermediates) that require grad.</param>
    /// <param name="gradOutput">Seed gradient shaped like the output; null means ones (one-element output only).</param>
    /// <param name="createGraph">Record the backward pass so the gradients can be differentiated again.</param>
    public static Tensor[] Grad(Tensor output, Tensor[] inputs, Tensor? gradOutput = null, bool createGraph = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(inputs);
        for (int i = 0; i < inputs.Length; i++)
            if (!inputs[i].RequiresGrad)
                throw new ArgumentException($"inputs[{i}] does not require grad; call RequireGrad() on it before the forward pass.", nameof(inputs));
        var targets = new HashSet<Tensor>(inputs, ReferenceEqualityComparer.Instance);
        var grads = Run(output, gradOutput, createGraph, targets);
        var result = new Tensor[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            if (grads.TryGetValue(inputs[i], out var g)) result[i] = g;
            else
            {
                using (NoGrad()) result[i] = Tensor.Zeros(inputs[i].Shape);
            }
        }
        return result;
    }

    /// <summary>Back-propagates and accumulates into the leaves' <see cref="Tensor.Grad"/> (not recorded).</summary>
    internal static void Backward(Tensor output, Tensor? gradOutput)
    {
        var grads = Run(output, gradOutput, false, null);
        using var _ = NoGrad();
        foreach (var (t, g) in grads)
        {
            if (!t.IsLeaf) continue;
            if (t.Grad is null)
            {
                var be = t.Backend;
                var persistent = new Tensor(new Storage(be.Allocate(t.Size), false), t.Shape);
                be.Copy(g.Buffer, 0, persistent.Buffer, 0, t.Size);
                t.Grad = persistent;
            }
            else
            {
                if (t.Grad.Shape != t.Shape)
                    throw new InvalidOperationException($"Grad of shape {t.Grad.Shape} does not match tensor shape {t.Shape}.");
                t.Grad.Backend.Axpy(1, g.Buffer, t.Grad.Buffer, t.Size);
            }
        }
    }

    private static Dictionary<Tensor, Tensor> Run(Tensor output, Tensor? gradOutput, bool createGraph, HashSet<Tensor>? targets)
    {
        if (!output.RequiresGrad)
            throw new InvalidOperationException("the output does not require grad: no input of its computation requires grad (or it was computed under NoGrad).");
        if (gradOutput is null && output.Size != 1)
            throw new ArgumentException($"gradOutput is required for an output of shape {output.Shape}; only one-element outputs default to 1.", nameof(gradOutput));
        if (gradOutput is not null && gradOutput.Shape != output.Shape)
            throw new ArgumentException($"gradOutput has shape {gradOutput.Shape}; the output has shape {output.Shape}.", nameof(gradOutput));

        var order = TopologicalOrder(output, targets, out var relevant);
        var grads = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance);
        using var mode = createGraph ? EnableGrad() : NoGrad();
        grads[output] = gradOutput ?? Tensor.Ones(output.Shape);
        for (int idx = order.Count - 1; idx >= 0; idx--)
        {
            var t = order[idx];
            var node = t.Node!;
            if (!grads.TryGetValue(t, out var g)) continue;
            var needs = new bool[node.Inputs.Length];
            bool any = false;
            for (int i = 0; i < needs.Length; i++)
            {
                var x = node.Inputs[i];
                needs[i] = x.RequiresGrad && relevant.Contains(x);
                any |= needs[i];
            }
            if (!any) continue;
            var inGrads = node.Backward(g, needs);
            for (int i = 0; i < needs.Length; i++)
            {
                var gi = inGrads[i];
                if (!needs[i] || gi is null) continue;
                var x = node.Inputs[i];
                if (gi.Shape != x.Shape)
                    throw new InvalidOperationException($"internal error: backward of {node.Op} gave a gradient of shape {gi.Shape} for an input of shape {x.Shape}.");
                grads[x] = grads.TryGetValue(x, out var prev) ? Ops.Add(prev, gi) : gi;
            }
            // Free the gradient of an intermediate that is not asked for (targets == null: keep leaves only).
            if (targets is null || !targets.Contains(t)) grads.Remove(t);
        }
        if (targets is null)
        {
            // Backward(): only leaves matter.
            foreach (var k in grads.Keys.Where(k => !k.IsLeaf).ToList()) grads.Remove(k);
        }
        return grads;
    }

    /// <summary>
    /// Computed tensors reachable from <paramref name="output"/>, parents before children (post-order),
    /// and the set of tensors through which a gradient must flow: with targets, those from which a
    /// target can be reached (the targets included); without, every tensor that requires grad.
    /// </summary>
    private static List<Tensor> TopologicalOrder(Tensor output, HashSet<Tensor>? targets, out HashSet<Tensor> relevant)
    {
        var order = new List<Tensor>();
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        relevant = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor t, int next)>();
        if (output.Node is null)
        {
            if (targets is null || targets.Contains(output)) relevant.Add(output);
            return order;
        }
        stack.Push((output, 0));
        visited.Add(output);
        while (stack.Count > 0)
        {
            var (t, next) = stack.Pop();
            var inputs = t.Node!.Inputs;
            if (next < inputs.Length)
            {
                stack.Push((t, next + 1));
                var x = inputs[next];
                if (!x.RequiresGrad || !visited.Add(x)) continue;
                if (x.Node is null)
                {
                    if (targets is null || targets.Contains(x)) relevant.Add(x);
                }
                else stack.Push((x, 0));
                continue;
            }
            // All inputs done: t is relevant when it is a target or feeds into a relevant input.
            bool rel = targets is null || targets.Contains(t);
            if (!rel)
                foreach (var x in inputs)
                    if (relevant.Contains(x)) { rel = true; break; }
            if (rel) relevant.Add(t);
            order.Add(t);
        }
        return order;
    }
}
