using System.Diagnostics;

namespace GenStats.Benchmarks.Engine;

/// <summary>Median wall time of repeated runs after warm-up.</summary>
public static class Timing
{
    public static double MedianSeconds(Action body, int repetitions, int warmup = 1, double minSeconds = 0)
    {
        for (int i = 0; i < warmup; i++) body();
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < repetitions || total.Elapsed.TotalSeconds < minSeconds)
        {
            var sw = Stopwatch.StartNew();
            body();
            times.Add(sw.Elapsed.TotalSeconds);
            if (times.Count >= 1000) break;
        }
        times.Sort();
        int n = times.Count;
        return n % 2 == 1 ? times[n / 2] : 0.5 * (times[n / 2 - 1] + times[n / 2]);
    }
}
