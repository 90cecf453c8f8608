module GenStats.Tests.Stats.Classifier.ClassifierTestTests

open Expecto
open System
open GenStats.Stats.Classifier
open GenStats.Tests.Stats.PointGenerators
open GenStats.Tests.Expectations

/// Φ(x) by the Abramowitz–Stegun 7.1.26 erf approximation (|error| < 1.5e-7).
let private phi (x: float) =
    let z = abs x / sqrt 2.0
    let t = 1.0 / (1.0 + 0.3275911 * z)

    let erf =
        1.0
        - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
           + 0.254829592)
          * t
          * exp (-z * z)

    if x >= 0.0 then 0.5 * (1.0 + erf) else 0.5 * (1.0 - erf)

let private classifiers: (string * (unit -> ITwoSampleClassifier)) list =
    [
        "LogisticRegressionClassifier", (fun () -> LogisticRegressionClassifier() :> ITwoSampleClassifier)
        "BoostedStumpsClassifier", (fun () -> BoostedStumpsClassifier() :> ITwoSampleClassifier)
    ]

/// One test per classifier, each with a fresh instance.
let private perClassifier name (check: ITwoSampleClassifier -> unit) =
    testList name [ for label, make in classifiers -> testCase label (fun () -> check (make ())) ]

let ``identical distributions give an AUC within 4 sigma of 0.5`` (classifier: ITwoSampleClassifier) =
    let real, gen = gaussian 101 2000 3 0.0, gaussian 102 2000 3 0.0

    let r =
        ClassifierTest.Run(real, null, gen, null, ClassifierTestOptions(classifier, Seed = 5))

    Expect.equal r.TestReal 1000 "r.TestReal"

    Expect.isLessThan
        (abs (r.Auc.Value - 0.5))
        (4.0 * r.Auc.Uncertainty)
        (sprintf "AUC %g ± %g" r.Auc.Value r.Auc.Uncertainty)
    // σ of an AUC of 0.5 with 1000 + 1000 held-out events: √((n+m+1)/(12nm)) ≈ 0.0129.
    Expect.floatClose
        {
            absolute = 0.1 * sqrt (2001.0 / 12e6)
            relative = 0.0
        }
        r.Auc.Uncertainty
        (sqrt (2001.0 / 12e6))
        "r.Auc.Uncertainty"

let ``N(0,1) against N(1,1) gives the optimal AUC Phi(1/sqrt 2)`` (classifier: ITwoSampleClassifier) =
    let expected = phi (1.0 / sqrt 2.0) // 0.76025
    let real, gen = gaussian 201 4000 1 0.0, gaussian 202 4000 1 1.0

    let r =
        ClassifierTest.Run(real, null, gen, null, ClassifierTestOptions(classifier, Seed = 9))

    Expect.isLessThan
        (abs (r.Auc.Value - expected))
        (4.0 * r.Auc.Uncertainty)
        (sprintf "AUC %g ± %g" r.Auc.Value r.Auc.Uncertainty)

let ``the same seed gives the same AUC and weights of 1 change nothing`` () =
    let real, gen = gaussian 301 300 4 0.0, gaussian 302 300 4 0.3

    let o =
        ClassifierTestOptions(BoostedStumpsClassifier(BoostedStumpsOptions(Rounds = 50)), Seed = 2)

    let a = ClassifierTest.Run(real, null, gen, null, o)
    let b = ClassifierTest.Run(real, Array.create 300 1.0, gen, Array.create 300 1.0, o)
    Expect.equal b.Auc.Value a.Auc.Value "b.Auc.Value"
    Expect.floatClose { absolute = 1e-12; relative = 0.0 } b.Auc.Uncertainty a.Auc.Uncertainty "b.Auc.Uncertainty"

let ``logistic regression finds the separating direction in several dimensions`` () =
    // Only feature 2 differs (shift 3): the AUC approaches Φ(3/√2) ≈ 0.983.
    let real = gaussian 401 1000 3 0.0

    let gen =
        gaussian 402 1000 3 0.0 |> Array.map (fun r -> [| r.[0]; r.[1]; r.[2] + 3.0 |])

    let r = ClassifierTest.Run(real, null, gen, null)

    Expect.isLessThan
        (abs (r.Auc.Value - phi (3.0 / sqrt 2.0)))
        (4.0 * r.Auc.Uncertainty + 0.005)
        "abs (r.Auc.Value - phi (3.0 / sqrt 2.0))"

let ``negative weights and tiny samples are rejected`` () =
    let a = gaussian 1 10 2 0.0
    let w = Array.init 10 (fun i -> if i = 0 then -1.0 else 1.0)

    let ex =
        raises<ArgumentException> "ClassifierTest.Run(a, w, a, null) |> ignore" (fun () ->
            ClassifierTest.Run(a, w, a, null) |> ignore)

    contains "non-negative" ex.Message "ex.Message"

    raises<ArgumentException> "ClassifierTest.Run(gaussian 1 3 2 0.0, null, a, null) |> ignore" (fun () ->
        ClassifierTest.Run(gaussian 1 3 2 0.0, null, a, null) |> ignore)
    |> ignore

[<Tests>]
let tests =
    testList
        "Stats.Classifier.ClassifierTest"
        [
            perClassifier
                "identical distributions give an AUC within 4 sigma of 0.5"
                ``identical distributions give an AUC within 4 sigma of 0.5``
            perClassifier
                "N(0,1) against N(1,1) gives the optimal AUC Phi(1/sqrt 2)"
                ``N(0,1) against N(1,1) gives the optimal AUC Phi(1/sqrt 2)``
            testCase
                "the same seed gives the same AUC and weights of 1 change nothing"
                ``the same seed gives the same AUC and weights of 1 change nothing``
            testCase
                "logistic regression finds the separating direction in several dimensions"
                ``logistic regression finds the separating direction in several dimensions``
            testCase "negative weights and tiny samples are rejected" ``negative weights and tiny samples are rejected``
        ]
