module GenStats.Tests.Stats.Distances.FrechetDistanceTests

open Expecto
open System
open FsCheck
open FsCheck.FSharp
open MathNet.Numerics.Statistics
open GenStats.Stats
open GenStats.Tests.Tolerance
open GenStats.Tests.Stats
open GenStats.Tests.Stats.Distances.DistanceData
open GenStats.Tests.Expectations
open GenStats.Tests.TestMain

let private noBoot = FrechetDistanceOptions(BootstrapReplicas = 0)

let private frechet a wa b wb =
    (FrechetDistance.Compute(a, wa, b, wb, noBoot)).Value

// A random 2×2 symmetric positive-definite matrix L Lᵀ + 0.01 I from integer entries.
let private spd2 =
    gen {
        let! l = Gen.arrayOfLength 3 (Gen.choose (-30, 30) |> Gen.map (fun i -> float i / 10.0))
        let a, b, c = l.[0], l.[1], l.[2]
        return array2D [ [ a * a + 0.01; a * b ]; [ a * b; b * b + c * c + 0.01 ] ]
    }

let ``closed form for two 2-d Gaussians`` () =
    // For 2×2 PSD matrices: Tr √M = √(Tr M + 2√det M), and (Σ₁Σ₂)^½ has the eigenvalues of
    // (Σ₁^½Σ₂Σ₁^½)^½, so Tr(Σ₁Σ₂)^½ = √(Tr(Σ₁Σ₂) + 2√(det Σ₁ det Σ₂)).
    let g = Gen.zip (Gen.zip spd2 spd2) (Gen.arrayOfLength 2 coordinate)

    Prop.forAll (Arb.fromGen g) (fun ((s1, s2), dmu) ->
        let tr (m: float[,]) = m.[0, 0] + m.[1, 1]

        let det (m: float[,]) =
            m.[0, 0] * m.[1, 1] - m.[0, 1] * m.[1, 0]

        let trProd =
            s1.[0, 0] * s2.[0, 0]
            + s1.[0, 1] * s2.[1, 0]
            + s1.[1, 0] * s2.[0, 1]
            + s1.[1, 1] * s2.[1, 1]

        let trRoot = sqrt (trProd + 2.0 * sqrt (det s1 * det s2))
        let expected = dmu.[0] * dmu.[0] + dmu.[1] * dmu.[1] + tr s1 + tr s2 - 2.0 * trRoot
        let actual = FrechetDistance.FromMoments(dmu, s1, [| 0.0; 0.0 |], s2)
        abs (actual - expected) <= 1e-9 * (1.0 + tr s1 + tr s2 + expected))

let ``commuting covariances: distance is the sum of squared differences of the standard deviations`` () =
    // Gaussians N(μ₁, diag σ₁²) and N(μ₂, diag σ₂²): d² = ‖μ₁ − μ₂‖² + Σ (σ₁ₖ − σ₂ₖ)².
    let s1 = array2D [ [ 4.0; 0.0; 0.0 ]; [ 0.0; 1.0; 0.0 ]; [ 0.0; 0.0; 0.25 ] ]
    let s2 = array2D [ [ 1.0; 0.0; 0.0 ]; [ 0.0; 9.0; 0.0 ]; [ 0.0; 0.0; 0.25 ] ]

    let d =
        FrechetDistance.FromMoments([| 1.0; 2.0; 3.0 |], s1, [| 0.0; 0.0; 1.0 |], s2)

    assertClose high (1.0 + 4.0 + 4.0 + 1.0 + 4.0 + 0.0) d "closed form"

let ``reference pair agrees with the pytorch-fid formula in numpy`` () =
    // numpy/scipy 1.10.1: ‖μ₁−μ₂‖² + Tr Σ₁ + Tr Σ₂ − 2 Tr sqrtm(Σ₁Σ₂).real with np.cov(rowvar=False);
    // weighted: np.average(weights=w) and np.cov(aweights=w).
    assertClose high 1.020008513369537 (frechet refA null refB null) "unweighted"
    assertClose high 1.0949178106725599 (frechet refA refWA refB refWB) "weighted"

let ``sample moments agree with MathNet's mean and covariance`` () =
    Prop.forAll (Arb.fromGen (cloudPair 20)) (fun (a, b) ->
        let d = a.[0].Length

        let moments (x: float[][]) =
            let cols = Array.init d (fun k -> x |> Array.map (fun r -> r.[k]))
            cols |> Array.map Statistics.Mean, Array2D.init d d (fun i j -> Statistics.Covariance(cols.[i], cols.[j]))

        let ma, ca = moments a
        let mb, cb = moments b
        isClose medium (FrechetDistance.FromMoments(ma, ca, mb, cb)) (frechet a null b null))

let ``zero on identical samples, symmetric, translation and permutation invariant, scales as c²`` () =
    let g = invarianceCase 20

    Prop.forAll (Arb.fromGen g) (fun (a, wa, b, wb, t, c, perm) ->
        let f = frechet a wa b wb
        let tol = { Absolute = 1e-6; Relative = 1e-6 } // square roots of nearly singular covariances

        isClose tol 0.0 (frechet a wa a wa)
        && isClose tol f (frechet b wb a wa)
        && isClose tol f (frechet (translate t a) wa (translate t b) wb)
        && isClose tol f (frechet (perm |> Array.map (fun i -> a.[i])) (perm |> Array.map (fun i -> wa.[i])) b wb)
        && isClose
            {
                Absolute = 1e-6 * c * c
                Relative = 1e-6
            }
            (c * c * f)
            (frechet (scale c a) wa (scale c b) wb)
        && f >= 0.0)

let ``unit weights equal unweighted; integer weights equal repeats up to the covariance normalisation`` () =
    let g =
        gen {
            let! a, b = cloudPair 12
            let! ka = integerWeightsOf a.Length
            return a, b, ka
        }

    Prop.forAll (Arb.fromGen g) (fun (a, b, ka) ->
        let w = Array.map float ka
        let rep = repeat a ka
        // Reliability weights divide by V₁ − V₂/V₁, repetition by Σk − 1: rescale the repeated
        // sample's deviations from its mean so that its ddof=1 covariance matches.
        let v1, v2 = Array.sum w, Array.sumBy (fun x -> x * x) w
        let f = sqrt ((v1 - 1.0) / (v1 - v2 / v1))
        let d = a.[0].Length
        let mean = Array.init d (fun k -> Array.averageBy (fun (r: float[]) -> r.[k]) rep)

        let adjusted =
            rep
            |> Array.map (fun r -> Array.init d (fun k -> mean.[k] + f * (r.[k] - mean.[k])))

        let tol = { Absolute = 1e-6; Relative = 1e-6 }

        isClose veryHigh (frechet a null b null) (frechet a (ones a.Length) b (ones b.Length))
        && isClose tol (frechet adjusted null b null) (frechet a w b null))

let ``bootstrap uncertainty is seeded and matches the spread over independent experiments (F band)`` () =
    // 3-d Gaussians N((0, 0.3, 0), diag(1, 1, 4)) against N((0.3, 0.3, 0), diag(1, 1.44, 4)), n = 300
    // each (different distributions: the statistic is smooth there). K = 300 experiments give S²;
    // m = 8 more give bootstrap SDs with R = 100 replicas each.
    // Band: scipy.stats.f.ppf([0.0005, 0.9995], 8·99, 299) = [0.7350231763607965, 1.3850370089666562].
    let rng = Random(17)

    let gauss () =
        sqrt (-2.0 * log (1.0 - rng.NextDouble()))
        * cos (2.0 * Math.PI * rng.NextDouble())

    let draw n shift =
        Array.init n (fun _ ->
            [|
                gauss () + shift
                (1.0 + shift * 2.0 / 3.0) * gauss () + 0.3
                2.0 * gauss ()
            |])

    let values =
        Array.init 300 (fun _ -> frechet (draw 300 0.0) null (draw 300 0.3) null)

    let sds =
        Array.init 8 (fun k ->
            // Coupled event by event (b = the map of a that turns the first law into the second): the
            // bootstrap sees only the two empirical distributions, so its variance is that of
            // independent samples when the two are resampled independently.
            let a = draw 300 0.0

            let b =
                a |> Array.map (fun r -> [| r.[0] + 0.3; 0.3 + 1.2 * (r.[1] - 0.3); r.[2] |])

            (FrechetDistance.Compute(a, null, b, null, FrechetDistanceOptions(BootstrapReplicas = 100, Seed = k + 1)))
                .Uncertainty)

    BootstrapCheck.assertBootstrapVariance "Fréchet distance" 0.7350231763607965 1.3850370089666562 sds values
    let a, b = draw 300 0.0, draw 300 0.0
    let r = FrechetDistance.Compute(a, null, b, null)
    Expect.equal r.Uncertainty (FrechetDistance.Compute(a, null, b, null)).Uncertainty "r.Uncertainty"

let ``bad moments are rejected`` () =
    let ex =
        raises<ArgumentException> "FrechetDistance.FromMoments([| 0.0; 0.0 |], array2D [ [ 1.0; 2.0 ];..." (fun () ->
            FrechetDistance.FromMoments(
                [| 0.0; 0.0 |],
                array2D [ [ 1.0; 2.0 ]; [ 2.0; 1.0 ] ],
                [| 0.0; 0.0 |],
                array2D [ [ 1.0; 0.0 ]; [ 0.0; 1.0 ] ]
            )
            |> ignore)

    contains "positive semi-definite" ex.Message "ex.Message"

    let ex =
        raises<ArgumentException> "frechet [| [| 1.0 |] |] null [| [| 1.0 |]; [| 2.0 |] |] null |> ignore" (fun () ->
            frechet [| [| 1.0 |] |] null [| [| 1.0 |]; [| 2.0 |] |] null |> ignore)

    contains "effective sample size" ex.Message "ex.Message"

let ``singular covariances take the eigen route and keep the closed form`` () =
    // diag(4, 0) vs diag(1, 1): d² = (2 − 1)² + (0 − 1)² = 2; and the reverse order.
    let s1 = array2D [ [ 4.0; 0.0 ]; [ 0.0; 0.0 ] ]
    let s2 = array2D [ [ 1.0; 0.0 ]; [ 0.0; 1.0 ] ]
    assertClose high 2.0 (FrechetDistance.FromMoments([| 0.0; 0.0 |], s1, [| 0.0; 0.0 |], s2)) "singular first"
    assertClose high 2.0 (FrechetDistance.FromMoments([| 0.0; 0.0 |], s2, [| 0.0; 0.0 |], s1)) "singular second"
    // A sample with a constant coordinate against itself.
    let a = Array.init 20 (fun i -> [| float i; 3.0; float (i * i % 7) |])
    assertClose { Absolute = 1e-9; Relative = 0.0 } 0.0 (frechet a null a null) "constant coordinate"

let ``symmetric eigenvalues agree with MathNet`` () =
    let g =
        gen {
            let! n = Gen.choose (1, 12)
            let! v = Gen.arrayOfLength (n * n) coordinate
            return n, v
        }

    Prop.forAll (Arb.fromGen g) (fun (n, v) ->
        let m = Array2D.init n n (fun i j -> v.[i * n + j] + v.[j * n + i])
        let ours = SymmetricEigenvalues.Compute m |> Array.sort

        let reference =
            MathNet.Numerics.LinearAlgebra.Matrix<float>.Build
                .DenseOfArray(m)
                .Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric)
                .EigenValues
            |> Seq.map (fun c -> c.Real)
            |> Seq.toArray
            |> Array.sort

        let scale = 1.0 + (reference |> Array.map abs |> Array.max)
        Array.forall2 (fun (a: float) b -> abs (a - b) <= 1e-10 * scale) ours reference)

[<Tests>]
let tests =
    testList
        "Stats.Distances.FrechetDistance"
        [
            testPropertyN 200 "closed form for two 2-d Gaussians" ``closed form for two 2-d Gaussians``
            testCase
                "commuting covariances: distance is the sum of squared differences of the standard deviations"
                ``commuting covariances: distance is the sum of squared differences of the standard deviations``
            testCase
                "reference pair agrees with the pytorch-fid formula in numpy"
                ``reference pair agrees with the pytorch-fid formula in numpy``
            testPropertyN
                60
                "sample moments agree with MathNet's mean and covariance"
                ``sample moments agree with MathNet's mean and covariance``
            testPropertyN
                60
                "zero on identical samples, symmetric, translation and permutation invariant, scales as c²"
                ``zero on identical samples, symmetric, translation and permutation invariant, scales as c²``
            testPropertyN
                60
                "unit weights equal unweighted; integer weights equal repeats up to the covariance normalisation"
                ``unit weights equal unweighted; integer weights equal repeats up to the covariance normalisation``
            testCase
                "bootstrap uncertainty is seeded and matches the spread over independent experiments (F band)"
                ``bootstrap uncertainty is seeded and matches the spread over independent experiments (F band)``
            testCase "bad moments are rejected" ``bad moments are rejected``
            testCase
                "singular covariances take the eigen route and keep the closed form"
                ``singular covariances take the eigen route and keep the closed form``
            testPropertyN 100 "symmetric eigenvalues agree with MathNet" ``symmetric eigenvalues agree with MathNet``
        ]
