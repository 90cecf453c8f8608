namespace GenStats.Stats.PrecisionRecall;

/// <summary>Precision, recall, density and coverage of one comparison, each with its uncertainty.</summary>
/// <param name="Precision">Fraction of generated events inside the real k-NN manifold (fidelity).</param>
/// <param name="Recall">Fraction of real events inside the generated k-NN manifold (diversity).</param>
/// <param name="Density">Mean number of real balls containing a generated event, divided by k (≈ 1 when the distributions agree; may exceed 1).</param>
/// <param name="Coverage">Fraction of real events whose ball contains at least one generated event.</param>
/// <param name="K">The neighbour rank used.</param>
public sealed record PrdcResult(
    TwoSampleResult Precision,
    TwoSampleResult Recall,
    TwoSampleResult Density,
    TwoSampleResult Coverage,
    int K);
