using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace GenStats.Tensors.Cuda.Kernels;

/// <summary>The hyper-parameters of one fused optimizer step as a kernel argument (no strings on the device).</summary>
internal struct OptimizerArgs
{
    /// <summary>0 sgd, 1 adam, 2 adamw, 3 rmsprop.</summary>
    public int Kind;
    public float LearningRate, Beta1, Beta2, Epsilon, WeightDecay;
    /// <summary>Adam: lr/(1 − β₁ᵗ) and √(1 − β₂ᵗ), computed once on the host as the managed rule does.</summary>
    public float AdamStep, AdamSqrtC2;
    public int Nesterov;
}

/// <summary>The managed backend's OptimizerRules (PyTorch's definitions), one thread per parameter.</summary>
internal static class OptimizerKernels
{
    public static void Step(Index1D i, ArrayView1D<float, Stride1D.Dense> w, ArrayView1D<float, Stride1D.Dense> g,
                            ArrayView1D<float, Stride1D.Dense> s1, ArrayView1D<float, Stride1D.Dense> s2, OptimizerArgs u)
    {
        float lr = u.LearningRate, wd = u.WeightDecay;
        float wi = w[i];
        if (u.Kind == 0)
        {
            float d = g[i] + wd * wi;
            if (u.Beta1 != 0)
            {
                float buf = u.Beta1 * s1[i] + d;
                s1[i] = buf;
                d = u.Nesterov != 0 ? d + u.Beta1 * buf : buf;
            }
            w[i] = wi - lr * d;
        }
        else if (u.Kind == 1 || u.Kind == 2)
        {
            float d = g[i];
            if (u.Kind == 2) wi *= 1 - lr * wd;
            else d += wd * wi;
            float m = u.Beta1 * s1[i] + (1 - u.Beta1) * d;
            float v = u.Beta2 * s2[i] + (1 - u.Beta2) * d * d;
            s1[i] = m;
            s2[i] = v;
            w[i] = wi - u.AdamStep * m / (XMath.Sqrt(v) / u.AdamSqrtC2 + u.Epsilon);
        }
        else
        {
            float d = g[i] + wd * wi;
            float v = u.Beta2 * s1[i] + (1 - u.Beta2) * d * d;
            s1[i] = v;
            float step = d / (XMath.Sqrt(v) + u.Epsilon);
            if (u.Beta1 != 0)
            {
                step = u.Beta1 * s2[i] + step;
                s2[i] = step;
            }
            w[i] = wi - lr * step;
        }
    }
}
