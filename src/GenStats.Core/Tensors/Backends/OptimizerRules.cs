namespace GenStats.Tensors.Backends;

/// <summary>The per-element optimizer rules, written once for every CPU path (PyTorch's definitions).</summary>
internal static class OptimizerRules
{
    public static void Apply(OptimizerUpdate u, Span<float> w, ReadOnlySpan<float> g, Span<float> s1, Span<float> s2)
    {
        float lr = u.LearningRate, wd = u.WeightDecay;
        switch (u.Kind)
        {
            case "sgd":
                // s1: momentum buffer (may be empty when momentum is 0).
                for (int i = 0; i < w.Length; i++)
                {
                    float d = g[i] + wd * w[i];
                    if (u.Beta1 != 0)
                    {
                        float buf = s1[i] = u.Beta1 * s1[i] + d;
                        d = u.Nesterov ? d + u.Beta1 * buf : buf;
                    }
                    w[i] -= lr * d;
                }
                break;
            case "adam":
            case "adamw":
                {
                    bool decoupled = u.Kind == "adamw";
                    float b1 = u.Beta1, b2 = u.Beta2;
                    float c1 = 1 - MathF.Pow(b1, u.Step), c2 = 1 - MathF.Pow(b2, u.Step);
                    float step = lr / c1, sqrtC2 = MathF.Sqrt(c2);
                    for (int i = 0; i < w.Length; i++)
                    {
                        float d = g[i];
                        if (decoupled) w[i] *= 1 - lr * wd;
                        else d += wd * w[i];
                        float m = s1[i] = b1 * s1[i] + (1 - b1) * d;
                        float v = s2[i] = b2 * s2[i] + (1 - b2) * d * d;
                        w[i] -= step * m / (MathF.Sqrt(v) / sqrtC2 + u.Epsilon);
                    }
                    break;
                }
            case "rmsprop":
                {
                    // s1: running mean of squares; s2: momentum buffer (empty when momentum is 0).
                    float alpha = u.Beta2, mom = u.Beta1;
                    for (int i = 0; i < w.Length; i++)
                    {
                        float d = g[i] + wd * w[i];
                        float v = s1[i] = alpha * s1[i] + (1 - alpha) * d * d;
                        float step = d / (MathF.Sqrt(v) + u.Epsilon);
                        if (mom != 0) step = s2[i] = mom * s2[i] + step;
                        w[i] -= lr * step;
                    }
                    break;
                }
            default:
                throw new ArgumentException($"unknown optimizer kind '{u.Kind}'; allowed: sgd, adam, adamw, rmsprop.", nameof(u));
        }
    }
}
