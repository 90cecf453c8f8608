namespace GenStats.Models;

/// <summary>Fixed-step explicit Runge–Kutta methods of <see cref="OdeSolver"/>.</summary>
public enum OdeMethod
{
    /// <summary>Forward Euler: x ← x + h·v(t, x). Global error O(h).</summary>
    Euler,
    /// <summary>Explicit midpoint: x ← x + h·v(t + h/2, x + h/2·v(t, x)). Global error O(h²), 2 evaluations per step.</summary>
    Midpoint,
    /// <summary>The classical fourth-order Runge–Kutta method. Global error O(h⁴), 4 evaluations per step.</summary>
    Rk4,
}

/// <summary>
/// A velocity field v(t, x) evaluated on a flat state: writes v into <paramref name="velocity"/>
/// (same length as <paramref name="state"/>; a batch of rows is one flat array). Must not keep or
/// modify <paramref name="state"/>.
/// </summary>
public delegate void VelocityField(double time, double[] state, double[] velocity);

/// <summary>
/// Fixed-step ODE integration of dx/dt = v(t, x) from t0 to t1 (the torchdiffeq "euler",
/// "midpoint" and "rk4" fixed-grid methods; float64 state). Flow-matching sampling integrates the
/// learned velocity from t = 0 (noise) to t = 1 (data).
/// </summary>
public static class OdeSolver
{
    /// <summary>Velocity evaluations per step of a method (1, 2, 4).</summary>
    public static int EvaluationsPerStep(OdeMethod method) => method switch
    {
        OdeMethod.Euler => 1,
        OdeMethod.Midpoint => 2,
        OdeMethod.Rk4 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Euler, Midpoint or Rk4 is allowed."),
    };

    /// <summary>
    /// x(t1) from x(t0) = <paramref name="initial"/> with <paramref name="steps"/> equal steps of
    /// h = (t1 − t0)/steps (a new array; <paramref name="initial"/> is not modified).
    /// </summary>
    /// <exception cref="ArgumentException">steps &lt; 1, an unknown method, or non-finite times.</exception>
    public static double[] Integrate(VelocityField field, double[] initial, OdeMethod method, int steps, double t0 = 0, double t1 = 1)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(initial);
        if (steps < 1) throw new ArgumentException($"steps is {steps}; at least 1 is required.", nameof(steps));
        if (!double.IsFinite(t0) || !double.IsFinite(t1)) throw new ArgumentException($"the time interval [{t0}, {t1}] must be finite.", nameof(t0));
        EvaluationsPerStep(method);
        int n = initial.Length;
        var x = (double[])initial.Clone();
        double[] k1 = new double[n], k2 = new double[n], tmp = new double[n];
        double[]? k3 = method == OdeMethod.Rk4 ? new double[n] : null, k4 = method == OdeMethod.Rk4 ? new double[n] : null;
        double h = (t1 - t0) / steps;
        for (int s = 0; s < steps; s++)
        {
            double t = t0 + s * h; // from the index, so no drift accumulates in t
            field(t, x, k1);
            switch (method)
            {
                case OdeMethod.Euler:
                    for (int i = 0; i < n; i++) x[i] += h * k1[i];
                    break;
                case OdeMethod.Midpoint:
                    for (int i = 0; i < n; i++) tmp[i] = x[i] + 0.5 * h * k1[i];
                    field(t + 0.5 * h, tmp, k2);
                    for (int i = 0; i < n; i++) x[i] += h * k2[i];
                    break;
                default:
                    for (int i = 0; i < n; i++) tmp[i] = x[i] + 0.5 * h * k1[i];
                    field(t + 0.5 * h, tmp, k2);
                    for (int i = 0; i < n; i++) tmp[i] = x[i] + 0.5 * h * k2[i];
                    field(t + 0.5 * h, tmp, k3!);
                    for (int i = 0; i < n; i++) tmp[i] = x[i] + h * k3![i];
                    field(t + h, tmp, k4!);
                    for (int i = 0; i < n; i++) x[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3![i] + k4![i]);
                    break;
            }
        }
        return x;
    }
}
