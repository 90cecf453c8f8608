module GenStats.Tests.Stats.MetricCatalogTests

open System
open System.IO
open System.Diagnostics
open System.Text.Json
open NUnit.Framework
open GenStats.Data
open GenStats.Comparison
open GenStats.Stats
open GenStats.Tests.Tolerance

/// NUnit 4 overloads of Is.EqualTo are ambiguous for F# arrays; box the expectation.
let inline private equalTo (expected: 'T) = Is.EqualTo(box expected)

let private perColumn = [ "ks"; "ks_pvalue"; "w1"; "energy"; "cramer"; "chi2_quantiles"; "chi2_hist"; "jsd"; "separation_power" ]

let private tempDir () =
    let d = Path.Combine(Path.GetTempPath(), "genstats-compare-" + Guid.NewGuid().ToString("N"))
    Directory.CreateDirectory d |> ignore
    d

/// real.csv (comma; x, y, w) and generated.csv (tab; y, x, extra) with known contents.
let private writeFiles dir =
    let real = Dataset.Create([| "x"; "y"; "w" |],
                              [| Array.init 120 (fun i -> float (i % 13)); Array.init 120 (fun i -> float ((i * 7) % 11)); Array.init 120 (fun i -> 0.5 + float (i % 2)) |])
    let gen = Dataset.Create([| "y"; "x"; "extra" |],
                             [| Array.init 90 (fun i -> float ((i * 5) % 11)); Array.init 90 (fun i -> float (i % 13) + 0.5); Array.zeroCreate 90 |])
    let realPath, genPath = Path.Combine(dir, "real.csv"), Path.Combine(dir, "generated.csv")
    Csv.Write(real, realPath)
    Csv.Write(gen, genPath, CsvOptions(Nullable '\t'))
    realPath, genPath

[<Test>]
let ``registered names are the stable 1-D names, and all means every one`` () =
    Assert.That(MetricCatalog.Names |> Seq.take perColumn.Length |> Seq.toList, equalTo perColumn)
    Assert.That(MetricCatalog.Resolve "all" |> Seq.map (fun d -> d.Name), equalTo MetricCatalog.Names)
    Assert.That(MetricCatalog.Resolve " w1, ks ,w1" |> Seq.map (fun d -> d.Name), equalTo [ "w1"; "ks" ])
    let ex = Assert.Throws<ArgumentException>(fun () -> MetricCatalog.Resolve "w1,nope" |> ignore)
    Assert.That(ex.Message, Does.Contain "'nope'")

[<Test>]
let ``compare pipeline on CSV files: one report per metric and column, values as the metrics compute them`` () =
    let dir = tempDir ()
    try
        let realPath, genPath = writeFiles dir
        let real = (Csv.Read realPath).WithRoles([| "x"; "y" |], weight = "w")
        let gen = Csv.Read genPath
        let options = ComparisonOptions(Seed = 3, BootstrapReplicas = 20)
        let reports = MetricCatalog.Compare(real, gen, [| "x"; "y" |], "all", options)
        // One report per column for a 1-D metric, one over all columns for a multi-dimensional one.
        let perColumn = MetricCatalog.All |> Seq.filter (fun d -> d.PerColumn) |> Seq.length
        Assert.That(reports.Count, equalTo(2 * perColumn + (MetricCatalog.All.Count - perColumn)))
        Assert.That(MetricCatalog.All.Count - perColumn, equalTo 16, "7 distances, prdc ×4, improved P&R ×2, PRD ×2, classifier AUC")
        let find name col = reports |> Seq.find (fun r -> r.Name = name && r.Columns = [| col |])
        let rx, gx, w = real.Column "x", gen.Column "x", real.Column "w"
        assertClose veryHigh (CdfDistances.Wasserstein1Value(rx, w, gx, null)) (find "w1" "x").Value "w1 x"
        assertClose veryHigh (KolmogorovSmirnov.Distance(rx, w, gx, null)) (find "ks" "x").Value "ks x"
        assertClose veryHigh ((find "energy" "y").Value ** 2.0 / 2.0) (find "cramer" "y").Value "cramer = energy²/2"
        Assert.That((find "chi2_hist" "x").Extra.["comparison"], equalTo 1.0) // UW: the real sample is weighted
        Assert.That((find "ks" "x").Extra.["effective_size_generated"], equalTo 90.0)
        // Same seed, same numbers.
        let again = MetricCatalog.Compare(real, gen, [| "x"; "y" |], "all", options)
        Assert.That(MetricReportJson.ToJson again, equalTo(MetricReportJson.ToJson reports))
        // JSON shape: {"metrics":[{name, columns, value, uncertainty, extra}]}, NaN as null.
        let json = JsonDocument.Parse(MetricReportJson.ToJson reports)
        let metrics = json.RootElement.GetProperty "metrics"
        Assert.That(metrics.GetArrayLength(), equalTo reports.Count)
        let first = metrics.[0]
        Assert.That([ for p in first.EnumerateObject() -> p.Name ], equalTo [ "name"; "columns"; "value"; "uncertainty"; "extra" ])
        let pvalue = metrics.EnumerateArray() |> Seq.find (fun m -> m.GetProperty("name").GetString() = "ks_pvalue")
        Assert.That(pvalue.GetProperty("uncertainty").ValueKind, equalTo JsonValueKind.Null)
        Assert.That(pvalue.GetProperty("value").ValueKind, equalTo JsonValueKind.Number)
    finally
        Directory.Delete(dir, true)

[<Test>]
let ``missing columns are reported with the dataset named`` () =
    let a = Dataset.Create([| "x" |], [| [| 1.0; 2.0 |] |])
    let b = Dataset.Create([| "y" |], [| [| 1.0; 2.0 |] |])
    let ex = Assert.Throws<ArgumentException>(fun () -> MetricCatalog.Compare(a, b, [| "x" |]) |> ignore)
    Assert.That(ex.Message, Does.Contain "generated sample has no column 'x'")

[<Test>]
let ``a multi-dimensional metric registers in one line and reports over all columns`` () =
    // What the lead's registrations look like; here with a toy metric (distance of the means).
    let definition =
        MetricCatalog.MultiDimensional("mean_gap", "toy", fun a _ b _ _ ->
            let mean (rows: float[][]) = rows |> Array.averageBy (fun r -> Array.sum r)
            TwoSampleResult(abs (mean a - mean b), 0.0, "none", float a.Length, float b.Length))
    let real = Dataset.Create([| "x"; "y" |], [| [| 1.0; 2.0 |]; [| 0.0; 0.0 |] |])
    let gen = Dataset.Create([| "x"; "y" |], [| [| 3.0; 4.0; 5.0 |]; [| 1.0; 1.0; 1.0 |] |])
    let reports = definition.Run.Invoke(real, gen, [| "x"; "y" |], ComparisonOptions.Default)
    Assert.That(reports.Count, equalTo 1)
    Assert.That(reports.[0].Columns, equalTo [| "x"; "y" |])
    assertClose veryHigh 3.5 reports.[0].Value "mean gap"
    Assert.That(reports.[0].Extra.["effective_size_generated"], equalTo 3.0)

/// The repository root (where GenStats.sln is), found from the test binary's folder.
let private repositoryRoot () =
    let rec up (d: DirectoryInfo) =
        if isNull d then None
        elif File.Exists(Path.Combine(d.FullName, "GenStats.sln")) then Some d.FullName
        else up d.Parent
    up (DirectoryInfo AppContext.BaseDirectory)

let private runCli (args: string list) =
    let root = (repositoryRoot ()).Value
    let dll = Path.Combine(root, "src", "GenStats.Cli", "bin", "Release", "net10.0", "genstats.dll")
    if not (File.Exists dll) then Assert.Inconclusive("genstats.dll is not built (build GenStats.sln -c Release first).")
    let psi = ProcessStartInfo("dotnet", RedirectStandardOutput = true, RedirectStandardError = true)
    psi.ArgumentList.Add dll
    for a in args do psi.ArgumentList.Add a
    use p = Process.Start psi
    let out = p.StandardOutput.ReadToEndAsync()
    let err = p.StandardError.ReadToEnd()
    p.WaitForExit()
    p.ExitCode, out.Result, err

[<Test>]
let ``genstats compare end to end: table, JSON file and clear errors`` () =
    let dir = tempDir ()
    try
        let realPath, genPath = writeFiles dir
        let jsonPath = Path.Combine(dir, "out.json")
        let code, out, err =
            runCli [ "compare"; realPath; genPath; "--real-weight"; "w"; "--metrics"; "ks,w1"; "--seed"; "4"; "--replicas"; "20"; "--json"; jsonPath ]
        Assert.That(code, equalTo 0, err)
        Assert.That(out, Does.Contain "w1")
        use json = JsonDocument.Parse(File.ReadAllText jsonPath)
        let metrics = json.RootElement.GetProperty("metrics")
        // Default columns: common to both files (x, y), weight column excluded, in the real file's order.
        let cols = [ for m in metrics.EnumerateArray() -> m.GetProperty("name").GetString(), m.GetProperty("columns").[0].GetString() ]
        Assert.That(cols, equalTo [ "ks", "x"; "ks", "y"; "w1", "x"; "w1", "y" ])
        let w1x = metrics.[2].GetProperty("value").GetDouble()
        let real = Csv.Read realPath
        assertClose veryHigh (CdfDistances.Wasserstein1Value(real.Column "x", real.Column "w", (Csv.Read genPath).Column "x", null)) w1x "w1 from the CLI"
        // Errors: one line on stderr, exit code 1, no stack trace.
        for args, expected in
            [ [ "compare"; Path.Combine(dir, "missing.csv"); genPath ], "missing.csv"
              [ "compare"; realPath; genPath; "--columns"; "x,nope" ], "no column 'nope'"
              [ "compare"; realPath; genPath; "--metrics"; "ks,bogus" ], "Unknown metric 'bogus'"
              [ "compare"; realPath; genPath; "--real-weight"; "nope" ], "no column 'nope'" ] do
            let code, _, err = runCli args
            Assert.That(code, equalTo 1, String.Join(" ", args))
            Assert.That(err, Does.Contain expected)
            Assert.That(err.Trim().Split('\n').Length, equalTo 1, err)
            Assert.That(err, Does.Not.Contain "   at ")
    finally
        Directory.Delete(dir, true)

[<Test>]
let ``every 1-D catalog metric passes (real, real weights, generated, generated weights) in that order`` () =
    // Both samples weighted, equal lengths, different weights: a swapped argument order inside the
    // catalog would run but give other values (the per-metric order tests show these data do).
    let a, wa = [| 0.3; 1.1; 2.5; 3.0; 4.2; 5.9 |], [| 2.0; 0.5; 1.0; 3.0; 0.25; 1.5 |]
    let b, wb = [| 0.8; 1.9; 2.2; 3.7; 4.4; 6.5 |], [| 1.0; 4.0; 0.5; 0.5; 2.0; 1.0 |]
    let real = Dataset.Create([| "x"; "w" |], [| a; wa |]).WithRoles([| "x" |], weight = "w")
    let gen = Dataset.Create([| "x"; "w" |], [| b; wb |]).WithRoles([| "x" |], weight = "w")
    let options = ComparisonOptions(Seed = 2, BootstrapReplicas = 10, QuantileBins = 3, HistogramBins = 3)
    let reports = MetricCatalog.Compare(real, gen, [| "x" |], String.Join(",", perColumn), options)
    let value name = (reports |> Seq.find (fun r -> r.Name = name)).Value
    let edges = Histogram.PooledUniformEdges(a, b, 3)
    let bs = options.Bootstrap
    let expected =
        [ "ks", KolmogorovSmirnov.Distance(a, wa, b, wb)
          "ks_pvalue", KolmogorovSmirnov.PValue(a, wa, b, wb)
          "w1", CdfDistances.Wasserstein1Value(a, wa, b, wb)
          "energy", CdfDistances.EnergyValue(a, wa, b, wb)
          "cramer", CdfDistances.CramerValue(a, wa, b, wb)
          "chi2_quantiles", QuantileChiSquare.Test(a, wa, b, wb, 3, bs).Value
          "chi2_hist", HistogramChiSquare.Test(a, wa, b, wb, edges, bs).Value
          "jsd", HistogramDivergences.JensenShannon(a, wa, b, wb, edges, bs).Value
          "separation_power", HistogramDivergences.SeparationPower(a, wa, b, wb, edges, bs).Value ]
    Assert.That(expected |> List.map fst, equalTo perColumn)
    for name, v in expected do
        assertClose veryHigh v (value name) name
