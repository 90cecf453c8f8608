module GenStats.Tests.Validation.PrecisionRecallTests

open Expecto
open GenStats.Tests
open GenStats.Tests.TestMain
open GenStats.Validation
open GenStats.Tests.Tolerance

let private col (xs: float list) =
    xs |> List.map (fun x -> [| x |]) |> Array.ofList

let ``prdc from F# reproduces the prdc mode-collapse numbers`` () =
    // Real 0…9, all generated at 0, k = 5: prdc gives (1, 0, 0.6, 0.3).
    let r =
        Array.init 10 (fun _ -> [| 0.0 |])
        |> PrecisionRecall.prdc 5 (col [ 0.0 .. 9.0 ])

    assertClose veryHigh 1.0 r.Precision.Value "precision"
    assertClose veryHigh 0.0 r.Recall.Value "recall"
    assertClose veryHigh 0.6 r.Density.Value "density"
    assertClose veryHigh 0.3 r.Coverage.Value "coverage"

    let w =
        PrecisionRecall.prdcWeighted
            5
            (col [ 0.0 .. 9.0 ], None)
            (Array.init 10 (fun _ -> [| 0.0 |]), Some(Array.create 10 2.0))

    assertClose veryHigh 0.3 w.Coverage.Value "weighted coverage"

let ``AUC and the classifier test read naturally from F#`` () =
    // sklearn roc_auc_score([1,1,0,0], [0.9,0.4,0.4,0.1]) = 0.875.
    let a = Classifier.auc None [| 0.9; 0.4 |] None [| 0.4; 0.1 |]
    assertClose veryHigh 0.875 a.Value "AUC"
    let real = Array.init 200 (fun i -> [| float i |])
    let gen = Array.init 200 (fun i -> [| float i + 1000.0 |])
    let r = gen |> Classifier.test (Classifier.logistic 1.0) 3 real
    assertClose veryHigh 1.0 r.Auc.Value "separable samples"

[<Tests>]
let tests =
    testList
        "PrecisionRecallTests"
        [
            testCase
                "prdc from F# reproduces the prdc mode-collapse numbers"
                ``prdc from F# reproduces the prdc mode-collapse numbers``
            testCase
                "AUC and the classifier test read naturally from F#"
                ``AUC and the classifier test read naturally from F#``
        ]
