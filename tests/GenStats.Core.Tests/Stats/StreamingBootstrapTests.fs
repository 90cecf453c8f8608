module GenStats.Tests.Stats.StreamingBootstrapTests

open Expecto
open System
open GenStats.Data
open GenStats.Comparison
open GenStats.Stats

/// Values on a grid of 0.25 (many ties inside and across samples), seeded.
let private tiedSample n seed shift =
    let rng = Random(seed: int)
    Array.init n (fun _ -> Math.Round(rng.NextDouble() * 20.0 + shift) / 4.0)

/// Continuous values, seeded.
let private continuousSample n seed shift =
    let rng = Random(seed: int)
    Array.init n (fun _ -> rng.NextDouble() * 3.0 + shift)

/// sWeights: every 6th event −0.4, the others in [0.5, 1.5] (Σw > 0).
let private signedWeights n seed =
    let rng = Random(seed: int)
    Array.init n (fun i -> if i % 6 = 0 then -0.4 else 0.5 + rng.NextDouble())

/// The in-memory bootstrap: Bootstrap.TwoSample materialises each replica's n weights and
/// evaluates the metric's value function on them (a new sort per replica).
let private inMemory (a: float[]) wa (b: float[]) wb (options: BootstrapOptions) (value: float[] * float[] -> float) =
    Bootstrap.TwoSample(a.Length, wa, b.Length, wb, Func<_, _, _>(fun x y -> value (x, y)), options)

/// Exact equality of float arrays, bit for bit (so −0.0 ≠ 0.0 and NaN = NaN would both show).
let private expectBits (actual: float[]) (expected: float[]) what =
    Expect.equal
        (actual |> Array.map BitConverter.DoubleToInt64Bits)
        (expected |> Array.map BitConverter.DoubleToInt64Bits)
        what

let private cases =
    let a, b = tiedSample 700 1 0.0, tiedSample 500 2 1.0
    let c, d = continuousSample 900 3 0.0, continuousSample 650 4 0.1
    // Replica counts: fewer than a vector (3), a vector plus a scalar tail (7), more than one block of 32 (45).
    [
        "unweighted, ties", a, null, b, null, 7
        "unweighted, continuous", c, null, d, null, 45
        "weighted first sample only, ties", a, signedWeights a.Length 5, b, null, 3
        "both weighted with negative weights, ties", a, signedWeights a.Length 6, b, signedWeights b.Length 7, 45
        "both weighted, continuous", c, signedWeights c.Length 8, d, signedWeights d.Length 9, 7
    ]

let ``the streaming replicas equal the in-memory bootstrap bit for bit`` () =
    for name, a, wa, b, wb, replicas in cases do
        let options = BootstrapOptions(replicas, 17)
        let streamed = CdfBootstrap.Replicas(a, wa, b, wb, options)

        let ks =
            inMemory a wa b wb options (fun (x, y) -> KolmogorovSmirnov.Distance(a, x, b, y))

        let w1 =
            inMemory a wa b wb options (fun (x, y) -> CdfDistances.Wasserstein1Value(a, x, b, y))

        let cramer =
            inMemory a wa b wb options (fun (x, y) -> CdfDistances.CramerValue(a, x, b, y))

        expectBits streamed.Supremum ks.Replicas $"{name}: KS replicas"
        expectBits streamed.L1 w1.Replicas $"{name}: W1 replicas"
        expectBits streamed.L2Squared cramer.Replicas $"{name}: Cramér replicas"
        // The metrics' uncertainties are the standard deviations of those replicas.
        let energy =
            inMemory a wa b wb options (fun (x, y) -> CdfDistances.EnergyValue(a, x, b, y))

        Expect.equal
            (KolmogorovSmirnov.Test(a, wa, b, wb, options).Uncertainty)
            ks.StandardDeviation
            $"{name}: KS uncertainty"

        Expect.equal
            (CdfDistances.Wasserstein1(a, wa, b, wb, options).Uncertainty)
            w1.StandardDeviation
            $"{name}: W1 uncertainty"

        Expect.equal
            (CdfDistances.Energy(a, wa, b, wb, options).Uncertainty)
            energy.StandardDeviation
            $"{name}: energy uncertainty"

let ``replicas whose weights sum to at most zero are redrawn as in memory`` () =
    // Σw = 1 but three of five weights are −1: a replica that drops the positive events has Σw ≤ 0
    // (probability ≈ e⁻² per sample) and is redrawn on a shifted stream; 60 replicas see several.
    let a = [| 0.0; 1.0; 2.0; 3.0; 4.0 |]
    let wa = [| 3.0; -1.0; -1.0; -1.0; 1.0 |]
    let b = [| 0.5; 1.5; 2.5; 3.5 |]
    let options = BootstrapOptions(60, 3)
    let streamed = CdfBootstrap.Replicas(a, wa, b, null, options)

    let w1 =
        inMemory a wa b null options (fun (x, y) -> CdfDistances.Wasserstein1Value(a, x, b, y))

    let redrawn =
        [ 0..59 ]
        |> List.filter (fun r ->
            let m = Bootstrap.PoissonMultipliers(a.Length, 3, 2 * r)
            Array.map2 (*) m wa |> Array.sum <= 0.0)
        |> List.length

    Expect.isGreaterThan redrawn 0 "some first draws have Σw ≤ 0"
    expectBits streamed.L1 w1.Replicas "W1 replicas with redraws"

let ``a Poisson stream's element depends on its index only`` () =
    // Counter-based: a longer array extends a shorter one, so any element can be regenerated alone.
    let short = Bootstrap.PoissonMultipliers(1000, 9, 4)
    let long = Bootstrap.PoissonMultipliers(5000, 9, 4)
    Expect.equal long.[0..999] short "prefix"
    Expect.notEqual (Bootstrap.PoissonMultipliers(1000, 9, 5)) short "another stream differs"

let ``the streaming bootstrap never allocates n × R`` () =
    // 10⁵ events per sample and 200 replicas: the in-memory replica weights are 8·n·R = 160 MB per
    // sample. The streaming pass keeps sorted copies and permutations (12 B per event, 2.4 MB) and
    // O(R) state; allow 16 MB — a tenth of one sample's n × R weights.
    let n = 100_000
    let a, b = continuousSample n 11 0.0, continuousSample n 12 0.05
    let wa = signedWeights n 13
    let options = BootstrapOptions(200, 1)
    CdfBootstrap.Replicas(a.[0..99], wa.[0..99], b.[0..99], null, options) |> ignore // JIT and pools first
    let before = GC.GetTotalAllocatedBytes(true)
    let r = CdfBootstrap.Replicas(a, wa, b, null, options)
    let allocated = GC.GetTotalAllocatedBytes(true) - before
    Expect.equal r.L1.Length 200 "one value per replica"
    Expect.isLessThan allocated (16L * 1024L * 1024L) $"allocated {allocated} bytes"

let ``a comparison run shares one bootstrap per column and gives each metric's own result`` () =
    let n, m = 800, 600
    let rng = Random(21)

    let real =
        Dataset
            .Create(
                [| "x"; "y"; "w" |],
                [|
                    tiedSample n 22 0.0
                    continuousSample n 23 0.0
                    Array.init n (fun _ -> 0.5 + rng.NextDouble())
                |]
            )
            .WithRoles([| "x"; "y" |], weight = "w")

    let generated =
        Dataset.Create([| "x"; "y" |], [| tiedSample m 24 1.0; continuousSample m 25 0.2 |])

    let options = ComparisonOptions(Seed = 5, BootstrapReplicas = 37)
    let boot = options.Bootstrap

    let reports =
        MetricCatalog.Compare(real, generated, [| "x"; "y" |], "ks,w1,energy,cramer", options)

    for column in [ "x"; "y" ] do
        let a, wa, b = real.Column column, real.Weights, generated.Column column

        let expected =
            [
                "ks", KolmogorovSmirnov.Test(a, wa, b, null, boot) :> ITwoSampleResult
                "w1", CdfDistances.Wasserstein1(a, wa, b, null, boot) :> ITwoSampleResult
                "energy", CdfDistances.Energy(a, wa, b, null, boot) :> ITwoSampleResult
                "cramer", CdfDistances.Cramer(a, wa, b, null, boot) :> ITwoSampleResult
            ]

        for name, e in expected do
            let r = reports |> Seq.find (fun r -> r.Name = name && r.Columns = [| column |])

            Expect.equal r.Value e.Value $"{name} on {column}: value"
            Expect.equal r.Uncertainty e.Uncertainty $"{name} on {column}: uncertainty"

let ``progress of a comparison rises to 1`` () =
    let real = Dataset.Create([| "x" |], [| continuousSample 3000 31 0.0 |])
    let generated = Dataset.Create([| "x" |], [| continuousSample 2000 32 0.1 |])
    let seen = Collections.Concurrent.ConcurrentBag<float>()

    let progress =
        { new IProgress<float> with
            member _.Report v = seen.Add v
        }

    MetricCatalog.CompareSkippingRefused(real, generated, [| "x" |], "ks,w1", ComparisonOptions(), progress)
    |> ignore

    let values = seen.ToArray()
    Expect.isTrue (values |> Array.forall (fun v -> v >= 0.0 && v <= 1.0)) "fractions in [0, 1]"
    Expect.equal (Array.max values) 1.0 "ends at 1"
    // Reports from inside the bootstrap, not only one per metric.
    Expect.isGreaterThan (values |> Array.filter (fun v -> v > 0.0 && v < 1.0) |> Array.length) 2 "intermediate reports"

[<Tests>]
let tests =
    testList
        "Stats.StreamingBootstrap"
        [
            testCase
                "the streaming replicas equal the in-memory bootstrap bit for bit"
                ``the streaming replicas equal the in-memory bootstrap bit for bit``
            testCase
                "replicas whose weights sum to at most zero are redrawn as in memory"
                ``replicas whose weights sum to at most zero are redrawn as in memory``
            testCase
                "a Poisson stream's element depends on its index only"
                ``a Poisson stream's element depends on its index only``
            testCase "the streaming bootstrap never allocates n × R" ``the streaming bootstrap never allocates n × R``
            testCase
                "a comparison run shares one bootstrap per column and gives each metric's own result"
                ``a comparison run shares one bootstrap per column and gives each metric's own result``
            testCase "progress of a comparison rises to 1" ``progress of a comparison rises to 1``
        ]
