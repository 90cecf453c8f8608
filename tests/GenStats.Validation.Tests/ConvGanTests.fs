/// The F# ConvGan module: training on an ImageDataset, sampling at a sample's conditions, and the
/// model's regressor as a Calorimeter.Regressor.
module GenStats.Tests.Validation.ConvGanTests

open Expecto
open GenStats.Data.Images
open GenStats.Models
open GenStats.Validation

let private tiny =
    ConvGanOptions(
        LatentSize = 4,
        GeneratorChannels = [| 8; 4 |],
        CriticChannels = [| 4; 8 |],
        CriticHidden = 8,
        RegressorChannels = [| 4; 4 |],
        RegressorSteps = 5,
        BatchSize = 8,
        Steps = 2,
        CriticSteps = 1,
        HeldOutFraction = 0.0
    )

/// 24 images of 6 × 6 with one condition e = 1 + i mod 4 and cell values e·(r + c)/60.
let private sample () =
    let n, h, w = 24, 6, 6

    let images =
        Array.init (n * h * w) (fun k ->
            let i, cell = k / (h * w), k % (h * w)
            float32 (1 + i % 4) * float32 (cell / w + cell % w) / 60f)

    ImageDataset.Create(images, n, h, w, Array.init n (fun i -> float32 (1 + i % 4)), [| "e" |])

[<Tests>]
let tests =
    testList
        "ConvGan"
        [
            testCase "train, sampleAt keeps the conditions, the regressor recovers named conditions"
            <| fun () ->
                let data = sample ()
                let m = ConvGan.train tiny data
                let g = ConvGan.sampleAt 3 data m
                Expect.equal (g.Count, g.Height, g.Width) (24, 6, 6) "one 6 × 6 image per condition row"
                Expect.equal g.Conditions data.Conditions "the conditions are the input's"
                Expect.equal (ConvGan.sampleAt 3 data m).Images g.Images "same seed, same images"
                let r = (ConvGan.regressor m).Recover g
                Expect.equal (r |> List.map fst) [ "e" ] "recovered under the condition names"
                Expect.equal (snd r[0]).Length 24 "one value per image"
        ]
