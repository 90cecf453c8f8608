using GenStats.Data;

namespace GenStats.Models;

/// <summary>
/// What an exported <see cref="ConditionalFlowMatching"/> computes: raw conditions → T_y; x(0) = noise
/// (N(0, I)) integrated to t = 1 with the model's fixed-step solver (<see cref="OdeSolver"/>, float64
/// state), each evaluation the velocity network on [x, time features of t, T_y(y)]; then T_x⁻¹.
/// </summary>
internal sealed record CfmSpec(string ModelType, string[] FeatureNames, string[] ConditionNames,
    ColumnTransformState[] FeatureColumns, ColumnTransformState[] ConditionColumns, int Dx, int Dy, DenseLayer[] Layers,
    int TimeFrequencies, OdeMethod Solver, int Steps)
    : ExportSpec(ModelType, FeatureNames, ConditionNames, FeatureColumns, ConditionColumns)
{
    /// <inheritdoc />
    public override int NoiseWidth => Dx;

    /// <inheritdoc />
    public override string NoiseDoc => $"x(0) ~ N(0, I), {Dx} independent standard normal values per event (the ODE's start; {Solver}, {Steps} steps)";

    /// <summary>The time features of the network's input at t (<see cref="OptimalTransportPath.TimeFeatures"/>).</summary>
    public float[] TimeFeatures(double t)
    {
        var f = new float[1 + 2 * TimeFrequencies];
        OptimalTransportPath.TimeFeatures(t, TimeFrequencies, f);
        return f;
    }

    /// <summary>The evaluation times of step s (t = s·h; midpoint adds t + h/2, RK4 t + h/2 twice and t + h), as <see cref="OdeSolver.Integrate"/> computes them.</summary>
    public double StepSize => 1.0 / Steps;

    public static CfmSpec Of(ConditionalFlowMatching m) =>
        new(m.ModelType, [.. m.FeatureNames], [.. m.ConditionNames], m.FeatureTransform.States, m.ConditionTransform?.States ?? [],
            m.Dx, m.Dy, DenseLayer.Of(m.Velocity), m.Options.TimeFrequencies, m.Options.Solver, m.Options.OdeSteps);
}
