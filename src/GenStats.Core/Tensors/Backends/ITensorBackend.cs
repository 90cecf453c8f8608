namespace GenStats.Tensors.Backends;

/// <summary>Element-wise functions y = f(x) a backend computes; <c>p0</c>/<c>p1</c> are the function's parameters.</summary>
public enum UnaryOp
{
    /// <summary>y = p0·x + p1.</summary>
    Affine,
    /// <summary>y = eˣ.</summary>
    Exp,
    /// <summary>y = ln x.</summary>
    Log,
    /// <summary>y = √x.</summary>
    Sqrt,
    /// <summary>y = x².</summary>
    Square,
    /// <summary>y = tanh x.</summary>
    Tanh,
    /// <summary>y = 1/(1+e⁻ˣ).</summary>
    Sigmoid,
    /// <summary>y = ln(1+eˣ), computed stably.</summary>
    Softplus,
    /// <summary>y = max(x, 0).</summary>
    Relu,
    /// <summary>y = x for x &gt; 0, p0·x otherwise.</summary>
    LeakyRelu,
    /// <summary>y = x for x &gt; 0, p0·(eˣ−1) otherwise.</summary>
    Elu,
    /// <summary>y = |x|.</summary>
    Abs,
    /// <summary>y = sign x (0 at 0).</summary>
    Sign,
    /// <summary>y = min(max(x, p0), p1).</summary>
    Clamp,
    /// <summary>y = x^p0.</summary>
    Pow,
    /// <summary>y = sin x.</summary>
    Sin,
    /// <summary>y = cos x.</summary>
    Cos,
    /// <summary>y = sinh x.</summary>
    Sinh,
    /// <summary>y = cosh x.</summary>
    Cosh,
    /// <summary>y = asinh x = ln(x + √(x²+1)).</summary>
    Asinh,
    /// <summary>y = erf x = (2/√π)∫₀ˣ e^(−t²) dt, to about 1e-7 absolute.</summary>
    Erf,
}

/// <summary>Element-wise binary operations with numpy broadcasting.</summary>
public enum BinaryOp
{
    /// <summary>a + b.</summary>
    Add,
    /// <summary>a − b.</summary>
    Subtract,
    /// <summary>a · b.</summary>
    Multiply,
    /// <summary>a / b.</summary>
    Divide,
    /// <summary>a / b where b ≠ 0, and 0 where b = 0 (used for gradients of norms at 0).</summary>
    SafeDivide,
    /// <summary>atan2(a, b): the angle of the point (x = b, y = a), in [−π, π] with C's signed-zero rules.</summary>
    Atan2,
    /// <summary>min(a, b); NaN if either is NaN.</summary>
    Minimum,
    /// <summary>max(a, b); NaN if either is NaN.</summary>
    Maximum,
}

/// <summary>
/// Piecewise-constant masks m(x) for <see cref="ITensorBackend.MaskMultiply"/>: r = g·m(x). They are the
/// derivatives of the piecewise-linear functions (ReLU, leaky ReLU, clamp, |x|).
/// </summary>
public enum MaskKind
{
    /// <summary>m = 1 for x &gt; 0, else 0.</summary>
    Positive,
    /// <summary>m = 1 for x ≤ 0, else 0.</summary>
    NonPositive,
    /// <summary>m = 1 for x &gt; 0, else p0.</summary>
    Leaky,
    /// <summary>m = 1 for p0 ≤ x ≤ p1, else 0.</summary>
    Between,
    /// <summary>m = sign x.</summary>
    Sign,
}

/// <summary>
/// The raw operations a compute backend provides, on flat row-major float32 buffers that the
/// backend itself allocates (in the manner of MathNet.Numerics' linear-algebra providers; a GPU
/// backend's buffers live in device memory). Autodiff, modules and optimizers sit above this
/// interface, so every model runs on every backend. Every buffer argument must come from this
/// backend's <see cref="Allocate"/>; index arrays (<c>int[]</c>) are host arrays that a device
/// backend uploads. Buffers are at least as long as their shapes say unless a length is passed.
/// Implementations must be deterministic: the same inputs and the same <see cref="MaxThreads"/>
/// give the same bytes.
/// </summary>
public interface ITensorBackend
{
    /// <summary>A short name, e.g. "managed".</summary>
    string Name { get; }

    /// <summary>The device whose memory the buffers live in.</summary>
    Device Device { get; }

    /// <summary>Number of threads a single operation may use (≥ 1).</summary>
    int MaxThreads { get; set; }

    /// <summary>A buffer of <paramref name="length"/> floats on this backend's device; its contents are unspecified.</summary>
    TensorBuffer Allocate(int length);

    /// <summary>
    /// Hands a buffer back to this backend's pool (a <see cref="TensorScope"/> calls it when it closes);
    /// the caller must not use it afterwards.
    /// </summary>
    void Release(TensorBuffer buffer);

    /// <summary>Copies host values into destination[destinationOffset ..] (an upload on a device backend).</summary>
    void CopyFromHost(ReadOnlySpan<float> source, TensorBuffer destination, int destinationOffset);

    /// <summary>Copies source[sourceOffset .. sourceOffset + destination.Length) to host memory (a download on a device backend).</summary>
    void CopyToHost(TensorBuffer source, int sourceOffset, Span<float> destination);

    /// <summary>destination[destinationOffset + i] = source[sourceOffset + i] for i &lt; length, on the device.</summary>
    void Copy(TensorBuffer source, int sourceOffset, TensorBuffer destination, int destinationOffset, int length);

    /// <summary>
    /// Row-major SGEMM: C = α·op(A)·op(B) + β·C with op(A) m×k, op(B) k×n, C m×n; op transposes when
    /// the flag is set. Leading dimensions are row strides of the stored (untransposed) matrices.
    /// β = 0 overwrites C (NaN in C is not propagated).
    /// </summary>
    void Gemm(bool transA, bool transB, int m, int n, int k, float alpha,
              TensorBuffer a, int aOffset, int lda, TensorBuffer b, int bOffset, int ldb,
              float beta, TensorBuffer c, int cOffset, int ldc);

    /// <summary>
    /// The fused forward pass of a fully connected layer: y = act(x·W + b) with x [batch, fin],
    /// W [fin, fout], b [fout] or null, and act = ReLU when <paramref name="relu"/> is set, else identity.
    /// </summary>
    void Linear(TensorBuffer x, TensorBuffer w, TensorBuffer? bias, TensorBuffer y, int batch, int fin, int fout, bool relu);

    /// <summary>y[i] = f(x[i]) for i &lt; n (x and y may be the same buffer).</summary>
    void Unary(UnaryOp op, TensorBuffer x, TensorBuffer y, int n, float p0 = 0, float p1 = 0);

    /// <summary>r[i] = g[i]·m(x[i]) for i &lt; n.</summary>
    void MaskMultiply(MaskKind kind, TensorBuffer g, TensorBuffer x, TensorBuffer r, int n, float p0 = 0, float p1 = 0);

    /// <summary>y = a ⊙ b with numpy broadcasting of <paramref name="aShape"/> and <paramref name="bShape"/> to <paramref name="yShape"/>.</summary>
    void Binary(BinaryOp op, TensorBuffer a, Shape aShape, TensorBuffer b, Shape bShape, TensorBuffer y, Shape yShape);

    /// <summary>Copies x into y, broadcasting <paramref name="xShape"/> to <paramref name="yShape"/>.</summary>
    void Expand(TensorBuffer x, Shape xShape, TensorBuffer y, Shape yShape);

    /// <summary>Sums the middle axis of x viewed as [outer, length, inner] into y [outer, inner].</summary>
    void SumAxis(TensorBuffer x, int outer, int length, int inner, TensorBuffer y);

    /// <summary>Max over the middle axis of x viewed as [outer, length, inner] into y [outer, inner].</summary>
    void MaxAxis(TensorBuffer x, int outer, int length, int inner, TensorBuffer y);

    /// <summary>Inclusive cumulative sum along the middle axis of x viewed as [outer, length, inner]; from the end when <paramref name="reverse"/> is set.</summary>
    void CumSumAxis(TensorBuffer x, int outer, int length, int inner, TensorBuffer y, bool reverse);

    /// <summary>
    /// y[o, j, i] = x[o, index[·], i] for x viewed as [outer, length, inner] and y as [outer, count, inner].
    /// <paramref name="index"/> holds either <paramref name="count"/> entries shared by every (o, i)
    /// (numpy.take) or outer·count·inner entries, one per element of y (numpy.take_along_axis); every
    /// entry lies in 0..length−1 (callers check).
    /// </summary>
    void GatherAxis(TensorBuffer x, int outer, int length, int inner, int[] index, int count, TensorBuffer y);

    /// <summary>
    /// The adjoint of <see cref="GatherAxis"/>: y[o, index[·], i] += g[o, j, i] for g viewed as
    /// [outer, count, inner] and y as [outer, length, inner] (repeated indices accumulate).
    /// </summary>
    void ScatterAddAxis(TensorBuffer g, int outer, int length, int inner, int[] index, int count, TensorBuffer y);

    /// <summary>y[i] = a[i] where mask[i] ≠ 0 (NaN counts as true), else b[i], for i &lt; n.</summary>
    void Select(TensorBuffer mask, TensorBuffer a, TensorBuffer b, TensorBuffer y, int n);

    /// <summary>
    /// For each of <paramref name="rows"/> ascending rows of <paramref name="sorted"/> (length
    /// <paramref name="sortedLength"/>) and the matching <paramref name="valuesPerRow"/> values,
    /// y = the first index i with sorted[i] ≥ v (<paramref name="right"/> = false) or &gt; v (true),
    /// or sortedLength if none (torch.searchsorted; a NaN value gives sortedLength).
    /// </summary>
    void SearchSorted(TensorBuffer sorted, int rows, int sortedLength, TensorBuffer values, int valuesPerRow, bool right, TensorBuffer y);

    /// <summary>Copies a rows×cols block: dst[dstOffset + r·dstStride + c] = src[srcOffset + r·srcStride + c].</summary>
    void CopyBlock(TensorBuffer src, int srcOffset, int srcStride, TensorBuffer dst, int dstOffset, int dstStride, int rows, int cols);

    /// <summary>Sets y[0..n) to a constant.</summary>
    void Fill(TensorBuffer y, int n, float value);

    /// <summary>Fills y[0..n) with N(mean, std²) draws of the counter-based generator (key, counter 0…).</summary>
    void FillNormal(TensorBuffer y, int n, ulong key, float mean, float std);

    /// <summary>Fills y[0..n) with U[lo, hi) draws of the counter-based generator (key, counter 0…).</summary>
    void FillUniform(TensorBuffer y, int n, ulong key, float lo, float hi);

    /// <summary>Σ x[i]² over i &lt; n, accumulated in float64.</summary>
    double SumOfSquares(TensorBuffer x, int n);

    /// <summary>y[i] += α·x[i] for i &lt; n.</summary>
    void Axpy(float alpha, TensorBuffer x, TensorBuffer y, int n);

    /// <summary>
    /// 2-D convolution (cross-correlation, as PyTorch's conv2d with dilation 1, groups 1) in NCHW:
    /// y [N, O, OH, OW] = Σ_{c,ki,kj} w[o, c, ki, kj]·x[n, c, oh·s − p + ki, ow·s − p + kj] + bias[o]
    /// (zero outside the input). <paramref name="bias"/> may be null.
    /// </summary>
    void Conv2d(TensorBuffer x, TensorBuffer weight, TensorBuffer? bias, TensorBuffer y, ConvGeometry geometry);

    /// <summary>
    /// The adjoint of <see cref="Conv2d"/> in its input (the input gradient; equivalently PyTorch's
    /// conv_transpose2d of <paramref name="gradOutput"/> with the same weight): gradInput [N, C, H, W]
    /// from gradOutput [N, O, OH, OW]; gradInput is overwritten.
    /// </summary>
    void Conv2dBackwardData(TensorBuffer gradOutput, TensorBuffer weight, TensorBuffer gradInput, ConvGeometry geometry);

    /// <summary>
    /// The adjoint of <see cref="Conv2d"/> in its weight (the weight gradient): gradWeight [O, C, kh, kw]
    /// = Σ over batch and output pixels of gradOutput ⊗ the input patch; gradWeight is overwritten.
    /// </summary>
    void Conv2dBackwardWeight(TensorBuffer x, TensorBuffer gradOutput, TensorBuffer gradWeight, ConvGeometry geometry);

    /// <summary>y [planes, 2h, 2w] = 2× upsampling of x [planes, h, w] (see <see cref="UpsampleMode"/>).</summary>
    void Upsample2x(UpsampleMode mode, TensorBuffer x, TensorBuffer y, int planes, int height, int width);

    /// <summary>The adjoint of <see cref="Upsample2x"/>: gradInput [planes, h, w] (overwritten) from gradOutput [planes, 2h, 2w].</summary>
    void Upsample2xAdjoint(UpsampleMode mode, TensorBuffer gradOutput, TensorBuffer gradInput, int planes, int height, int width);

    /// <summary>
    /// Zero pad and crop of the last two axes: y[p, i, j] = x[p, i − top, j − left] where that lies
    /// inside x [planes, height, width], else 0, for y [planes, outHeight, outWidth]. Negative offsets
    /// crop; its adjoint is the same operation with (−top, −left) and the sizes swapped.
    /// </summary>
    void PadCrop2d(TensorBuffer x, int planes, int height, int width, TensorBuffer y, int outHeight, int outWidth, int top, int left);

    /// <summary>
    /// One fused optimizer update of a parameter buffer w with gradient g (PyTorch conventions);
    /// see <see cref="OptimizerUpdate"/>. State buffers are as long as w and start at zero.
    /// </summary>
    void OptimizerStep(OptimizerUpdate update, TensorBuffer w, TensorBuffer g, TensorBuffer? state1, TensorBuffer? state2, int n);
}

/// <summary>Which optimizer rule <see cref="ITensorBackend.OptimizerStep"/> applies, with its hyper-parameters.</summary>
/// <param name="Kind">"sgd", "adam", "adamw" or "rmsprop".</param>
/// <param name="LearningRate">Step size.</param>
/// <param name="Beta1">Momentum (SGD, RMSProp) or β₁ (Adam).</param>
/// <param name="Beta2">β₂ (Adam) or smoothing constant α (RMSProp).</param>
/// <param name="Epsilon">Denominator guard (Adam, RMSProp).</param>
/// <param name="WeightDecay">L2 penalty added to the gradient (decoupled for "adamw").</param>
/// <param name="Step">1-based step count (Adam bias correction).</param>
/// <param name="Nesterov">Nesterov momentum (SGD).</param>
public readonly record struct OptimizerUpdate(
    string Kind, float LearningRate, float Beta1, float Beta2, float Epsilon, float WeightDecay, long Step, bool Nesterov);
