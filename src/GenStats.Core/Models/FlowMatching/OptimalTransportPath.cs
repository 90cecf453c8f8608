namespace GenStats.Models;

/// <summary>
/// The conditional optimal-transport probability path of flow matching (Lipman et al. 2022,
/// arXiv:2210.02747, eqs. 20–23): from a noise point x0 ~ N(0, I) at t = 0 to a data point x1 at
/// t = 1, x_t = (1 − (1 − σ_min)t)·x0 + t·x1, a straight line whose velocity
/// u = dx_t/dt = x1 − (1 − σ_min)·x0 does not depend on t. Regressing a network on u at random
/// (t, x0, x1) learns the marginal velocity field that carries N(0, I) to the data (to within
/// N(0, σ_min²) smearing at t = 1).
/// </summary>
public static class OptimalTransportPath
{
    /// <summary>x_t = (1 − (1 − σ_min)t)·x0 + t·x1.</summary>
    public static double Point(double x0, double x1, double t, double sigmaMin) => (1 - (1 - sigmaMin) * t) * x0 + t * x1;

    /// <summary>The target velocity u = x1 − (1 − σ_min)·x0 (= dx_t/dt of <see cref="Point"/>).</summary>
    public static double Velocity(double x0, double x1, double sigmaMin) => x1 - (1 - sigmaMin) * x0;

    /// <summary>
    /// The network's time input at t: t, then sin(2πkt) and cos(2πkt) for k = 1 … frequencies,
    /// written to <paramref name="destination"/> (length 1 + 2·frequencies).
    /// </summary>
    public static void TimeFeatures(double t, int frequencies, Span<float> destination)
    {
        destination[0] = (float)t;
        for (int k = 1; k <= frequencies; k++)
        {
            double a = 2 * Math.PI * k * t;
            destination[2 * k - 1] = (float)Math.Sin(a);
            destination[2 * k] = (float)Math.Cos(a);
        }
    }
}
