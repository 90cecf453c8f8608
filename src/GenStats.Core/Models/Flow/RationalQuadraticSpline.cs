using System.Globalization;
using GenStats.Tensors;
using GenStats.Tensors.Backends;

namespace GenStats.Models;

/// <summary>
/// The shape of a monotone rational-quadratic spline (Durkan et al. 2019, arXiv:1906.04032), in
/// the convention of nflows' <c>unconstrained_rational_quadratic_spline</c> with linear tails.
/// </summary>
/// <param name="Bins">K, the number of bins on [−B, B] (≥ 2).</param>
/// <param name="Bound">B, the tail bound: the spline maps [−B, B] onto itself and is the identity outside.</param>
/// <param name="MinBinWidth">Smallest bin width as a fraction of 2B (nflows' min_bin_width, 1e−3); K·MinBinWidth &lt; 1.</param>
/// <param name="MinBinHeight">Smallest bin height as a fraction of 2B (nflows' min_bin_height, 1e−3); K·MinBinHeight &lt; 1.</param>
/// <param name="MinDerivative">Smallest knot derivative (nflows' min_derivative, 1e−3).</param>
public sealed record SplineShape(int Bins = 8, float Bound = 3f, float MinBinWidth = 1e-3f, float MinBinHeight = 1e-3f, float MinDerivative = 1e-3f)
{
    /// <summary>Unconstrained parameters per transformed value: K widths, K heights, K − 1 interior derivatives.</summary>
    public int ParameterCount => 3 * Bins - 1;

    /// <summary>The unconstrained derivative d with softplus(d) + MinDerivative = 1: a spline whose parameters are all 0 except these is the identity.</summary>
    public float IdentityDerivative => (float)Math.Log(Math.Exp(1 - MinDerivative) - 1);

    /// <summary>Checks the ranges.</summary>
    /// <exception cref="ArgumentException">A value out of its range (named).</exception>
    public void Check()
    {
        if (Bins < 2) throw new ArgumentException($"Bins is {Bins}; at least 2 bins are required.", nameof(Bins));
        if (!(Bound > 0) || !float.IsFinite(Bound)) throw new ArgumentException($"Bound is {Bound}; a positive finite tail bound is required.", nameof(Bound));
        if (!(MinBinWidth > 0 && MinBinWidth * Bins < 1))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"MinBinWidth is {MinBinWidth}; (0, 1/Bins) is allowed."), nameof(MinBinWidth));
        if (!(MinBinHeight > 0 && MinBinHeight * Bins < 1))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"MinBinHeight is {MinBinHeight}; (0, 1/Bins) is allowed."), nameof(MinBinHeight));
        if (!(MinDerivative > 0 && MinDerivative < 1))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"MinDerivative is {MinDerivative}; (0, 1) is allowed."), nameof(MinDerivative));
    }
}

/// <summary>The result of a spline transform: the transformed values and log|derivative| per element, both [N, d].</summary>
/// <param name="Output">Transformed values.</param>
/// <param name="LogAbsDet">log|∂output/∂input| per element (0 in the identity tails).</param>
public sealed record SplineOutput(Tensor Output, Tensor LogAbsDet);

/// <summary>
/// The monotone rational-quadratic spline of neural spline flows (Durkan et al. 2019), written with
/// differentiable tensor operations, in the nflows convention: per transformed value, K unconstrained
/// widths and K heights go through a softmax with a floor (min_bin_width/height), K − 1 interior
/// derivatives through softplus + min_derivative, the boundary derivatives are 1, so the spline joins
/// identity tails outside [−B, B]. Values x [N, d] are transformed element-wise with parameters
/// [N, d·(3K − 1)], the block of value j at columns j·(3K − 1) …, ordered widths, heights, derivatives
/// (as nflows' coupling transform lays them out). Forward and inverse return log|dy/dx| (inverse:
/// log|dx/dy|) per element, [N, d]; the inverse solves the bin's quadratic in closed form with the
/// numerically stable root 2c/(−b − √(b² − 4ac)). When no gradient is recorded (no input requires
/// one, or inside <see cref="Autograd.NoGrad"/>) the managed backend evaluates the same formulas in
/// one fused, block-parallel pass (sampling and density evaluation), bit-identical for any thread count.
/// </summary>
public static class RationalQuadraticSpline
{
    /// <summary>y = s(x) and log|s′(x)| (0 in the identity tails).</summary>
    /// <exception cref="ArgumentException">Shapes that do not fit (named), or a bad <paramref name="shape"/>.</exception>
    public static SplineOutput Forward(Tensor x, Tensor parameters, SplineShape shape) => Apply(x, parameters, shape, inverse: false);

    /// <summary>x = s⁻¹(y) and log|(s⁻¹)′(y)| = −log|s′(x)| (0 in the identity tails).</summary>
    /// <exception cref="ArgumentException">Shapes that do not fit (named), or a bad <paramref name="shape"/>.</exception>
    public static SplineOutput Inverse(Tensor y, Tensor parameters, SplineShape shape) => Apply(y, parameters, shape, inverse: true);

    private static SplineOutput Apply(Tensor input, Tensor parameters, SplineShape shape, bool inverse)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(shape);
        shape.Check();
        if (input.Rank != 2) throw new ArgumentException($"the input has shape {input.Shape}; a matrix [N, d] is required.", nameof(input));
        int n = input.Shape[0], d = input.Shape[1], p = shape.ParameterCount, k = shape.Bins;
        if (parameters.Rank != 2 || parameters.Shape[0] != n || parameters.Shape[1] != d * p)
            throw new ArgumentException($"parameters has shape {parameters.Shape}; [{n}, {d * p}] (d·(3K − 1) with K = {k}) is required for an input of shape {input.Shape}.", nameof(parameters));
        int m = n * d;
        // Without a gradient to record, the fused kernel gives the same values in one pass (managed backend).
        if (!(Autograd.IsGradEnabled && (input.RequiresGrad || parameters.RequiresGrad)) && input.Backend is GenStats.Tensors.Backends.ManagedBackend && parameters.Backend is GenStats.Tensors.Backends.ManagedBackend
            && TensorBackend.Current is GenStats.Tensors.Backends.ManagedBackend)
        {
            var fusedOutput = Tensor.Allocate(input.Shape);
            var fusedLogDet = Tensor.Allocate(input.Shape);
            SplineKernel.Apply(input.Data, parameters.Data, m, shape, inverse, fusedOutput.Data, fusedLogDet.Data, TensorBackend.MaxThreads);
            return new SplineOutput(fusedOutput, fusedLogDet);
        }
        float bound = shape.Bound;
        var v = Ops.Reshape(input, m, 1);
        var par = Ops.Reshape(parameters, m, p);

        var (cumW, widths) = Knots(Ops.SliceColumns(par, 0, k), shape.MinBinWidth, k, bound, m);
        var (cumH, heights) = Knots(Ops.SliceColumns(par, k, k), shape.MinBinHeight, k, bound, m);
        var one = Tensor.Ones(m, 1);
        var derivs = Ops.Concat([one, Ops.Affine(Ops.Softplus(Ops.SliceColumns(par, 2 * k, k - 1)), 1, shape.MinDerivative), one], 1);

        // Inside [−B, B] the spline, outside the identity; the spline branch sees a clamped copy so it stays finite.
        var inside = InsideMask(v, bound);
        var clamped = Ops.Clamp(v, -bound, bound);
        // Bin k holds edge_k ≤ v < edge_{k+1} (nflows: Σ[v ≥ edges] − 1), the last bin its right edge too.
        var edges = inverse ? cumH : cumW;
        var bin = Ops.Clamp(Ops.Affine(Ops.SearchSorted(Ops.Detach(edges), Ops.Detach(clamped), right: true), 1, -1), 0, k - 1);
        var cw = Ops.TakeAlongAxis(cumW, bin, 1);
        var w = Ops.TakeAlongAxis(widths, bin, 1);
        var ch = Ops.TakeAlongAxis(cumH, bin, 1);
        var h = Ops.TakeAlongAxis(heights, bin, 1);
        var d0 = Ops.TakeAlongAxis(derivs, bin, 1);
        var d1 = Ops.TakeAlongAxis(derivs, Ops.Affine(bin, 1, 1), 1);
        var delta = Ops.Div(h, w);
        var slopeSum = Ops.Sub(Ops.Add(d0, d1), Ops.Affine(delta, 2, 0));

        Tensor theta, result;
        if (!inverse)
        {
            theta = Ops.Div(Ops.Sub(clamped, cw), w);
            var tt = Ops.Mul(theta, Ops.Affine(theta, -1, 1));
            var num = Ops.Mul(h, Ops.Add(Ops.Mul(delta, Ops.Square(theta)), Ops.Mul(d0, tt)));
            var den = Ops.Add(delta, Ops.Mul(slopeSum, tt));
            result = Ops.Add(ch, Ops.Div(num, den));
        }
        else
        {
            // Solve y − ch = h(δθ² + d0·θ(1−θ)) / (δ + s·θ(1−θ)) for θ ∈ [0, 1]: aθ² + bθ + c = 0.
            var r = Ops.Sub(clamped, ch);
            var rs = Ops.Mul(r, slopeSum);
            var a = Ops.Add(Ops.Mul(h, Ops.Sub(delta, d0)), rs);
            var b = Ops.Sub(Ops.Mul(h, d0), rs);
            var c = Ops.Neg(Ops.Mul(delta, r));
            var disc = Ops.Clamp(Ops.Sub(Ops.Square(b), Ops.Affine(Ops.Mul(a, c), 4, 0)), 0, float.PositiveInfinity);
            theta = Ops.Div(Ops.Affine(c, 2, 0), Ops.Sub(Ops.Neg(b), Ops.Sqrt(disc)));
            result = Ops.Add(Ops.Mul(theta, w), cw);
        }
        // log s′ = log[δ²(d1θ² + 2δθ(1−θ) + d0(1−θ)²)] − 2 log[δ + s·θ(1−θ)]
        var t1 = Ops.Mul(theta, Ops.Affine(theta, -1, 1));
        var dnum = Ops.Mul(Ops.Square(delta), Ops.Add(Ops.Add(Ops.Mul(d1, Ops.Square(theta)), Ops.Mul(Ops.Affine(delta, 2, 0), t1)), Ops.Mul(d0, Ops.Square(Ops.Affine(theta, -1, 1)))));
        var logDet = Ops.Sub(Ops.Log(dnum), Ops.Affine(Ops.Log(Ops.Add(delta, Ops.Mul(slopeSum, t1))), 2, 0));
        if (inverse) logDet = Ops.Neg(logDet);
        var output = Ops.Where(inside, result, v);
        var lad = Ops.Where(inside, logDet, Tensor.Zeros(m, 1));
        return new SplineOutput(Ops.Reshape(output, n, d), Ops.Reshape(lad, n, d));
    }

    /// <summary>Knot positions [M, K + 1] (exactly −B and B at the ends) and bin sizes [M, K] from unconstrained sizes [M, K].</summary>
    private static (Tensor Cum, Tensor Sizes) Knots(Tensor unconstrained, float minimum, int k, float bound, int m)
    {
        var frac = Ops.Affine(Ops.Softmax(unconstrained, 1), 1 - minimum * k, minimum);
        var inner = Ops.Cumsum(Ops.SliceColumns(frac, 0, k - 1), 1);
        var cum = Ops.Affine(Ops.Concat([Tensor.Zeros(m, 1), inner, Tensor.Ones(m, 1)], 1), 2 * bound, -bound);
        return (cum, Ops.Sub(Ops.SliceColumns(cum, 1, k), Ops.SliceColumns(cum, 0, k)));
    }

    /// <summary>1 where −B ≤ v ≤ B, else 0 (a constant mask).</summary>
    private static Tensor InsideMask(Tensor v, float bound)
    {
        using var ng = Autograd.NoGrad();
        return Ops.MaskMul(Tensor.Ones(v.Shape), Ops.Detach(v), MaskKind.Between, -bound, bound);
    }
}
