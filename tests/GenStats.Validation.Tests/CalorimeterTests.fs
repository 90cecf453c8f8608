/// The shower figures of merit on the ECAL toy: an independent truth sample passes the stated
/// criterion, and samples with a 5 % energy-scale error or 20 % wider showers fail it.
module GenStats.Tests.Validation.CalorimeterTests

open Expecto
open GenStats.Data.Images
open GenStats.Physics
open GenStats.Validation
open GenStats.Tests.TestMain

let private n = 3000

/// Fewer spots per GeV than the default keep the samples quick; every sample shares the options.
let private toy (seed: int) (o: EcalOptions) = EcalToy.Sample(n, seed, o)

let private fast = EcalOptions(SpotsPerGeV = 10.0)

let private options = Calorimeter.defaultOptions

let private regressor = Calorimeter.analyticRegressor 0.3 options.Features

let private truth = lazy (Calorimeter.showerSample options "truth" (toy 1 fast))

let private control = lazy (Calorimeter.showerSample options "control" (toy 2 fast))

let private verdict (generated: ImageDataset) =
    Calorimeter.compareSamples
        options
        regressor
        (truth.Force())
        (Calorimeter.showerSample options "generated" generated)
        (control.Force())

let ``an independent toy sample passes, and so does the control`` () =
    let r = verdict (toy 3 fast)
    Expect.isTrue r.ControlPasses $"control: {r.ControlSummary}"
    Expect.isTrue r.GeneratedPasses $"independent sample: {r.GeneratedSummary}"
    // E[RMS] = 1 for N(0, 1) deviations; the FID rows are against the control and partly cancel.
    Expect.isLessThan r.GeneratedSummary.Rms 1.5 "RMS of the independent sample's σ"
    Expect.isGreaterThan r.GeneratedSummary.Count 60 "most bins are defined"

let ``energies × 1.05 fail`` () =
    let g = toy 3 fast

    let scaled =
        ImageDataset.Create(
            Array.map (fun v -> v * 1.05f) g.Images,
            g.Count,
            g.Height,
            g.Width,
            g.Conditions,
            Seq.toArray g.ConditionNames
        )

    let r = verdict scaled
    Expect.isFalse r.GeneratedPasses $"a 5 %% energy scale error passed: {r.GeneratedSummary}"
    // The response rows alone are far out: the per-bin precision is ~0.2 %.
    let response = r.Rows |> List.filter (fun x -> x.Quantity.StartsWith "response")

    for x in response do
        Expect.isGreaterThan x.GeneratedSigma 4.0 $"response in {x.Bin}"

let ``showers 20 % wider (Molière radius × 1.2) fail`` () =
    let r = verdict (toy 3 (EcalOptions(SpotsPerGeV = 10.0, MoliereRadius = 3.5 * 1.2)))
    Expect.isFalse r.GeneratedPasses $"20 %% wider showers passed: {r.GeneratedSummary}"

    let widths = r.Rows |> List.filter (fun x -> x.Quantity = "width_x vs px/pz")

    Expect.isTrue (widths |> List.forall (fun x -> x.GeneratedSigma > 4.0)) "every width bin is above truth by > 4σ"

[<Tests>]
let tests =
    testList
        "Calorimeter"
        [
            slow
                [
                    testCase
                        "an independent toy sample passes, and so does the control"
                        ``an independent toy sample passes, and so does the control``
                    testCase "energies × 1.05 fail" ``energies × 1.05 fail``
                    testCase
                        "showers 20 % wider (Molière radius × 1.2) fail"
                        ``showers 20 % wider (Molière radius × 1.2) fail``
                ]
        ]
