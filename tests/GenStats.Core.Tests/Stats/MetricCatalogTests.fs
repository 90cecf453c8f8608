module GenStats.Tests.Stats.MetricCatalogTests

open Expecto
open System
open System.IO
open System.Diagnostics
open System.Text.Json
open GenStats.Data
open GenStats.Comparison
open GenStats.Stats
open GenStats.Tests.Tolerance
open GenStats.Tests
open GenStats.Tests.Expectations

let private perColumn =
    [
        "ks"
        "ks_pvalue"
        "w1"
        "energy"
        "cramer"
        "chi2_quantiles"
        "chi2_hist"
        "jsd"
        "separation_power"
    ]

let private tempDir () =
    let d =
        Path.Combine(Path.GetTempPath(), "genstats-compare-" + Guid.NewGuid().ToString("N"))

    Directory.CreateDirectory d |> ignore
    d

/// real.csv (comma; x, y, w) and generated.csv (tab; y, x, extra) with known contents.
let private writeFiles dir =
    let real =
        Dataset.Create(
            [| "x"; "y"; "w" |],
            [|
                Array.init 120 (fun i -> float (i % 13))
                Array.init 120 (fun i -> float ((i * 7) % 11))
                Array.init 120 (fun i -> 0.5 + float (i % 2))
            |]
        )

    let gen =
        Dataset.Create(
            [| "y"; "x"; "extra" |],
            [|
                Array.init 90 (fun i -> float ((i * 5) % 11))
                Array.init 90 (fun i -> float (i % 13) + 0.5)
                Array.zeroCreate 90
            |]
        )

    let realPath, genPath =
        Path.Combine(dir, "real.csv"), Path.Combine(dir, "generated.csv")

    Csv.Write(real, realPath)
    Csv.Write(gen, genPath, CsvOptions(Nullable '\t'))
    realPath, genPath

let ``registered names are the stable 1-D names, and all means every one`` () =
    Expect.equal
        (MetricCatalog.Names |> Seq.take perColumn.Length |> Seq.toList)
        perColumn
        "MetricCatalog.Names |> Seq.take perColumn.Length |> Seq.toList"

    Expect.sequenceEqual
        (MetricCatalog.Resolve "all" |> Seq.map (fun d -> d.Name))
        MetricCatalog.Names
        "MetricCatalog.Resolve \"all\" |> Seq.map (fun d -> d.Name)"

    Expect.sequenceEqual
        (MetricCatalog.Resolve " w1, ks ,w1" |> Seq.map (fun d -> d.Name))
        ([ "w1"; "ks" ])
        "MetricCatalog.Resolve \" w1, ks ,w1\" |> Seq.map (fun d -> d.Name)"

    let ex =
        raises<ArgumentException> "MetricCatalog.Resolve \"w1,nope\" |> ignore" (fun () ->
            MetricCatalog.Resolve "w1,nope" |> ignore)

    contains "'nope'" ex.Message "ex.Message"

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
        Expect.equal reports.Count (2 * perColumn + (MetricCatalog.All.Count - perColumn)) "reports.Count"

        Expect.equal
            (MetricCatalog.All.Count - perColumn)
            16
            "7 distances, prdc ×4, improved P&R ×2, PRD ×2, classifier AUC"

        let find name col =
            reports |> Seq.find (fun r -> r.Name = name && r.Columns = [| col |])

        let rx, gx, w = real.Column "x", gen.Column "x", real.Column "w"
        assertClose veryHigh (CdfDistances.Wasserstein1Value(rx, w, gx, null)) (find "w1" "x").Value "w1 x"
        assertClose veryHigh (KolmogorovSmirnov.Distance(rx, w, gx, null)) (find "ks" "x").Value "ks x"
        assertClose veryHigh ((find "energy" "y").Value ** 2.0 / 2.0) (find "cramer" "y").Value "cramer = energy²/2"

        Expect.equal
            ((find "chi2_hist" "x").Extra.["comparison"])
            1.0
            "(find \"chi2_hist\" \"x\").Extra.[\"comparison\"]" // UW: the real sample is weighted

        Expect.equal
            ((find "ks" "x").Extra.["effective_size_generated"])
            90.0
            "(find \"ks\" \"x\").Extra.[\"effective_size_generated\"]"
        // Same seed, same numbers.
        let again = MetricCatalog.Compare(real, gen, [| "x"; "y" |], "all", options)
        Expect.equal (MetricReportJson.ToJson again) (MetricReportJson.ToJson reports) "MetricReportJson.ToJson again"
        // JSON shape: {"metrics":[{name, columns, value, uncertainty, extra}]}, NaN as null.
        let json = JsonDocument.Parse(MetricReportJson.ToJson reports)
        let metrics = json.RootElement.GetProperty "metrics"
        Expect.equal (metrics.GetArrayLength()) reports.Count "metrics.GetArrayLength()"
        let first = metrics.[0]

        Expect.equal
            ([ for p in first.EnumerateObject() -> p.Name ])
            ([ "name"; "columns"; "value"; "uncertainty"; "extra" ])
            "[ for p in first.EnumerateObject() -> p.Name ]"

        let pvalue =
            metrics.EnumerateArray()
            |> Seq.find (fun m -> m.GetProperty("name").GetString() = "ks_pvalue")

        Expect.equal
            (pvalue.GetProperty("uncertainty").ValueKind)
            JsonValueKind.Null
            "pvalue.GetProperty(\"uncertainty\").ValueKind"

        Expect.equal
            (pvalue.GetProperty("value").ValueKind)
            JsonValueKind.Number
            "pvalue.GetProperty(\"value\").ValueKind"
    finally
        Directory.Delete(dir, true)

let ``missing columns are reported with the dataset named`` () =
    let a = Dataset.Create([| "x" |], [| [| 1.0; 2.0 |] |])
    let b = Dataset.Create([| "y" |], [| [| 1.0; 2.0 |] |])

    let ex =
        raises<ArgumentException> "MetricCatalog.Compare(a, b, [| \"x\" |]) |> ignore" (fun () ->
            MetricCatalog.Compare(a, b, [| "x" |]) |> ignore)

    contains "generated sample has no column 'x'" ex.Message "ex.Message"

let ``a multi-dimensional metric registers in one line and reports over all columns`` () =
    // What the lead's registrations look like; here with a toy metric (distance of the means).
    let definition =
        MetricCatalog.MultiDimensional(
            "mean_gap",
            "toy",
            fun a _ b _ _ ->
                let mean (rows: float[][]) =
                    rows |> Array.averageBy (fun r -> Array.sum r)

                TwoSampleResult(abs (mean a - mean b), 0.0, "none", float a.Length, float b.Length)
        )

    let real = Dataset.Create([| "x"; "y" |], [| [| 1.0; 2.0 |]; [| 0.0; 0.0 |] |])

    let gen =
        Dataset.Create([| "x"; "y" |], [| [| 3.0; 4.0; 5.0 |]; [| 1.0; 1.0; 1.0 |] |])

    let reports =
        definition.Run.Invoke(real, gen, [| "x"; "y" |], ComparisonOptions.Default)

    Expect.equal reports.Count 1 "reports.Count"
    Expect.equal (reports.[0].Columns) ([| "x"; "y" |]) "reports.[0].Columns"
    assertClose veryHigh 3.5 reports.[0].Value "mean gap"
    Expect.equal (reports.[0].Extra.["effective_size_generated"]) 3.0 "reports.[0].Extra.[\"effective_size_generated\"]"

let private runCli = GenStats.Tests.Repository.runCli

let ``genstats compare end to end: table, JSON file and clear errors`` () =
    let dir = tempDir ()

    try
        let realPath, genPath = writeFiles dir
        let jsonPath = Path.Combine(dir, "out.json")

        let code, out, err =
            runCli
                [
                    "compare"
                    realPath
                    genPath
                    "--real-weight"
                    "w"
                    "--metrics"
                    "ks,w1"
                    "--seed"
                    "4"
                    "--replicas"
                    "20"
                    "--json"
                    jsonPath
                ]

        Expect.equal code 0 err
        contains "w1" out "out"
        use json = JsonDocument.Parse(File.ReadAllText jsonPath)
        let metrics = json.RootElement.GetProperty("metrics")
        // Default columns: common to both files (x, y), weight column excluded, in the real file's order.
        let cols =
            [
                for m in metrics.EnumerateArray() ->
                    m.GetProperty("name").GetString(), m.GetProperty("columns").[0].GetString()
            ]

        Expect.equal cols ([ "ks", "x"; "ks", "y"; "w1", "x"; "w1", "y" ]) "cols"
        let w1x = metrics.[2].GetProperty("value").GetDouble()
        let real = Csv.Read realPath

        assertClose
            veryHigh
            (CdfDistances.Wasserstein1Value(real.Column "x", real.Column "w", (Csv.Read genPath).Column "x", null))
            w1x
            "w1 from the CLI"
        // Errors: one line on stderr, exit code 1, no stack trace.
        for args, expected in
            [
                [ "compare"; Path.Combine(dir, "missing.csv"); genPath ], "missing.csv"
                [ "compare"; realPath; genPath; "--columns"; "x,nope" ], "no column 'nope'"
                [ "compare"; realPath; genPath; "--metrics"; "ks,bogus" ], "Unknown metric 'bogus'"
                [ "compare"; realPath; genPath; "--real-weight"; "nope" ], "no column 'nope'"
            ] do
            let code, _, err = runCli args
            Expect.equal code 1 (String.Join(" ", args))
            contains expected err "err"
            Expect.equal (err.Trim().Split('\n').Length) 1 err
            Expect.isFalse (err.Contains("   at ", StringComparison.Ordinal)) "err"
    finally
        Directory.Delete(dir, true)

let ``--progress draws on standard error only: compare's table and JSON and sample's output are unchanged`` () =
    let dir = tempDir ()

    try
        let realPath, genPath = writeFiles dir
        let plain, withBar = Path.Combine(dir, "plain.json"), Path.Combine(dir, "bar.json")

        let compare json extra =
            runCli (
                [
                    "compare"
                    realPath
                    genPath
                    "--metrics"
                    "ks,w1"
                    "--replicas"
                    "20"
                    "--json"
                    json
                ]
                @ extra
            )

        let code0, out0, err0 = compare plain []
        let code1, out1, err1 = compare withBar [ "--progress" ]
        Expect.equal (code0, code1) (0, 0) (err0 + err1)
        // Standard output is the same table with and without the bar; the bar never writes there.
        Expect.equal out1 out0 "stdout with --progress"
        Expect.isFalse (out1.Contains '\u001b') "no escape sequences on stdout"
        Expect.isFalse (err1.Contains '\u001b') "a redirected bar writes plain lines"
        Expect.equal (File.ReadAllText withBar) (File.ReadAllText plain) "the JSON file"
        use json = JsonDocument.Parse(File.ReadAllText withBar)
        Expect.equal (json.RootElement.GetProperty("metrics").GetArrayLength()) 4 "ks and w1 on x and y"
        // sample: a KDE model, its stages on stderr, the table and the stdout line unchanged.
        let model = Path.Combine(dir, "k.gsm")

        let code, _, err =
            runCli
                [
                    "train"
                    "--data"
                    realPath
                    "--features"
                    "x"
                    "--model"
                    "kde"
                    "--out"
                    model
                ]

        Expect.equal code 0 err

        let sample out extra =
            runCli (
                [
                    "sample"
                    "--model"
                    model
                    "--n"
                    "500"
                    "--seed"
                    "3"
                    "--out"
                    Path.Combine(dir, out)
                ]
                @ extra
            )

        let _, sOut0, sErr0 = sample "s0.csv" []
        let code, sOut1, sErr1 = sample "s1.csv" [ "--progress" ]
        Expect.equal code 0 sErr1
        Expect.equal sErr0 "" "no bar without --progress when standard error is redirected"
        Expect.equal (sOut1.Replace("s1.csv", "s0.csv")) sOut0 "stdout with --progress"

        Expect.equal
            (File.ReadAllText(Path.Combine(dir, "s1.csv")))
            (File.ReadAllText(Path.Combine(dir, "s0.csv")))
            "the sampled table"
    finally
        Directory.Delete(dir, true)

let ``genstats compare --derive adds the derived column to both samples and compares it`` () =
    let dir = tempDir ()

    try
        let realPath, genPath = writeFiles dir
        let jsonPath = Path.Combine(dir, "derive.json")

        let code, _, err =
            runCli
                [
                    "compare"
                    realPath
                    genPath
                    "--real-weight"
                    "w"
                    "--columns"
                    "x"
                    "--metrics"
                    "w1"
                    "--derive"
                    "D=dphi(x,y)"
                    "--json"
                    jsonPath
                ]

        Expect.equal code 0 err
        use json = JsonDocument.Parse(File.ReadAllText jsonPath)
        let metrics = json.RootElement.GetProperty("metrics")

        let cols =
            [
                for m in metrics.EnumerateArray() -> m.GetProperty("columns").[0].GetString()
            ]

        Expect.equal cols [ "x"; "D" ] "the derived column is appended to --columns"
        let real, gen = Csv.Read realPath, Csv.Read genPath

        let dphi (d: Dataset) =
            Array.map2 (fun a b -> GenStats.Observables.ColumnObservables.WrapPhi(a - b)) (d.Column "x") (d.Column "y")

        assertClose
            veryHigh
            (CdfDistances.Wasserstein1Value(dphi real, real.Column "w", dphi gen, null))
            (metrics.[1].GetProperty("value").GetDouble())
            "w1 of the derived column"

        for derive, expected in
            [
                "D=dphi(x,nope)", "no column 'nope'"
                "D=dphi(x", "position 7"
                "dphi(x,y)", "NAME=expression"
            ] do
            let code, _, err = runCli [ "compare"; realPath; genPath; "--derive"; derive ]
            Expect.equal code 1 derive
            contains expected err "err"
            Expect.equal (err.Trim().Split('\n').Length) 1 err
    finally
        Directory.Delete(dir, true)

let ``every 1-D catalog metric passes (real, real weights, generated, generated weights) in that order`` () =
    // Both samples weighted, equal lengths, different weights: a swapped argument order inside the
    // catalog would run but give other values (the per-metric order tests show these data do).
    let a, wa = [| 0.3; 1.1; 2.5; 3.0; 4.2; 5.9 |], [| 2.0; 0.5; 1.0; 3.0; 0.25; 1.5 |]
    let b, wb = [| 0.8; 1.9; 2.2; 3.7; 4.4; 6.5 |], [| 1.0; 4.0; 0.5; 0.5; 2.0; 1.0 |]

    let real =
        Dataset.Create([| "x"; "w" |], [| a; wa |]).WithRoles([| "x" |], weight = "w")

    let gen =
        Dataset.Create([| "x"; "w" |], [| b; wb |]).WithRoles([| "x" |], weight = "w")

    let options =
        ComparisonOptions(Seed = 2, BootstrapReplicas = 10, QuantileBins = 3, HistogramBins = 3)

    let reports =
        MetricCatalog.Compare(real, gen, [| "x" |], String.Join(",", perColumn), options)

    let value name =
        (reports |> Seq.find (fun r -> r.Name = name)).Value

    let edges = Histogram.PooledUniformEdges(a, b, 3)
    let bs = options.Bootstrap

    let expected =
        [
            "ks", KolmogorovSmirnov.Distance(a, wa, b, wb)
            "ks_pvalue", KolmogorovSmirnov.PValue(a, wa, b, wb)
            "w1", CdfDistances.Wasserstein1Value(a, wa, b, wb)
            "energy", CdfDistances.EnergyValue(a, wa, b, wb)
            "cramer", CdfDistances.CramerValue(a, wa, b, wb)
            "chi2_quantiles", QuantileChiSquare.Test(a, wa, b, wb, 3, bs).Value
            "chi2_hist", HistogramChiSquare.Test(a, wa, b, wb, edges, bs).Value
            "jsd", HistogramDivergences.JensenShannon(a, wa, b, wb, edges, bs).Value
            "separation_power", HistogramDivergences.SeparationPower(a, wa, b, wb, edges, bs).Value
        ]

    Expect.equal (expected |> List.map fst) perColumn "expected |> List.map fst"

    for name, v in expected do
        assertClose veryHigh v (value name) name

let ``with every metric requested, one that refuses the input is skipped with its reason and the rest computed`` () =
    // 3 001 events per sample: one more than the exact EMD accepts (3 000); every other metric runs
    let rnd = Random(17)

    let draw () =
        Array.init 3001 (fun _ -> rnd.NextDouble())

    let a = Dataset.Create([| "x" |], [| draw () |])
    let b = Dataset.Create([| "x" |], [| draw () |])
    let o = ComparisonOptions(1, 2, 20, 50)
    let outcome = MetricCatalog.CompareSkippingRefused(a, b, [| "x" |], "all", o)
    Expect.equal [ for sk in outcome.Skipped -> sk.Name ] [ "emd" ] "only the exact EMD refuses 3 001 events"
    Expect.stringContains outcome.Skipped[0].Reason "3000" "the reason names the limit"
    let computed = outcome.Reports |> Seq.map (fun r -> r.Name) |> Set.ofSeq
    Expect.equal computed (Set.ofSeq MetricCatalog.Names - Set.singleton "emd") "every other metric is computed"

    let json =
        JsonDocument.Parse(MetricReportJson.ToJson(outcome.Reports, outcome.Skipped))

    let sk = json.RootElement.GetProperty("skipped")
    Expect.equal (sk.GetArrayLength()) 1 "one skipped entry in the JSON"
    Expect.equal (sk[0].GetProperty("name").GetString()) "emd" "its name"
    // named explicitly, the refusal is an error
    Expect.throwsT<ArgumentException>
        (fun () -> MetricCatalog.CompareSkippingRefused(a, b, [| "x" |], "emd", o) |> ignore)
        "emd named explicitly"

[<Tests>]
let tests =
    testList
        "Stats.MetricCatalog"
        [
            testCase
                "with every metric requested, one that refuses the input is skipped with its reason and the rest computed"
                ``with every metric requested, one that refuses the input is skipped with its reason and the rest computed``
            testCase
                "registered names are the stable 1-D names, and all means every one"
                ``registered names are the stable 1-D names, and all means every one``
            testCase
                "missing columns are reported with the dataset named"
                ``missing columns are reported with the dataset named``
            testCase
                "a multi-dimensional metric registers in one line and reports over all columns"
                ``a multi-dimensional metric registers in one line and reports over all columns``
            testCase
                "genstats compare end to end: table, JSON file and clear errors"
                ``genstats compare end to end: table, JSON file and clear errors``
            testCase
                "--progress draws on standard error only: compare's table and JSON and sample's output are unchanged"
                ``--progress draws on standard error only: compare's table and JSON and sample's output are unchanged``
            testCase
                "genstats compare --derive adds the derived column to both samples and compares it"
                ``genstats compare --derive adds the derived column to both samples and compares it``
            testCase
                "every 1-D catalog metric passes (real, real weights, generated, generated weights) in that order"
                ``every 1-D catalog metric passes (real, real weights, generated, generated weights) in that order``
            TestMain.slow
                [
                    testCase
                        "compare pipeline on CSV files: one report per metric and column, values as the metrics compute them"
                        ``compare pipeline on CSV files: one report per metric and column, values as the metrics compute them``
                ]
        ]
