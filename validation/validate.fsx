// The main validation job: `scripts/validate.sh` (or `dotnet fsi validation/validate.fsx` after
// a Release build). For now it shows the descriptive statistics of a seeded, weighted sample
// next to the truth it was drawn from; later issues grow it into the full validation report.
#load "GenStats.fsx"

open System
open GenStats.Validation

let seed = 20261124
let events = 100_000
let trueMean, trueSigma = 5.0, 2.0

/// Standard normal deviates by Box–Muller from a seeded generator.
let normals (rng: Random) n =
    Array.init n (fun _ ->
        let u1 = 1.0 - rng.NextDouble()
        let u2 = rng.NextDouble()
        sqrt (-2.0 * log u1) * cos (2.0 * Math.PI * u2))

let rng = Random(seed)
let values = normals rng events |> Array.map (fun z -> trueMean + trueSigma * z)
// Weights 0.5..1.5 independent of x: the weighted sample keeps the same truth, with a smaller ESS.
let weights = Array.init events (fun _ -> 0.5 + rng.NextDouble())

let show title (weights: float[] option) =
    let s = values |> Descriptive.summarize weights
    let q = values |> Descriptive.quantiles weights [| 0.1587; 0.5; 0.8413 |]
    printfn "%s" title
    printfn "  events %d, sum of weights %.1f, effective sample size %.1f" s.Count s.SumOfWeights s.EffectiveSampleSize
    printfn "  mean     %8.4f ± %.4f   (truth %.4f, pull %+.2f σ)" s.Mean s.StandardErrorOfMean trueMean ((s.Mean - trueMean) / s.StandardErrorOfMean)
    printfn "  std dev  %8.4f            (truth %.4f)" s.StandardDeviation trueSigma
    printfn "  quantiles 15.87%% / 50%% / 84.13%%: %.4f / %.4f / %.4f   (truth %.4f / %.4f / %.4f)"
        q.[0] q.[1] q.[2] (trueMean - trueSigma) trueMean (trueMean + trueSigma)

printfn "GenStats validate — seed %d, %d events from N(%.1f, %.1f²)" seed events trueMean trueSigma
show "unweighted" None
show "weighted (w ~ U[0.5, 1.5])" (Some weights)
