module GenStats.Tests.Models.LibraryTests

open Expecto
open System
open FsCheck
open FsCheck.FSharp
open GenStats.Models
open GenStats.Tests.Models.Toys
open GenStats.Tests.Expectations
open GenStats.Tests.TestMain

/// Brute-force k nearest by (squared standardised distance, index).
let private bruteForce (ys: float[][]) (mean: float[]) (sd: float[]) (q: float[]) (k: int) =
    let z (v: float[]) =
        Array.init v.Length (fun j -> (v.[j] - mean.[j]) / sd.[j])

    let zq = z q

    ys
    |> Array.mapi (fun i y -> (Array.map2 (fun a b -> (a - b) ** 2.0) (z y) zq |> Array.sum), i)
    |> Array.sort
    |> Array.truncate k
    |> Array.map snd

/// Conditions on a coarse integer grid (many exact ties) plus query points.
let private gridConditions =
    gen {
        let! n = Gen.choose (20, 120)
        let! ys = Gen.arrayOfLength n (Gen.arrayOfLength 2 (Gen.choose (-3, 3) |> Gen.map float))
        let! qs = Gen.arrayOfLength 10 (Gen.arrayOfLength 2 (Gen.choose (-8, 8) |> Gen.map (fun i -> float i / 2.0)))
        let! k = Gen.choose (1, 25)
        return ys, qs, k
    }

let ``the k-d tree returns exactly the brute-force neighbours, ties broken by index`` () =
    Prop.forAll (Arb.fromGen gridConditions) (fun (ys, qs, k) ->
        let n = ys.Length

        let ds =
            GenStats.Data.Dataset.Create(
                [| "x"; "p"; "eta" |],
                [|
                    Array.init n float
                    Array.map (fun (y: float[]) -> y.[0]) ys
                    Array.map (fun (y: float[]) -> y.[1]) ys
                |]
            )

        let data = ds.WithRoles([| "x" |], [| "p"; "eta" |])
        let lib = Library.Fit data
        // The library standardises with WeightedDescriptive; use the same so that exact ties stay exact.
        let col j = ys |> Array.map (fun y -> y.[j])

        let sdOf (v: float[]) =
            let s = GenStats.Stats.WeightedDescriptive.StandardDeviation v in if s > 0.0 then s else 1.0

        let means =
            [|
                GenStats.Stats.WeightedDescriptive.Mean(col 0)
                GenStats.Stats.WeightedDescriptive.Mean(col 1)
            |]

        let sds = [| sdOf (col 0); sdOf (col 1) |]

        qs
        |> Array.forall (fun q ->
            let expected = bruteForce ys means sds q k
            let found = lib.Neighbours(q, k)
            found = expected))

let ``k = 1 returns the features of the nearest training event, deterministically`` () =
    let data = dataset [| 10.0; 20.0; 30.0; 40.0 |] (Some [| 0.0; 1.0; 2.0; 3.0 |]) None
    let lib = Library.Fit data

    let out =
        lib.Sample([| [| 0.2 |]; [| 1.6 |]; [| 2.5 |]; [| -7.0 |]; [| 9.0 |] |], 1)
    // 2.5 is equidistant from 2 and 3: the earlier training event (30) wins.
    Expect.isTrue (out |> Array.map (fun r -> r.[0]) = [| 10.0; 30.0; 30.0; 10.0; 40.0 |]) (sprintf "%A" out)
    Expect.isTrue (lib.Sample([| [| 1.6 |] |], 99) = out.[1..1]) "k = 1 ignores the seed"

let ``k > 1 picks among the k nearest with probability proportional to weight`` () =
    // Conditions 0,1,2,3 with weights 1,3,0,6: the zero-weight event (y = 2) is left out of the
    // library, so the k = 2 nearest of y = 1.2 are y = 1 (w = 3) and y = 0 (w = 1): P(20) = 3/4.
    let data =
        dataset [| 10.0; 20.0; 30.0; 40.0 |] (Some [| 0.0; 1.0; 2.0; 3.0 |]) (Some [| 1.0; 3.0; 0.0; 6.0 |])

    let lib = Library.Fit(data, LibraryOptions(Neighbours = 2))
    Expect.equal lib.Count 3 "lib.Count"
    let m = 40000
    let near = lib.Sample(Array.create m [| 1.2 |], 5) |> Array.map (fun r -> r.[0])
    let p20 = float (near |> Array.filter ((=) 20.0) |> Array.length) / float m
    assertWithin 5.0 (sqrt (0.75 * 0.25 / float m)) 0.75 p20 "P(20) at y = 1.2"

    Expect.isTrue
        (near |> Array.forall (fun x -> x = 10.0 || x = 20.0))
        "only events 0 and 1 carry weight among the three nearest"

let ``the unconditional library learns the 1-D mixture without mode collapse`` () =
    let n, m = 2000, 20000
    let xs = bimodal 71 n
    let lib = Library.Fit(dataset xs None None)
    let g = lib.Sample(m, 3) |> Array.map (fun r -> r.[0])
    let both (v: float) = sqrt (v / float n + v / float m)
    assertWithin 4.0 (both 17.0) 0.0 (mean g) "mean"
    assertWithin 4.0 (both (bimodalFourthMoment - 289.0)) bimodalVariance (variance g) "variance"
    assertWithin 3.0 (both 0.25) 0.5 (fractionAbove 0.0 g) "right mode"
    assertWithin 3.0 (both 0.25) 0.5 (1.0 - fractionAbove 0.0 g) "left mode"
    Expect.isTrue (g |> Array.forall (fun x -> Array.contains x xs)) "every generated event is a training event"

let private checkConditional (lib: Library) (n: int) (seed: int) =
    // Fresh conditions y ~ U(0,1); standardised residuals r = (x − (a + b y))/(c + d y) must be
    // N(0,1) in each third of the y range. The generated events are (near-)copies of the ≈ n/3
    // training events of that third, so their spread bounds the error: σ_mean² = 1/(n/3) + 1/m₃.
    let m = 6000
    let g = Normal seed
    let ys = Array.init m (fun _ -> g.Uniform())

    let xs =
        lib.Sample(ys |> Array.map (fun y -> [| y |]), seed)
        |> Array.map (fun r -> r.[0])

    for third in 0..2 do
        let lo, hi = float third / 3.0, float (third + 1) / 3.0

        let r =
            Array.zip xs ys
            |> Array.filter (fun (_, y) -> y >= lo && y < hi)
            |> Array.map (fun (x, y) -> (x - conditionalMean y) / conditionalSd y)

        let nt, mt = float n / 3.0, float r.Length
        assertWithin 4.0 (sqrt (1.0 / nt + 1.0 / mt)) 0.0 (mean r) (sprintf "residual mean in y ∈ [%.2f, %.2f)" lo hi)

        assertWithin
            4.0
            (sqrt (0.5 / nt + 0.5 / mt))
            1.0
            (sqrt (variance r))
            (sprintf "residual sd in y ∈ [%.2f, %.2f)" lo hi)

let ``the conditional library (k = 1, k = 10 weighted pick, k = 10 local linear) learns x given y`` () =
    let n = 6000
    let xs, ys = conditionalGaussian 81 n
    let data = dataset xs (Some ys) None
    checkConditional (Library.Fit data) n 1
    checkConditional (Library.Fit(data, LibraryOptions(Neighbours = 10))) n 2
    checkConditional (Library.Fit(data, LibraryOptions(Neighbours = 10, Rule = LibraryRule.LocalLinear))) n 3

let ``local-linear interpolation removes the condition mismatch of sparse neighbours`` () =
    // x = 3y exactly, training y on a coarse grid: a weighted pick returns grid values, the local
    // linear rule returns 3y at any y inside the grid (the local slope is exact).
    let ys = Array.init 21 (fun i -> float i / 20.0)
    let data = dataset (ys |> Array.map (fun y -> 3.0 * y)) (Some ys) None

    let lib =
        Library.Fit(data, LibraryOptions(Neighbours = 4, Rule = LibraryRule.LocalLinear))

    for y in [ 0.33; 0.512; 0.77 ] do
        let x = (lib.Sample([| [| y |] |], 4)).[0].[0]
        GenStats.Tests.Tolerance.assertClose GenStats.Tests.Tolerance.high (3.0 * y) x (sprintf "x at y=%g" y)

let ``importance-weighted training reproduces the target distribution`` () =
    // Training events from N(0, 2²), weights N(x;1,1)/N(x;0,2²): the library must generate N(1, 1).
    let g = Normal 91
    let n = 20000
    let xs = Array.init n (fun _ -> 2.0 * g.Next())

    let ws =
        xs
        |> Array.map (fun x -> exp (-0.5 * (x - 1.0) ** 2.0) / (0.5 * exp (-0.125 * x * x)))

    let ess = GenStats.Stats.WeightedDescriptive.EffectiveSampleSize ws
    let m = 20000

    let out =
        (Library.Fit(dataset xs None (Some ws))).Sample(m, 8)
        |> Array.map (fun r -> r.[0])

    assertWithin 4.0 (sqrt (1.0 / ess + 1.0 / float m)) 1.0 (mean out) "mean"
    // σ of the weighted second moment from the sandwich estimator, halved for the sd (delta method).
    let sigmaVar =
        GenStats.Stats.WeightedDescriptive.StandardErrorOfMean(xs |> Array.map (fun x -> (x - 1.0) ** 2.0), ws)

    assertWithin 4.0 (sqrt ((sigmaVar / 2.0) ** 2.0 + 0.5 / float m)) 1.0 (sqrt (variance out)) "sd"

let ``negative sWeights and bad options are rejected with clear messages`` () =
    let data =
        dataset [| 1.0; 2.0; 3.0 |] (Some [| 0.0; 1.0; 2.0 |]) (Some [| 1.0; -0.5; 1.0 |])

    let ex =
        raises<ArgumentException> "Library.Fit data |> ignore" (fun () -> Library.Fit data |> ignore)

    contains "histogram" ex.Message "ex.Message"
    let ok = dataset [| 1.0; 2.0; 3.0 |] (Some [| 0.0; 1.0; 2.0 |]) None

    raises<ArgumentException> "Library.Fit(ok, LibraryOptions(Neighbours = 0)) |> ignore" (fun () ->
        Library.Fit(ok, LibraryOptions(Neighbours = 0)) |> ignore)
    |> ignore

    raises<ArgumentException> "Library.Fit(ok, LibraryOptions(Neighbours = 2, Rule = LibraryRule.L..." (fun () ->
        Library.Fit(ok, LibraryOptions(Neighbours = 2, Rule = LibraryRule.LocalLinear))
        |> ignore)
    |> ignore

    raises<ArgumentException> "(Library.Fit ok).Sample([| [| nan |] |], 1) |> ignore" (fun () ->
        (Library.Fit ok).Sample([| [| nan |] |], 1) |> ignore)
    |> ignore

[<Tests>]
let tests =
    testList
        "Models.Library"
        [
            testPropertyN
                60
                "the k-d tree returns exactly the brute-force neighbours, ties broken by index"
                ``the k-d tree returns exactly the brute-force neighbours, ties broken by index``
            testCase
                "k = 1 returns the features of the nearest training event, deterministically"
                ``k = 1 returns the features of the nearest training event, deterministically``
            testCase
                "k > 1 picks among the k nearest with probability proportional to weight"
                ``k > 1 picks among the k nearest with probability proportional to weight``
            testCase
                "the unconditional library learns the 1-D mixture without mode collapse"
                ``the unconditional library learns the 1-D mixture without mode collapse``
            testCase
                "the conditional library (k = 1, k = 10 weighted pick, k = 10 local linear) learns x given y"
                ``the conditional library (k = 1, k = 10 weighted pick, k = 10 local linear) learns x given y``
            testCase
                "local-linear interpolation removes the condition mismatch of sparse neighbours"
                ``local-linear interpolation removes the condition mismatch of sparse neighbours``
            testCase
                "importance-weighted training reproduces the target distribution"
                ``importance-weighted training reproduces the target distribution``
            testCase
                "negative sWeights and bad options are rejected with clear messages"
                ``negative sWeights and bad options are rejected with clear messages``
        ]
