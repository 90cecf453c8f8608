/// Issue 12's acceptance: every neural model learns the 1-D camel and the 2-D ring with its
/// DEFAULT options (nothing set but the model kind), on seeds used nowhere else, judged against
/// independent truth samples. This is what `genstats train --model M` does with no other option.
module GenStats.Tests.Models.DefaultsAcceptanceTests

open Expecto
open GenStats.Models
open GenStats.Physics
open GenStats.Stats
open GenStats.Tests.TestMain

/// 20 000 training events (the issue's size); 20 000 generated vs 100 000 truth events. The W1
/// of two such truth samples is ≈ 0.01 (camel) — the 0.10 bound is the issue's, ten times that floor.
let private nTrain, nGen, nTruth = 20000, 20000, 100000

let private column (rows: float[][]) c = rows |> Array.map (fun r -> r[c])

let private rowsOf (d: GenStats.Data.Dataset) (names: string[]) =
    Array.init d.Count (fun i -> names |> Array.map (fun n -> (d.Column n)[i]))

type private Model =
    | Gan of GanLoss
    | Vae
    | FlowMatching
    | Flow

let private train model (rows: float[][]) : IConditionalGenerator =
    match model with
    | Gan loss -> (GanTrainer.Train(rows, null, null, GanOptions(Loss = loss))).Model
    | Vae -> (VaeTrainer.Train(rows, null, null, VaeOptions())).Model
    | FlowMatching -> (FlowMatchingTrainer.Train(rows, null, null, FlowMatchingOptions())).Model
    | Flow -> (FlowTrainer.Train(rows, null, null, FlowOptions())).Model

let private camel model () =
    let data = BimodalGaussian.Sample(nTrain, 1201)
    let truth = (BimodalGaussian.Sample(nTruth, 1202)).Column "x"
    let g = column ((train model (rowsOf data [| "x" |])).Sample(nGen, 1203)) 0
    let w1 = CdfDistances.Wasserstein1Value(g, truth)
    Expect.isLessThan w1 0.10 (sprintf "W1(generated, truth) = %.4f" w1)
    // σ of a fraction of 20 000 draws is 0.0035: a mode off by 0.03 is a real imbalance, not noise
    let upper =
        float (g |> Array.filter (fun v -> v > 0.0) |> Array.length) / float nGen

    Expect.isLessThan (abs (upper - 0.5)) 0.03 (sprintf "fraction in the upper mode %.4f" upper)

let private ring model () =
    // radius N(3, 0.3²), uniform angle (the issue's ring)
    let data = GaussianRing.Sample(nTrain, 1301, 3.0, 0.3)
    let truth = GaussianRing.Sample(nTruth, 1302, 3.0, 0.3)
    let g = (train model (rowsOf data GaussianRing.Columns)).Sample(nGen, 1303)

    GaussianRing.Columns
    |> Array.iteri (fun c name ->
        let w1 = CdfDistances.Wasserstein1Value(column g c, truth.Column name)
        Expect.isLessThan w1 0.10 (sprintf "W1(generated %s, truth) = %.4f" name w1))

let private models =
    [
        "cramer", Gan GanLoss.Cramer
        "wgan-gp", Gan GanLoss.WganGp
        "vae", Vae
        "cfm", FlowMatching
        "flow", Flow
    ]

[<Tests>]
let tests =
    testList
        "Models.DefaultsAcceptance"
        [
            slow
                [
                    for name, m in models do
                        testCase
                            $"{name} with default options learns the camel ½(N(−4,1) + N(4,1)): W1 < 0.10, modes 0.50 ± 0.03"
                            (camel m)

                        testCase
                            $"{name} with default options learns the ring r ~ N(3, 0.3²): W1 < 0.10 per coordinate"
                            (ring m)
                ]
        ]
