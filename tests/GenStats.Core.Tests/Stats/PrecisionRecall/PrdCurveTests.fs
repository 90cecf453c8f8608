module GenStats.Tests.Stats.PrecisionRecall.PrdCurveTests

open Expecto
open FsCheck
open FsCheck.FSharp
open GenStats.Stats.PrecisionRecall
open GenStats.Tests.Tolerance
open GenStats.Tests.Stats.PointGenerators
open GenStats.Tests.Expectations
open GenStats.Tests.TestMain

// Small settings keep the k-means cheap; the curve definition is the reference's.
let private fast = PrdOptions(Runs = 3, InitsPerRun = 2, BootstrapReplicas = 0)

let ``the curve of two discrete distributions matches prd_score.compute_prd`` () =
    // Values from the reference prd_score.py (compute_prd + prd_to_max_f_beta_pair), numpy.
    let c = PrdCurve.FromDistributions([| 0.5; 0.5 |], [| 1.0; 0.0 |])
    assertClose high 5.0000000000000002e-11 c.Precision.[0] "precision at the smallest slope"
    assertClose high 0.5 c.Recall.[0] "recall at the smallest slope"
    assertClose high 0.5 c.Precision.[500] "precision at λ = 1"
    assertClose medium 1.0000006950637704e-10 c.Recall.[1000] "recall at the largest slope"
    assertClose high 0.50386318726504709 (PrdCurve.MaxFBeta(c.Precision, c.Recall, 8.0)) "F8"
    assertClose high 0.98482887532311036 (PrdCurve.MaxFBeta(c.Precision, c.Recall, 1.0 / 8.0)) "F1/8"

    let c2 =
        PrdCurve.FromDistributions([| 0.1; 0.2; 0.3; 0.4 |], [| 0.25; 0.25; 0.4; 0.1 |])

    assertClose high 0.95579150174836625 (PrdCurve.MaxFBeta(c2.Precision, c2.Recall, 8.0)) "F8 (4 states)"
    assertClose high 0.97740375406072866 (PrdCurve.MaxFBeta(c2.Precision, c2.Recall, 0.125)) "F1/8 (4 states)"
    Expect.equal c2.Slopes.Length 1001 "c2.Slopes.Length"

let ``identical samples give F8 = F1/8 = 1`` () =
    let a = gaussian 3 400 4 0.0
    let r = PrdCurve.Compute(a, null, Array.map Array.copy a, null, fast)
    // Identical histograms: α = β = 1 at λ = tan(π/4), so F = 65/(65 + 10⁻¹⁰) ≈ 1 − 1.5·10⁻¹².
    assertClose high 1.0 r.FBeta.Value "F8"
    assertClose high 1.0 r.FInverseBeta.Value "F1/8"

let ``disjoint samples give F8 = F1/8 = 0`` () =
    let r =
        PrdCurve.Compute(gaussian 3 300 2 0.0, null, gaussian 4 300 2 1000.0, null, fast)

    assertClose medium 0.0 r.FBeta.Value "F8"
    assertClose medium 0.0 r.FInverseBeta.Value "F1/8"

let ``dropping a mode lowers F8 (recall) but keeps F1/8 (precision) high`` () =
    // Real: two far-apart blobs; generated: only the first. The histograms approach
    // p = (½, ½), q = (1, 0) per blob, whose reference scores are F8 ≈ 0.504, F1/8 ≈ 0.985.
    let real = Array.append (gaussian 5 300 2 0.0) (gaussian 6 300 2 50.0)
    let gen = gaussian 7 600 2 0.0

    let r =
        PrdCurve.Compute(real, null, gen, null, PrdOptions(Runs = 3, InitsPerRun = 2, BootstrapReplicas = 50))

    Expect.isGreaterThanOrEqual r.FBeta.Value 0.45 "F8"
    Expect.isLessThanOrEqual r.FBeta.Value 0.6 "F8"
    Expect.isGreaterThan r.FInverseBeta.Value 0.9 "F1/8"
    Expect.isGreaterThan r.FBeta.Uncertainty 0.0 "bootstrap error of F8"
    Expect.isLessThan r.FBeta.Uncertainty 0.1 "bootstrap error of F8"
    Expect.isTrue (r.Precision |> Array.forall (fun v -> v >= 0.0 && v <= 1.0)) "precision within 0..1"

let ``unit weights reproduce the unweighted result and the seed fixes the answer`` () =
    let a, b = gaussian 8 200 3 0.0, gaussian 9 150 3 0.5
    let u = PrdCurve.Compute(a, null, b, null, fast)
    let w = PrdCurve.Compute(a, Array.create 200 1.0, b, Array.create 150 1.0, fast)
    let again = PrdCurve.Compute(a, null, b, null, fast)
    assertClose veryHigh u.FBeta.Value w.FBeta.Value "F8 weighted vs unweighted"
    assertClose veryHigh u.FInverseBeta.Value w.FInverseBeta.Value "F1/8 weighted vs unweighted"
    Expect.equal again.Precision u.Precision "again.Precision"

let ``weighted k-means recovers well-separated clusters`` () =
    let x =
        Array.concat [ gaussian 1 50 2 0.0; gaussian 2 50 2 100.0; gaussian 3 50 2 -100.0 ]

    let r = KMeans.Fit(x, null, KMeansOptions(Clusters = 3, Inits = 2))

    for block in 0..2 do
        let labels = r.Labels.[block * 50 .. block * 50 + 49] |> Array.distinct
        Expect.equal labels.Length 1 (sprintf "blob %d is one cluster" block)

    Expect.equal (r.Labels |> Array.distinct |> Array.length) 3 "r.Labels |> Array.distinct |> Array.length"

let private histogramPair: Gen<float[] * float[]> =
    gen {
        let! n = Gen.choose (1, 25)
        let mass = Gen.choose (0, 100) |> Gen.map float
        let! p = Gen.arrayOfLength n mass
        let! q = Gen.arrayOfLength n mass
        return p, q
    }
    |> Gen.filter (fun (p, q) -> Array.sum p > 0.0 && Array.sum q > 0.0)

let ``swapping reference and evaluated swaps F8 and F1/8, and every value lies in 0..1`` () =
    // α_QP(λ) = λ·β_PQ(1/λ) and the angle grid is symmetric about π/4, so the curve mirrors.
    Prop.forAll (Arb.fromGen histogramPair) (fun (p, q) ->
        let pq = PrdCurve.FromDistributions(p, q)
        let qp = PrdCurve.FromDistributions(q, p)

        let f8 (c: PrdCurvePoints) =
            PrdCurve.MaxFBeta(c.Precision, c.Recall, 8.0)

        let f18 (c: PrdCurvePoints) =
            PrdCurve.MaxFBeta(c.Precision, c.Recall, 0.125)

        isClose medium (f8 pq) (f18 qp)
        && isClose medium (f18 pq) (f8 qp)
        && Array.forall (fun v -> v >= 0.0 && v <= 1.0) (Array.append pq.Precision pq.Recall)
        && f8 pq <= 1.0
        && f18 pq <= 1.0)

[<Tests>]
let tests =
    testList
        "Stats.PrecisionRecall.PrdCurve"
        [
            testCase
                "the curve of two discrete distributions matches prd_score.compute_prd"
                ``the curve of two discrete distributions matches prd_score.compute_prd``
            testCase "identical samples give F8 = F1/8 = 1" ``identical samples give F8 = F1/8 = 1``
            testCase "disjoint samples give F8 = F1/8 = 0" ``disjoint samples give F8 = F1/8 = 0``
            testCase
                "dropping a mode lowers F8 (recall) but keeps F1/8 (precision) high"
                ``dropping a mode lowers F8 (recall) but keeps F1/8 (precision) high``
            testCase
                "unit weights reproduce the unweighted result and the seed fixes the answer"
                ``unit weights reproduce the unweighted result and the seed fixes the answer``
            testCase
                "weighted k-means recovers well-separated clusters"
                ``weighted k-means recovers well-separated clusters``
            testPropertyN
                100
                "swapping reference and evaluated swaps F8 and F1/8, and every value lies in 0..1"
                ``swapping reference and evaluated swaps F8 and F1/8, and every value lies in 0..1``
        ]
