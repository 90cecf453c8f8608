using System.CommandLine;
using GenStats.Data;
using GenStats.Data.Images;
using GenStats.Physics;

namespace GenStats.Cli;

/// <summary>
/// `genstats toy rich|calib|lognormal|bimodal|ring|dimuon|ecal --events N --seed S --out FILE`: writes a toy
/// sample with known truth (see docs/physics.md for every model and parameter); `ecal` writes
/// 30 × 30 calorimeter images (HDF5 simple layout, or CSV cell_r_c; docs/images.md).
/// </summary>
internal static class ToyCommand
{
    private static readonly string[] Kinds = ["rich", "calib", "lognormal", "bimodal", "ring", "dimuon", "ecal"];

    public static Command Create()
    {
        var kind = new Argument<string>("kind") { Description = "Which toy: rich, calib, lognormal, bimodal, ring, dimuon (Z → μμ: pt1, eta1, phi1, Q1, pt2, eta2, phi2, Q2, M, M_true; see docs/observables.md) or ecal (30 × 30 EM-shower images conditioned on px, py, pz, x, y; --out .h5 or .csv)." };
        kind.AcceptOnlyFromAmong(Kinds);
        var events = new Option<int>("--events") { Description = "Number of events (rows).", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<int>("--seed") { Description = "Random seed (same seed, same file).", DefaultValueFactory = _ => 1 };
        var output = new Option<FileInfo>("--out") { Description = "Output table (written atomically): CSV, or Parquet when the name ends in .parquet; for ecal an image file: .h5/.hdf5 (simple HDF5 layout) or .csv (cell_r_c columns).", Required = true };
        var separator = new Option<string?>("--separator") { Description = "tab or comma (default: tab for rich/calib, as LHCb calibration files; comma otherwise)." };
        var signal = new Option<string>("--signal") { Description = "calib: signal mass shape, gauss or cb.", DefaultValueFactory = _ => "gauss" };
        var background = new Option<string>("--background") { Description = "calib: background mass shape, exp or cheb2.", DefaultValueFactory = _ => "exp" };
        var fraction = new Option<double>("--signal-fraction") { Description = "calib: fraction of signal probes.", DefaultValueFactory = _ => 0.4 };
        var cut = new Option<double?>("--cut") { Description = "lognormal: keep x1, x2 below this value (the seed lectures use 12)." };
        signal.AcceptOnlyFromAmong("gauss", "cb");
        background.AcceptOnlyFromAmong("exp", "cheb2");
        var force = CliOptions.Force();
        var command = new Command("toy", "Write a simulated sample with known truth: RICH particle ID, a D* calibration sample, the LogNormal / bimodal / ring toys, Z → μ⁺μ⁻ (dimuon), or ECAL shower images (ecal).")
        {
            kind, events, seed, output, separator, signal, background, fraction, cut, force,
        };
        command.SetAction(r => Run(r.GetValue(kind)!, r.GetValue(events), r.GetValue(seed), r.GetValue(output)!, r.GetValue(separator),
            r.GetValue(signal)!, r.GetValue(background)!, r.GetValue(fraction), r.GetValue(cut), r.GetValue(force)));
        return command;
    }

    private static Dataset Dimuon(int events, int seed)
    {
        var sample = DimuonToy.Generate(events, seed);
        Console.WriteLine($"dimuon: {sample.Attempts} events generated for {events} accepted (efficiency {sample.Efficiency:P1})");
        return sample.Data;
    }

    private static int Ecal(int events, int seed, FileInfo output, bool force)
    {
        if (!ImageFile.IsHdf5(output.FullName) && !ImageFile.IsCsv(output.FullName))
            throw new ArgumentException($"--out '{output.FullName}': the ecal toy writes images; name an HDF5 file (.h5, .hdf5) or a CSV file (.csv).");
        var o = EcalOptions.Default;
        // float32 images, the double image being filled, the file's copy (CSV: doubles and text).
        double cells = (double)o.Height * o.Width;
        CliMemory.Require(events * cells * (ImageFile.IsCsv(output.FullName) ? 40.0 : 12.0), $"--events {events}");
        CliFiles.Output(output, "--out", CliFiles.Kind.Table, force);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var showers = CliProgress.Run("simulating ECAL showers", p => EcalToy.Generate(events, seed, o, p));
        ImageFile.Write(output.FullName, showers.Data);
        Console.WriteLine($"wrote {events} showers of {o.Height} × {o.Width} cells ({o.CellSize} cm, visible GeV) with conditions {string.Join(", ", EcalToy.Conditions)} to {output.FullName} in {started.Elapsed.TotalSeconds:F1} s");
        return 0;
    }

    /// <summary>Columns of the widest toy (rich), for the memory estimate.</summary>
    private const int MaxColumns = 16;

    private static int Run(string kind, int events, int seed, FileInfo output, string? separator, string signal, string background, double fraction, double? cut, bool force)
    {
        if (events < 1) throw new ArgumentException($"--events is {events}; at least 1 event is required.");
        if (!(fraction is > 0 and < 1)) throw new ArgumentException($"--signal-fraction is {fraction}; give a fraction strictly between 0 and 1.");
        if (cut is double cv && !(cv > 0 && double.IsFinite(cv))) throw new ArgumentException($"--cut is {cv}; give a finite positive value (the lognormal toy lives on x > 0).");
        if (kind == "ecal") return Ecal(events, seed, output, force);
        // The columns, the per-event records a simulator builds, and the CSV text: a few copies of events × width doubles.
        CliMemory.Require(4.0 * 8 * events * MaxColumns, $"--events {events}");
        CliFiles.Output(output, "--out", CliFiles.Kind.Table, force);
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
}
