using BenchmarkDotNet.Running;

namespace GenStats.Benchmarks;

/// <summary>
/// Entry point of the benchmark suites. `scripts/bench.sh SUITE…` runs the named suites
/// (stats, engine, models, physics); each suite prints absolute figures and then
/// `ratio: NAME VALUE` lines (GenStats speed ÷ reference speed).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var suites = Suites.All;
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.WriteLine($"usage: GenStats.Benchmarks SUITE... (suites: {string.Join(", ", suites.Keys)}) | --bdn BENCHMARKDOTNET-ARGS");
            return args.Length == 0 ? 2 : 0;
        }
        if (args[0] == Engine.GpuSuite.ProbeFlag) return Engine.GpuSuite.Probe();
        if (args[0] == CompareScaleBench.ChildFlag) return CompareScaleBench.Child(args[1..]);
        if (args[0] == "--bdn")
        {
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args[1..]);
            return 0;
        }
        foreach (var name in args)
        {
            if (!suites.TryGetValue(name, out var run))
            {
                Console.Error.WriteLine($"unknown suite '{name}'; known suites: {string.Join(", ", suites.Keys)}");
                return 2;
            }
            Console.WriteLine($"== suite {name}");
            run();
        }
        return 0;
    }
}
