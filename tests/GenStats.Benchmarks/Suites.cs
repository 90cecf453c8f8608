namespace GenStats.Benchmarks;

/// <summary>The benchmark suites by name; each later issue registers its suite here.</summary>
public static class Suites
{
    public static readonly IReadOnlyDictionary<string, Action> All = new Dictionary<string, Action>
    {
        ["stats"] = () => Console.WriteLine("(no stats benchmarks yet)"),
        ["engine"] = () => Console.WriteLine("(no engine benchmarks yet)"),
        ["models"] = () => Console.WriteLine("(no models benchmarks yet)"),
        ["physics"] = () => Console.WriteLine("(no physics benchmarks yet)"),
        // Multi-dimensional distances (branch statsnd); the lead folds these into "stats".
        ["stats-nd"] = StatsDistancesBench.Run,
    };
}
