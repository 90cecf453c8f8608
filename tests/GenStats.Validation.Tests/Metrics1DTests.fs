module GenStats.Tests.Validation.Metrics1DTests

open System.IO
open Expecto
open GenStats.Tests
open GenStats.Tests.TestMain
open GenStats.Validation
open GenStats.Tests.Tolerance

let ``scipy's documented examples read as curried pipelines`` () =
    assertClose
        veryHigh
        5.0
        (Metrics1D.w1Value None [| 0.0; 1.0; 3.0 |] None [| 5.0; 6.0; 8.0 |])
        "wasserstein_distance([0,1,3],[5,6,8])"

    assertClose
        veryHigh
        0.25
        (Metrics1D.w1Value (Some [| 3.0; 1.0 |]) [| 0.0; 1.0 |] (Some [| 2.0; 2.0 |]) [| 0.0; 1.0 |])
        "weighted W1"

    assertClose
        veryHigh
        1.0
        (Metrics1D.energyValue (Some [| 3.0; 1.0 |]) [| 0.0; 8.0 |] (Some [| 2.0; 2.0 |]) [| 0.0; 8.0 |])
        "weighted energy"

    assertClose veryHigh 2.0 ([| 2.0 |] |> Metrics1D.energyValue None [| 0.0 |] None) "energy_distance([0],[2])"
    assertClose veryHigh 2.0 (Metrics1D.cramerValue None [| 0.0 |] None [| 2.0 |]) "cramer = energy²/2"

let ``every metric returns a result with Value and Uncertainty; metricWith takes the bootstrap first`` () =
    let a, b = [| 0.0; 1.0; 3.0; 4.0; 2.5 |], [| 5.0; 6.0; 8.0; 5.5; 7.0 |]
    let w1 = b |> Metrics1D.w1 None a None
    assertClose veryHigh (Metrics1D.w1Value None a None b) w1.Value "w1 = w1Value"

    Expect.isTrue
        (System.Double.IsFinite w1.Uncertainty && w1.Uncertainty >= 0.0)
        "w1 has a finite bootstrap uncertainty"

    let e = b |> Metrics1D.energyWith (Metrics1D.bootstrap 30 2) None a None
    assertClose veryHigh (Metrics1D.energyValue None a None b) e.Value "energyWith = energyValue"
    Expect.isTrue (System.Double.IsFinite e.Uncertainty) "energy has a finite uncertainty"
    let c = b |> Metrics1D.cramer None a None
    assertClose veryHigh (Metrics1D.cramerValue None a None b) c.Value "cramer = cramerValue"
    assertClose veryHigh (Metrics1D.ksValue None a None b) (b |> Metrics1D.ks None a None).Value "ks = ksValue"
    let edges = Metrics1D.pooledEdges 4 a b
    Expect.isTrue (System.Double.IsFinite (b |> Metrics1D.jsd edges None a None).Uncertainty) "jsd has an uncertainty"

    Expect.isTrue
        (System.Double.IsFinite (b |> Metrics1D.separationPower edges None a None).Value)
        "separation power has a value"

let ``KS test from F# gives scipy's exact p-value for separated samples`` () =
    // Fully separated samples of 5 and 5: D = 1, p = 2/C(10, 5) = 2/252.
    let r =
        Metrics1D.ksWith (Metrics1D.bootstrap 20 1) None [| 1.0 .. 5.0 |] None [| 6.0 .. 10.0 |]

    assertClose veryHigh 1.0 r.Value "D"
    assertClose veryHigh (2.0 / 252.0) r.PValue "p"
    Expect.equal r.PValueMethod "exact" "r.PValueMethod"

let ``data helpers round trip a CSV file`` () =
    let path =
        Path.Combine(Path.GetTempPath(), sprintf "genstats-fs-%s.csv" (System.Guid.NewGuid().ToString "N"))

    try
        GenStats.Data.Dataset.Create([| "x"; "w" |], [| [| 1.0; 2.0 |]; [| 0.5; 1.5 |] |])
        |> Data.writeCsv path

        let d = Data.readCsv path
        Expect.equal (d |> Data.column "x") [| 1.0; 2.0 |] ("d |> Data.column \"x\"")
        Expect.equal (d |> Data.weights (Some "w")) (Some [| 0.5; 1.5 |]) ("d |> Data.weights (Some \"w\")")
        Expect.equal ((d |> Data.rows [ "w"; "x" ]).[1]) [| 1.5; 2.0 |] ("(d |> Data.rows [ \"w\"; \"x\" ]).[1]")
    finally
        File.Delete path

let ``the catalogue compares named metrics on dataset columns, the generated dataset last`` () =
    let a, b = [| 0.0; 1.0; 3.0; 4.0; 2.5 |], [| 5.0; 6.0; 8.0; 5.5; 7.0 |]
    let real, generated = Data.create [| "x" |] [| a |], Data.create [| "x" |] [| b |]

    match generated |> Catalog.compareWith (Catalog.options 3 20) "ks,w1" [| "x" |] real with
    | [ ks; w1 ] ->
        Expect.equal (ks.Name, w1.Name) ("ks", "w1") "one report per metric, in order"
        assertClose veryHigh (Metrics1D.ksValue None a None b) ks.Value "ks"
        assertClose veryHigh (Metrics1D.w1Value None a None b) w1.Value "w1"
    | reports -> failtestf "expected 2 reports, got %A" (reports |> List.map (fun r -> r.Name))

[<Tests>]
let tests =
    testList
        "Metrics1DTests"
        [
            testCase
                "scipy's documented examples read as curried pipelines"
                ``scipy's documented examples read as curried pipelines``
            testCase
                "every metric returns a result with Value and Uncertainty; metricWith takes the bootstrap first"
                ``every metric returns a result with Value and Uncertainty; metricWith takes the bootstrap first``
            testCase
                "the catalogue compares named metrics on dataset columns, the generated dataset last"
                ``the catalogue compares named metrics on dataset columns, the generated dataset last``
            testCase
                "KS test from F# gives scipy's exact p-value for separated samples"
                ``KS test from F# gives scipy's exact p-value for separated samples``
            testCase "data helpers round trip a CSV file" ``data helpers round trip a CSV file``
        ]
