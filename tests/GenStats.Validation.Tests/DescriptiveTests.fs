/// Fixed replay seed: every run draws the same cases, so a failure always reproduces.
[<FsCheck.NUnit.Properties(Replay = "(20261124,1013904223)")>]
module GenStats.Tests.Validation.DescriptiveTests

open NUnit.Framework
open FsCheck.FSharp
open FsCheck.NUnit
open MathNet.Numerics.Statistics
open GenStats.Validation
open GenStats.Tests.Tolerance
open GenStats.Tests.Generators

[<Property(MaxTest = 100)>]
let ``the F# module reads naturally in a pipeline and agrees with MathNet`` () =
    Prop.forAll (Arb.fromGen sample) (fun xs ->
        isClose veryHigh (Statistics.Mean xs) (xs |> Descriptive.mean None)
        && isClose high (Statistics.Variance xs) (xs |> Descriptive.variance None)
        && isClose high (Statistics.QuantileCustom(xs, 0.5, QuantileDefinition.R7)) (xs |> Descriptive.quantile None 0.5)
        && (xs |> Descriptive.effectiveSampleSize None) = float xs.Length)

[<Test>]
let ``weighted summary of a hand-computed example`` () =
    // x = [1, 2, 4], w = [1, 2, 1]: mean 9/4, variance 4.75 / 2.5 = 1.9, ESS 16/6.
    let s = [| 1.0; 2.0; 4.0 |] |> Descriptive.summarize (Some [| 1.0; 2.0; 1.0 |])
    assertClose veryHigh 2.25 s.Mean "mean"
    assertClose veryHigh 1.9 s.Variance "variance"
    assertClose veryHigh (16.0 / 6.0) s.EffectiveSampleSize "ESS"
    assertClose veryHigh (16.0 / 6.0) ([| 1.0; 2.0; 4.0 |] |> Descriptive.effectiveSampleSize (Some [| 1.0; 2.0; 1.0 |])) "ESS function"

[<Test>]
let ``bad input surfaces as an ArgumentException from F# too`` () =
    let ex = Assert.Throws<System.ArgumentException>(fun () -> [| 1.0; nan |] |> Descriptive.mean None |> ignore)
    Assert.That(ex.Message, Does.Contain("values[1]"))
    Assert.Throws<System.ArgumentException>(fun () ->
        [| 1.0; 2.0 |] |> Descriptive.effectiveSampleSize (Some [| 1.0 |]) |> ignore) |> ignore
