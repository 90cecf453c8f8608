// Marginal-statistic hold-out with the GAN trainer on the LogNormal-pair toy (2 000 events of
// (ln x1, ln x2) — Gaussian-like, so a short training converges): one Cramér GAN trained with the
// distribution of s = y1 + y2 enforced through an AuxiliaryStatistic (MMD), one without; every
// statistic's σ-deviation real vs generated for both. MMD acts on the whole distribution of s, so
// both its mean and its sd are labelled "in the loss — not evidence" with their measured σ (and
// flagged "still off" when the loss did not bring them within 3σ). A template for
// your own study: swap the real sample, the statistics and the trainer for yours.
// Run from the repository root (writes out/holdout.html and out/holdout.json):
//   dotnet build src/GenStats.Validation -c Release && dotnet fsi validation/holdout.fsx
// `--quick` (dotnet fsi validation/holdout.fsx --quick): 400 real events and 5 GAN steps, which
// runs in seconds (for smoke runs and the tests; the models are then untrained).
// GENSTATS_HOLDOUT_STEPS sets the GAN steps (default 600; 5 with --quick).
#load "GenStats.fsx"

open System
open GenStats.Models
open GenStats.Tensors
open GenStats.Validation
open GenStats.Validation.Studies

let quick = fsi.CommandLineArgs |> Array.contains "--quick"

// 1. Sizes: real events and GAN training steps per model.
let events = if quick then 400 else 2_000

let steps =
    match Environment.GetEnvironmentVariable "GENSTATS_HOLDOUT_STEPS" with
    | null
    | "" -> if quick then 5 else 600
    | s -> int s

// 2. Data: LogNormal pairs in log space, y = (ln x1, ln x2): two independent N(0, 1) columns.
let d = Physics.logNormalPair None 2026 events

let real =
    Array.map2 (fun a b -> [| log a; log b |]) (d |> Data.column "x1") (d |> Data.column "x2")

// 3. The statistics to compare, real vs generated: each a weighted function of the rows with a
//    100-replica Poisson-bootstrap uncertainty (seed 11).
let boot = Metrics1D.bootstrap 100 11
let col j (rows: float[][]) = rows |> Array.map (fun r -> r.[j])

let sumOf (rows: float[][]) =
    rows |> Array.map (fun r -> r.[0] + r.[1])

let mean (x: float[]) (w: float[]) = Descriptive.mean (Some w) x

let sd (x: float[]) (w: float[]) =
    Descriptive.standardDeviation (Some w) x

let statistics =
    [
        Holdout.statistic "mean of y1 + y2" boot (fun r w -> mean (sumOf r) w)
        Holdout.statistic "sd of y1 + y2" boot (fun r w -> sd (sumOf r) w)
        Holdout.statistic "sd of y1" boot (fun r w -> sd (col 0 r) w)
        Holdout.statistic "P(y1 > 1.5)" boot (fun r w ->
            mean (col 0 r |> Array.map (fun v -> if v > 1.5 then 1.0 else 0.0)) w)
        Holdout.statistic "corr(y1, y2)" boot (fun r w ->
            let a, b = col 0 r, col 1 r
            let ma, mb = mean a w, mean b w

            let m (f: int -> float) =
                Array.sum (Array.init a.Length (fun i -> w.[i] * f i))

            m (fun i -> (a.[i] - ma) * (b.[i] - mb))
            / sqrt (m (fun i -> (a.[i] - ma) ** 2.0) * m (fun i -> (b.[i] - mb) ** 2.0)))
    ]

// 4. The trainer: given the names of the statistics to put in the loss, trains a Cramér GAN (seed 3)
//    and returns a generated sample twice the real size. The statistic in the loss is the
//    differentiable s = y1 + y2 (a tensor function of the batch), matched in distribution by MMD;
//    the study calls it once with the names and once with [] (the plain model).
let sumStatistic (x: Tensor) (_: Tensor) =
    Ops.Add(Ops.Slice(x, 1, 0, 1), Ops.Slice(x, 1, 1, 1))

let train (inLoss: string list) =
    let settings =
        { Gan.defaults with
            Steps = steps
            Seed = 3UL
        }
        |> Gan.withLoss GanLoss.Cramer

    let model =
        if List.isEmpty inLoss then
            (Gan.train settings None None real).Model
        else
            (Gan.trainWithStatistic settings StatisticDistance.Mmd 1.0f sumStatistic None None real).Model

    printfn "trained with {%s}" (String.concat ", " inLoss)
    model |> Gan.sample 17 (real.Length * 2)

// 5. Run the study: both models, every statistic's σ-deviation; the two statistics of s are
//    labelled "in the loss — not evidence" with their σ, flagged "still off" beyond 3σ (MMD acts on
//    the whole distribution of s).
let result =
    Holdout.run train [ "mean of y1 + y2"; "sd of y1 + y2" ] statistics real

// 6. The page: the study's section, the summary lines, the whole result as the JSON numbers;
//    then out/holdout.{html,json} and the console summary.
[ Holdout.toSection result ]
|> StudyReport.report
    "Marginal-statistic hold-out (Cramér GAN, LogNormal pair in log space)"
    [
        sprintf "%d real events; %d training steps per model; distribution of y1 + y2 enforced by MMD." events steps
    ]
    (StudyReport.numbers "holdout" result)
|> StudyReport.writeAll "out" "holdout"
