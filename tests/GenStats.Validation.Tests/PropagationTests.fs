module GenStats.Tests.Validation.PropagationTests

open System
open Expecto
open GenStats.Tests
open GenStats.Tests.TestMain
open GenStats.Stats
open GenStats.Validation
open GenStats.Validation.FiguresOfMerit
open GenStats.Validation.Propagation
open GenStats.Tests.Tolerance

let private normals (seed: int) n =
    let rng = Random(seed)

    Array.init n (fun _ ->
        sqrt (-2.0 * log (1.0 - rng.NextDouble()))
        * cos (2.0 * Math.PI * rng.NextDouble()))

let ``summary of a hand-made ensemble`` () =
    let mk i v u =
        {
            Index = i
            Seed = i
            Result = { Value = v; Uncertainty = u }
        }

    let s = summarize (Some 2.0) [ mk 0 1.0 0.0; mk 1 2.0 0.0; mk 2 3.0 0.0 ]
    assertClose veryHigh 2.0 s.Central "central"
    assertClose veryHigh 1.0 s.Systematic "systematic" // sample sd of 1, 2, 3
    assertClose veryHigh (1.0 / sqrt 3.0) s.CentralUncertainty "uncertainty of the central value"
    Expect.isTrue (s.Pulls = [| -1.0; 0.0; 1.0 |]) ($"pulls {s.Pulls}")
    assertClose veryHigh 1.0 s.Coverage.Value "coverage" // |pull| ≤ 1 for all three

let ``replica weights are reproducible and differ between members`` () =
    let a = replicaWeights 5 0 None 100
    Expect.isTrue (replicaWeights 5 0 None 100 = a) "same seed, same weights"
    Expect.isTrue (replicaWeights 5 1 None 100 <> a) "another member, other weights"
    Expect.isTrue (a |> Array.forall (fun m -> m >= 0.0 && m = floor m)) "Poisson multipliers are counts"

let ``the ensemble spread of a bootstrapped mean matches its standard error and covers the truth`` () =
    // "Model" = the weighted mean of a training sample of N(0,1); its intrinsic uncertainty is 1/√N.
    let train = normals 42 4000

    let summary =
        run 60 7 train.Length None (Some 0.0) ignore (fun _ _ w ->
            {
                Value = WeightedDescriptive.Mean(train, w)
                Uncertainty = 0.0
            })

    let expected = WeightedDescriptive.StandardErrorOfMean train
    // 60 members estimate a standard deviation to ±9 %; allow 4 σ of that.
    assertClose { Absolute = 0.0; Relative = 0.37 } expected summary.Systematic "systematic vs 1/√N"
    // The ensemble is centred on this training sample's mean, which is within 4/√N of the truth.
    Expect.isLessThan (abs summary.Central) (4.0 * expected + 4.0 * summary.CentralUncertainty) "abs summary.Central"

let ``an ensemble needs at least two members`` () =
    Expectations.raises<ArgumentException>
        "run 1 1 10 None None ignore (fun _ _ _ -> { Value = 0.0; Uncertaint..."
        (fun () ->
            run 1 1 10 None None ignore (fun _ _ _ -> { Value = 0.0; Uncertainty = 0.0 })
            |> ignore)
    |> ignore

let ``an oversampled mean has the row-clustered sigma`` () =
    // 2 condition rows × K = 2, weights ½: mean = ½(1 + 3 + 2 + 6)/2 = 3; weighted residuals
    // −1, 0, −0.5, 1.5; row sums −1 and 1: Var = G/(G − 1)·Σ R²/(Σw)² = 2·2/4 = 1 (by hand)
    let sample =
        GenStats.Models.OversampledSample(
            [| [| 0.0 |]; [| 0.0 |]; [| 1.0 |]; [| 1.0 |] |],
            [| [| 1.0 |]; [| 3.0 |]; [| 2.0 |]; [| 6.0 |] |],
            [| 0.5; 0.5; 0.5; 0.5 |],
            [| 0; 0; 1; 1 |],
            2
        )

    let m = oversampledMean sample [| 1.0; 3.0; 2.0; 6.0 |]
    assertClose veryHigh 3.0 m.Value "mean"
    assertClose veryHigh 1.0 m.Uncertainty "clustered σ"

    Expect.throwsT<ArgumentException>
        (fun () -> oversampledMean sample [| 1.0 |] |> ignore)
        "one value per oversampled event"

[<Tests>]
let tests =
    testList
        "PropagationTests"
        [
            testCase "summary of a hand-made ensemble" ``summary of a hand-made ensemble``
            testCase
                "replica weights are reproducible and differ between members"
                ``replica weights are reproducible and differ between members``
            testCase
                "the ensemble spread of a bootstrapped mean matches its standard error and covers the truth"
                ``the ensemble spread of a bootstrapped mean matches its standard error and covers the truth``
            testCase "an ensemble needs at least two members" ``an ensemble needs at least two members``
            testCase "an oversampled mean has the row-clustered σ" ``an oversampled mean has the row-clustered sigma``
        ]
