// Calorimeter showers (ECAL fast simulation): the shower figures of merit of generated images
// against the ECAL toy's truth, next to an independent truth sample (the control), with the pass
// criterion of the RICH report stated on the page.
// Run from the repository root (writes out/calorimeter.html and out/calorimeter.json):
//   dotnet build src/GenStats.Validation -c Release && dotnet fsi validation/calorimeter.fsx [generated.h5]
// The generated showers: the first argument that is not an option, or GENSTATS_SHOWERS; an image
// file (HDF5 simple layout or CSV cell_r_c) with conditions px, py, pz, x, y, e.g. from
// `genstats sample` of a conv GAN at the conditions of a truth file. Without one, the page shows
// a second independent toy sample in the generated column (it must pass).
// `--quick`: 2 000 events per sample (seconds), for smoke runs and the tests; default 20 000.
#load "GenStats.fsx"

open System
open GenStats.Data.Images
open GenStats.Physics
open GenStats.Validation
open GenStats.Validation.Studies

let args = fsi.CommandLineArgs |> Array.skip 1
let quick = args |> Array.contains "--quick"
let events = if quick then 2_000 else 20_000

let generatedFile =
    match args |> Array.tryFind (fun a -> not (a.StartsWith "--")) with
    | Some f -> Some f
    | None ->
        Environment.GetEnvironmentVariable "GENSTATS_SHOWERS"
        |> Option.ofObj
        |> Option.filter ((<>) "")

// 1. Truth and control: two toy samples with different seeds (docs/physics.md, EcalToy).
let truth = Physics.ecal 101 events
let control = Physics.ecal 202 events

// 2. Generated: the file, or a third independent toy sample standing in for a perfect model.
let generated, generatedName =
    match generatedFile with
    | Some f -> ImageFile.Read f, IO.Path.GetFileName f
    | None -> Physics.ecal 303 events, "toy (seed 303)"

if generated.Height <> truth.Height || generated.Width <> truth.Width then
    failwithf
        "the generated images are %d × %d but the toy's are %d × %d; compare showers of the same grid."
        generated.Height
        generated.Width
        truth.Height
        truth.Width

// 3. The figures of merit: the toy's settings and the analytic regressor (|p| = Σ cells / f,
//    impact point = barycentre); a trained regressor of the conditions replaces it when given.
let options = Calorimeter.defaultOptions

let regressor =
    Calorimeter.analyticRegressor EcalOptions.Default.SamplingFraction options.Features

let result =
    Calorimeter.compareSamples
        options
        regressor
        (Calorimeter.showerSample options "truth" truth)
        (Calorimeter.showerSample options generatedName generated)
        (Calorimeter.showerSample options "control (seed 202)" control)

// 4. The page.
Calorimeter.sections result
|> StudyReport.report
    "Calorimeter showers: generated vs ECAL toy truth"
    [
        sprintf
            "%d truth showers (seed 101), %d control showers (seed 202), %d generated showers (%s); 30 × 30 cells of 2 cm, conditions px, py, pz, x, y."
            truth.Count
            control.Count
            generated.Count
            generatedName
        sprintf
            "Verdict: generated %s (RMS σ %.2f, max |σ| %.2f over %d), control %s (RMS σ %.2f, max |σ| %.2f over %d)."
            (if result.GeneratedPasses then "PASSES" else "FAILS")
            result.GeneratedSummary.Rms
            result.GeneratedSummary.MaxAbs
            result.GeneratedSummary.Count
            (if result.ControlPasses then "PASSES" else "FAILS")
            result.ControlSummary.Rms
            result.ControlSummary.MaxAbs
            result.ControlSummary.Count
    ]
    (Text.Json.Nodes.JsonObject(dict [ "calorimeter", Calorimeter.json result :> Text.Json.Nodes.JsonNode ]))
|> StudyReport.writeAll "out" "calorimeter"
