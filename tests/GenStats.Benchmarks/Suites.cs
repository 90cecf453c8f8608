namespace GenStats.Benchmarks;

/// <summary>The benchmark suites by name; each later issue registers its suite here.</summary>
public static class Suites
{
    public static readonly IReadOnlyDictionary<string, Action> All = new Dictionary<string, Action>
    {
        ["stats"] = StatsSuite.Run,
        ["engine"] = Engine.EngineSuite.Run,
        ["models"] = ModelsBench.Run,
        ["physics"] = PhysicsBench.Run,
        ["stats-prdc"] = StatsPrdcBench.Run,
    };
}
