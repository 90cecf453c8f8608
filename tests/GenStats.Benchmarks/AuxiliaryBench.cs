using System.Diagnostics;
using System.Globalization;
using GenStats.Models;
using GenStats.Physics;

namespace GenStats.Benchmarks;

/// <summary>
/// Part of suite `models`: the cost of an auxiliary statistic. Two trainers with the default
/// options (Cramér GAN, batch 256, 2 critic steps, quantile-normal features; φ columns periodic)
/// on the same 20 000 Z → μμ toy events (six features pt, η, φ per muon), one plain and one with
/// MMD on mass(pt1,eta1,phi1,pt2,eta2,phi2) (weight 1, median-distance bandwidth); their generator
/// steps alternate, so both see the same machine load, and the median time per step of each and
/// their ratio come from one run. The aim (issue 12) is a ratio ≤ 1.3.
/// </summary>
public static class AuxiliaryBench
{
    private const string Mass = "mass(pt1,eta1,phi1,pt2,eta2,phi2)";

    public static void Run()
    {
        var inv = CultureInfo.InvariantCulture;
        int steps = int.Parse(Environment.GetEnvironmentVariable("GENSTATS_BENCH_AUX_STEPS") ?? "200", inv);
        var data = DimuonToy.Sample(20_000, 12);
        var features = DimuonToy.Features;
        var rows = Enumerable.Range(0, data.Count).Select(i => features.Select(f => data.Column(f)[i]).ToArray()).ToArray();
        var options = new GanOptions
        {
            Steps = 1_000_000, // never reached: the learning-rate plan is irrelevant to the timing
            ColumnTransforms = new Dictionary<string, string> { ["phi1"] = "periodic", ["phi2"] = "periodic" },
        };
        var plain = GanTrainer.Create(rows, null, null, options, null, features);
        var aux = GanTrainer.Create(rows, null, null, options, AuxiliaryExpression.Parse(Mass), features);
        for (int i = 0; i < 50; i++) { plain.RunTo(plain.Step + 1); aux.RunTo(aux.Step + 1); } // warm-up: past the JIT's tier-up
        var tPlain = new List<double>(steps);
        var tAux = new List<double>(steps);
        for (int i = 0; i < steps; i++)
        {
            var sw = Stopwatch.StartNew();
            plain.RunTo(plain.Step + 1);
            tPlain.Add(sw.Elapsed.TotalSeconds);
            sw.Restart();
            aux.RunTo(aux.Step + 1);
            tAux.Add(sw.Elapsed.TotalSeconds);
        }
        double mp = Median(tPlain), ma = Median(tAux);
        Console.WriteLine(string.Create(inv,
            $"genstats models cramer-gan default step, dimuon toy 6 features, {steps} steps each, alternating: plain {mp * 1000:F2} ms/step, with MMD on {Mass} {ma * 1000:F2} ms/step"));
        Console.WriteLine(string.Create(inv, $"aux-ratio: models_aux_mass_mmd_step {ma / mp:F3} (aim ≤ 1.3; < 1 is impossible, > 1 is the statistic's cost)"));
    }

    private static double Median(List<double> v)
    {
        var s = v.Order().ToArray();
        int n = s.Length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
}
