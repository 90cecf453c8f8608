namespace GenStats.Benchmarks;

/// <summary>The benchmark suites by name; each later issue registers its suite here.</summary>
public static class Suites
{
    public static readonly IReadOnlyDictionary<string, Action> All = new Dictionary<string, Action>
    {
        // The "stats" suite: 1-D metrics, multi-dimensional distances and prdc, each also on its own.
        ["stats"] = () => { StatsSuite.Run(); StatsDistancesBench.Run(); StatsPrdcBench.Run(); },
        ["stats-1d"] = StatsSuite.Run,
        ["stats-nd"] = StatsDistancesBench.Run,
        ["stats-prdc"] = StatsPrdcBench.Run,
        ["engine"] = Engine.EngineSuite.Run,
        ["models"] = ModelsBench.Run,
        ["physics"] = PhysicsBench.Run,
        ["compare-scale"] = CompareScaleBench.Run,
        // CUDA backend vs PyTorch CUDA; one line and nothing else without a GPU.
        ["gpu"] = Engine.GpuSuite.Run,
    };
}
