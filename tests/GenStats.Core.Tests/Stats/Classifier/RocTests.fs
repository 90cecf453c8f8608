module GenStats.Tests.Stats.Classifier.RocTests

open Expecto
open System
open FsCheck
open FsCheck.FSharp
open GenStats.Stats
open GenStats.Stats.Classifier
open GenStats.Tests.Tolerance
open GenStats.Tests.Generators
open GenStats.Tests.Expectations
open GenStats.Tests.TestMain

let private auc pos neg = Roc.AucValue(pos, null, neg, null)

/// Scores on a coarse grid (ties are common) for two classes.
let private scorePair: Gen<float[] * float[]> =
    gen {
        let score = Gen.choose (-30, 30) |> Gen.map (fun i -> float i / 4.0)
        let! n = Gen.choose (1, 40)
        let! m = Gen.choose (1, 40)
        let! p = Gen.arrayOfLength n score
        let! q = Gen.arrayOfLength m score
        return p, q
    }

let private weightedScorePair =
    gen {
        let! p, q = scorePair
        let! wp = Gen.arrayOfLength p.Length positiveWeight
        let! wq = Gen.arrayOfLength q.Length positiveWeight
        return p, wp, q, wq
    }

// ---- Reference values: scikit-learn 1.2.1 roc_auc_score / roc_curve (drop_intermediate=False) ----

let private refPos, refPosW = [| 0.9; 0.4; 0.4; 0.1 |], [| 1.0; 2.0; 0.5; 1.5 |]

let private refNeg, refNegW =
    [| 0.4; 0.3; 0.8; 0.1; 0.05 |], [| 1.0; 3.0; 0.5; 2.0; 1.0 |]

let ``AUC and ROC curve match scikit-learn with sample weights and ties`` () =
    assertClose veryHigh 0.67500000000000004 (auc refPos refNeg) "unweighted AUC"
    let r = Roc.Auc(refPos, refPosW, refNeg, refNegW)
    assertClose veryHigh 0.71333333333333326 r.Value "weighted AUC"
    let c = Roc.Curve(refPos, refPosW, refNeg, refNegW)
    let fpr = [| 0.0; 0.0; 0.06666666666666667; 0.2; 0.6; 0.8666666666666667; 1.0 |]
    let tpr = [| 0.0; 0.2; 0.2; 0.7; 0.7; 1.0; 1.0 |]
    Array.iteri2 (fun i e a -> assertClose veryHigh e a (sprintf "fpr[%d]" i)) fpr c.FalsePositiveRate
    Array.iteri2 (fun i e a -> assertClose veryHigh e a (sprintf "tpr[%d]" i)) tpr c.TruePositiveRate
    Expect.equal c.Thresholds ([| infinity; 0.9; 0.8; 0.4; 0.3; 0.1; 0.05 |]) "c.Thresholds"

let ``DeLong uncertainty of a hand-computed example`` () =
    // Positives {1, 2}, negatives {0, 3}: V10 = (½, ½), V01 = (1, 0), A = ½;
    // S10 = 0, S01 = ((½)² + (½)²)/1 = ½, Var = 0/2 + ½/2 = ¼.
    let r = Roc.Auc([| 1.0; 2.0 |], null, [| 0.0; 3.0 |], null)
    assertClose veryHigh 0.5 r.Value "AUC"
    assertClose veryHigh 0.5 r.Uncertainty "DeLong σ"

let ``signed weights are linear: a negative weight can subtract a positive event`` () =
    // Positives 1 (w 1) and 2 (w −0.5), negative 1.5: (1·0 + (−0.5)·1)/0.5 = −1.
    let r = Roc.Auc([| 1.0; 2.0 |], [| 1.0; -0.5 |], [| 1.5 |], null)
    assertClose veryHigh -1.0 r.Value "AUC with an sWeight"

// ---- Properties ----

let ``AUC equals the Mann-Whitney U / (n m) counted pair by pair`` () =
    Prop.forAll (Arb.fromGen scorePair) (fun (p, q) ->
        let u =
            Array.sumBy
                (fun x ->
                    Array.sumBy
                        (fun y ->
                            if x > y then 1.0
                            elif x = y then 0.5
                            else 0.0)
                        q)
                p

        isClose veryHigh (u / float (p.Length * q.Length)) (auc p q))

let ``AUC(s) = 1 - AUC(-s), and a strictly increasing transform changes nothing`` () =
    Prop.forAll (Arb.fromGen weightedScorePair) (fun (p, wp, q, wq) ->
        let a = Roc.AucValue(p, wp, q, wq)
        let neg = Array.map (fun s -> -s)
        let f = Array.map (fun s -> s * s * s + 3.0 * s + 1.0)

        isClose veryHigh (1.0 - a) (Roc.AucValue(neg p, wp, neg q, wq))
        && isClose veryHigh a (Roc.AucValue(f p, wp, f q, wq)))

let ``the ROC curve rises monotonically from (0,0) to (1,1) and its trapezoid area is the AUC`` () =
    Prop.forAll (Arb.fromGen weightedScorePair) (fun (p, wp, q, wq) ->
        let c = Roc.Curve(p, wp, q, wq)
        let n = c.FalsePositiveRate.Length

        let monotone (xs: float[]) =
            xs |> Array.pairwise |> Array.forall (fun (a, b) -> a <= b)

        let area =
            Array.init (n - 1) (fun i ->
                (c.FalsePositiveRate.[i + 1] - c.FalsePositiveRate.[i])
                * (c.TruePositiveRate.[i + 1] + c.TruePositiveRate.[i])
                / 2.0)
            |> Array.sum

        c.FalsePositiveRate.[0] = 0.0
        && c.TruePositiveRate.[0] = 0.0
        && c.FalsePositiveRate.[n - 1] = 1.0
        && c.TruePositiveRate.[n - 1] = 1.0
        && monotone c.FalsePositiveRate
        && monotone c.TruePositiveRate
        && isClose high (Roc.AucValue(p, wp, q, wq)) area)

let ``unit weights give the unweighted AUC and DeLong error; integer weights repeat events`` () =
    Prop.forAll (Arb.fromGen (Gen.zip scorePair (Gen.choose (1, 4)))) (fun ((p, q), k) ->
        let u = Roc.Auc(p, null, q, null)
        let w = Roc.Auc(p, Array.create p.Length 1.0, q, Array.create q.Length 1.0)

        let wk =
            Roc.AucValue(p, Array.create p.Length (float k), q, Array.init q.Length (fun j -> float (j % 3 + 1)))

        let repeated =
            q |> Array.mapi (fun j s -> Array.create (j % 3 + 1) s) |> Array.concat

        isClose veryHigh u.Value w.Value
        && (Double.IsNaN u.Uncertainty && Double.IsNaN w.Uncertainty
            || isClose veryHigh u.Uncertainty w.Uncertainty)
        && isClose veryHigh (auc p repeated) wk)

let ``perfectly separated scores give AUC 1 with zero DeLong error`` () =
    Prop.forAll (Arb.fromGen scorePair) (fun (p, q) ->
        let shifted = p |> Array.map (fun s -> s + 100.0)
        let r = Roc.Auc(shifted, null, q, null)
        r.Value = 1.0 && (p.Length < 2 || q.Length < 2 || r.Uncertainty = 0.0))

let ``the AUC of two samples from one distribution is 0.5 on average`` () =
    // 400 pairs of N(0,1) samples of 50 and 40: Var(AUC) = (n+m+1)/(12nm) under H0, no ties;
    // the mean of 400 must lie within 4σ/√400 of ½.
    let rng = Random(42)

    let normal () =
        sqrt (-2.0 * log (1.0 - rng.NextDouble()))
        * cos (2.0 * Math.PI * rng.NextDouble())

    let aucs =
        Array.init 400 (fun _ -> auc (Array.init 50 (fun _ -> normal ())) (Array.init 40 (fun _ -> normal ())))

    let sigma = sqrt (91.0 / (12.0 * 50.0 * 40.0))
    Expect.isLessThan (abs (Array.average aucs - 0.5)) (4.0 * sigma / 20.0) "abs (Array.average aucs - 0.5)"
    // DeLong's error estimates that spread: its mean agrees with the exact σ to 10 %.
    let rng2 = Random(43)

    let normal2 () =
        sqrt (-2.0 * log (1.0 - rng2.NextDouble()))
        * cos (2.0 * Math.PI * rng2.NextDouble())

    let errors =
        Array.init 200 (fun _ ->
            (Roc.Auc(Array.init 50 (fun _ -> normal2 ()), null, Array.init 40 (fun _ -> normal2 ()), null)).Uncertainty)

    Expect.floatClose
        {
            absolute = 0.1 * sigma
            relative = 0.0
        }
        (Array.average errors)
        sigma
        "Array.average errors"

let ``bootstrap uncertainty is close to DeLong's`` () =
    let rng = Random(7)

    let normal () =
        sqrt (-2.0 * log (1.0 - rng.NextDouble()))
        * cos (2.0 * Math.PI * rng.NextDouble())

    let p, q =
        Array.init 300 (fun _ -> normal () + 0.5), Array.init 300 (fun _ -> normal ())

    let d = Roc.Auc(p, null, q, null)

    let b =
        Roc.Auc(p, null, q, null, AucOptions(AucUncertainty.Bootstrap, BootstrapOptions(400, 3)))

    Expect.equal b.Value d.Value "b.Value"
    // 400 replicas estimate σ to about 1/√800 ≈ 3.5 % relative; allow 15 %.
    Expect.floatClose
        {
            absolute = 0.15 * d.Uncertainty
            relative = 0.0
        }
        b.Uncertainty
        d.Uncertainty
        "b.Uncertainty"

    Expect.stringStarts b.UncertaintyMethod "poisson-bootstrap" "b.UncertaintyMethod"

let ``non-finite scores and bad weights are rejected`` () =
    let ex =
        raises<ArgumentException> "Roc.Auc([| 1.0; nan |], null, [| 0.0 |], null) |> ignore" (fun () ->
            Roc.Auc([| 1.0; nan |], null, [| 0.0 |], null) |> ignore)

    Expect.equal ex.ParamName "positiveScores" "ex.ParamName"

    let ex =
        raises<ArgumentException> "Roc.Auc([| 1.0 |], null, [| 0.0; 2.0 |], [| 1.0; -1.0 |]) |> ignore" (fun () ->
            Roc.Auc([| 1.0 |], null, [| 0.0; 2.0 |], [| 1.0; -1.0 |]) |> ignore)

    Expect.equal ex.ParamName "negativeWeights" "ex.ParamName"

[<Tests>]
let tests =
    testList
        "Stats.Classifier.Roc"
        [
            testCase
                "AUC and ROC curve match scikit-learn with sample weights and ties"
                ``AUC and ROC curve match scikit-learn with sample weights and ties``
            testCase "DeLong uncertainty of a hand-computed example" ``DeLong uncertainty of a hand-computed example``
            testCase
                "signed weights are linear: a negative weight can subtract a positive event"
                ``signed weights are linear: a negative weight can subtract a positive event``
            testPropertyN
                200
                "AUC equals the Mann-Whitney U / (n m) counted pair by pair"
                ``AUC equals the Mann-Whitney U / (n m) counted pair by pair``
            testPropertyN
                200
                "AUC(s) = 1 - AUC(-s), and a strictly increasing transform changes nothing"
                ``AUC(s) = 1 - AUC(-s), and a strictly increasing transform changes nothing``
            testPropertyN
                200
                "the ROC curve rises monotonically from (0,0) to (1,1) and its trapezoid area is the AUC"
                ``the ROC curve rises monotonically from (0,0) to (1,1) and its trapezoid area is the AUC``
            testPropertyN
                150
                "unit weights give the unweighted AUC and DeLong error; integer weights repeat events"
                ``unit weights give the unweighted AUC and DeLong error; integer weights repeat events``
            testPropertyN
                100
                "perfectly separated scores give AUC 1 with zero DeLong error"
                ``perfectly separated scores give AUC 1 with zero DeLong error``
            testCase
                "the AUC of two samples from one distribution is 0.5 on average"
                ``the AUC of two samples from one distribution is 0.5 on average``
            testCase "bootstrap uncertainty is close to DeLong's" ``bootstrap uncertainty is close to DeLong's``
            testCase "non-finite scores and bad weights are rejected" ``non-finite scores and bad weights are rejected``
        ]
