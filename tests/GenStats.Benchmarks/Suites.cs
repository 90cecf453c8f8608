namespace GenStats.Benchmarks;

/// <summary>The benchmark suites by name; each later issue registers its suite here.</summary>
public static class Suites
{
    public static readonly IReadOnlyDictionary<string, Action> All = new Dictionary<string, Action>
    {
        ["stats"] = () => Console.WriteLine("(no stats benchmarks yet)"),
        ["engine"] = Engine.EngineSuite.Run,
        ["models"] = ModelsBench.Run,
        ["physics"] = () => Console.WriteLine("(no physics benchmarks yet)"),
        ["stats-prdc"] = StatsPrdcBench.Run,
    };
}
