using System.CommandLine;
using GenStats.Data;
using GenStats.Physics;

namespace GenStats.Cli;

/// <summary>
/// `genstats toy rich|calib|lognormal|bimodal|ring|dimuon --events N --seed S --out FILE`: writes a toy
/// sample with known truth (see docs/physics.md for every model and parameter).
/// </summary>
internal static class ToyCommand
{
    private static readonly string[] Kinds = ["rich", "calib", "lognormal", "bimodal", "ring", "dimuon"];

    public static Command Create()
    {
        var kind = new Argument<string>("kind") { Description = "Which toy: rich, calib, lognormal, bimodal, ring or dimuon (Z → μμ: pt1, eta1, phi1, Q1, pt2, eta2, phi2, Q2, M, M_true; see docs/observables.md)." };
        kind.AcceptOnlyFromAmong(Kinds);
        var events = new Option<int>("--events") { Description = "Number of events (rows).", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<int>("--seed") { Description = "Random seed (same seed, same file).", DefaultValueFactory = _ => 1 };
        var output = new Option<FileInfo>("--out") { Description = "Output table (written atomically): CSV, or Parquet when the name ends in .parquet.", Required = true };
        var separator = new Option<string?>("--separator") { Description = "tab or comma (default: tab for rich/calib, as LHCb calibration files; comma otherwise)." };
        var signal = new Option<string>("--signal") { Description = "calib: signal mass shape, gauss or cb.", DefaultValueFactory = _ => "gauss" };
        var background = new Option<string>("--background") { Description = "calib: background mass shape, exp or cheb2.", DefaultValueFactory = _ => "exp" };
        var fraction = new Option<double>("--signal-fraction") { Description = "calib: fraction of signal probes.", DefaultValueFactory = _ => 0.4 };
        var cut = new Option<double?>("--cut") { Description = "lognormal: keep x1, x2 below this value (the seed lectures use 12)." };
        signal.AcceptOnlyFromAmong("gauss", "cb");
        background.AcceptOnlyFromAmong("exp", "cheb2");
        var command = new Command("toy", "Write a simulated sample with known truth: RICH particle ID, a D* calibration sample, the LogNormal / bimodal / ring toys, or Z → μ⁺μ⁻ (dimuon).")
        {
            kind, events, seed, output, separator, signal, background, fraction, cut,
        };
        command.SetAction(r => Run(r.GetValue(kind)!, r.GetValue(events), r.GetValue(seed), r.GetValue(output)!, r.GetValue(separator),
            r.GetValue(signal)!, r.GetValue(background)!, r.GetValue(fraction), r.GetValue(cut)));
        return command;
    }

    private static Dataset Dimuon(int events, int seed)
    {
        var sample = DimuonToy.Generate(events, seed);
        Console.WriteLine($"dimuon: {sample.Attempts} events generated for {events} accepted (efficiency {sample.Efficiency:P1})");
        return sample.Data;
    }

    private static int Run(string kind, int events, int seed, FileInfo output, string? separator, string signal, string background, double fraction, double? cut)
    {
        try
        {
            if (events < 1) throw new ArgumentException($"--events is {events}; at least 1 event is required.");
            char sep = (separator ?? (kind is "rich" or "calib" ? "tab" : "comma")) switch
            {
                "tab" or "\\t" => '\t',
                "comma" or "," => ',',
                var s => throw new ArgumentException($"--separator '{s}' is not supported; use tab or comma."),
            };
            var started = System.Diagnostics.Stopwatch.StartNew();
            Dataset data = kind switch
            {
                "rich" => CliProgress.Run("simulating RICH tracks", p => RichSimulator.Generate(new RichSampleOptions(events, seed), p)),
                "calib" => CliProgress.Run("simulating calibration sample", p => CalibrationSample.Generate(new CalibrationOptions(events, seed, fraction,
                    signal == "cb" ? SignalShapeKind.CrystalBall : SignalShapeKind.Gaussian,
                    background == "cheb2" ? BackgroundShapeKind.Chebyshev2 : BackgroundShapeKind.Exponential), p)),
                "lognormal" => LogNormalPair.Sample(events, seed, new LogNormalPairOptions(Cut: cut)),
                "bimodal" => BimodalGaussian.Sample(events, seed),
                "ring" => GaussianRing.Sample(events, seed),
                "dimuon" => Dimuon(events, seed),
                _ => throw new ArgumentException($"Unknown toy '{kind}'; use one of {string.Join(", ", Kinds)}."),
            };
            TableFile.Write(data, output.FullName, new CsvOptions(Separator: sep));
            Console.WriteLine($"wrote {data.Count} events × {data.ColumnNames.Count} columns ({string.Join(", ", data.ColumnNames)}) to {output.FullName} in {started.Elapsed.TotalSeconds:F1} s");
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"genstats toy: {e.Message}");
            return 1;
        }
    }
}
