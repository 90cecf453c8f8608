/// Fixed replay seed: every run draws the same cases, so a failure always reproduces.
module GenStats.Tests.Validation.DescriptiveTests

open Expecto
open GenStats.Tests
open GenStats.Tests.TestMain
open FsCheck.FSharp
open MathNet.Numerics.Statistics
open GenStats.Validation
open GenStats.Tests.Tolerance
open GenStats.Tests.Generators

let ``the F# module reads naturally in a pipeline and agrees with MathNet`` () =
    Prop.forAll (Arb.fromGen sample) (fun xs ->
        isClose veryHigh (Statistics.Mean xs) (xs |> Descriptive.mean None)
        && isClose high (Statistics.Variance xs) (xs |> Descriptive.variance None)
        && isClose
            high
            (Statistics.QuantileCustom(xs, 0.5, QuantileDefinition.R7))
            (xs |> Descriptive.quantile None 0.5)
        && (xs |> Descriptive.effectiveSampleSize None) = float xs.Length)

let ``weighted summary of a hand-computed example`` () =
    // x = [1, 2, 4], w = [1, 2, 1]: mean 9/4, variance 4.75 / 2.5 = 1.9, ESS 16/6.
    let s = [| 1.0; 2.0; 4.0 |] |> Descriptive.summarize (Some [| 1.0; 2.0; 1.0 |])
    assertClose veryHigh 2.25 s.Mean "mean"
    assertClose veryHigh 1.9 s.Variance "variance"
    assertClose veryHigh (16.0 / 6.0) s.EffectiveSampleSize "ESS"

    assertClose
        veryHigh
        (16.0 / 6.0)
        ([| 1.0; 2.0; 4.0 |]
         |> Descriptive.effectiveSampleSize (Some [| 1.0; 2.0; 1.0 |]))
        "ESS function"

let ``bad input surfaces as an ArgumentException from F# too`` () =
    let ex =
        Expectations.raises<System.ArgumentException> "[| 1.0; nan |] |> Descriptive.mean None" (fun () ->
            [| 1.0; nan |] |> Descriptive.mean None |> ignore)

    Expectations.contains "values[1]" ex.Message "ex.Message"

    Expectations.raises<System.ArgumentException>
        "[| 1.0; 2.0 |] |> Descriptive.effectiveSampleSize (Some [| 1.0 |])"
        (fun () -> [| 1.0; 2.0 |] |> Descriptive.effectiveSampleSize (Some [| 1.0 |]) |> ignore)
    |> ignore

[<Tests>]
let tests =
    testList
        "DescriptiveTests"
        [
            testPropertyN
                100
                "the F# module reads naturally in a pipeline and agrees with MathNet"
                ``the F# module reads naturally in a pipeline and agrees with MathNet``
            testCase "weighted summary of a hand-computed example" ``weighted summary of a hand-computed example``
            testCase
                "bad input surfaces as an ArgumentException from F# too"
                ``bad input surfaces as an ArgumentException from F# too``
        ]
