/// Seeded toy samples with known truth for the model tests. The sampler is System.Random +
/// Box–Muller, independent of the production generator, so the tests do not grade the code
/// with its own random numbers.
module GenStats.Tests.Models.Toys

open Expecto
open System
open GenStats.Data

/// A standard-normal stream from System.Random(seed).
type Normal(seed: int) =
    let rng = Random(seed)
    member _.Uniform() = rng.NextDouble()

    member _.Next() =
        let u1 = 1.0 - rng.NextDouble()
        let u2 = rng.NextDouble()
        sqrt (-2.0 * log u1) * cos (2.0 * Math.PI * u2)

/// n draws of the GANplifying mixture ½(N(−4,1) + N(4,1)).
let bimodal (seed: int) (n: int) =
    let g = Normal seed
    Array.init n (fun _ -> (if g.Uniform() < 0.5 then -4.0 else 4.0) + g.Next())

/// Truth of the mixture: mean 0, variance 1 + 16 = 17, fourth central moment 256 + 6·16 + 3 = 355.
let bimodalVariance = 17.0
let bimodalFourthMoment = 355.0

/// The conditional Gaussian x | y ~ N(a + b y, (c + d y)²) with y ~ U(0, 1).
let a, b, c, d = 1.0, 2.0, 0.5, 1.0
let conditionalMean y = a + b * y
let conditionalSd y = c + d * y

/// n events (x, y) of the conditional Gaussian.
let conditionalGaussian (seed: int) (n: int) =
    let g = Normal seed
    let ys = Array.init n (fun _ -> g.Uniform())
    let xs = ys |> Array.map (fun y -> conditionalMean y + conditionalSd y * g.Next())
    xs, ys

/// A dataset with one feature column x and optional condition y and weight w.
let dataset (xs: float[]) (ys: float[] option) (ws: float[] option) =
    let optional name (v: float[] option) =
        v |> Option.map (fun c -> name, c) |> Option.toList

    let named = [ "x", xs ] @ optional "y" ys @ optional "w" ws
    let names = named |> List.map fst |> Array.ofList
    let cols = named |> List.map snd |> Array.ofList

    Dataset
        .Create(names, cols)
        .WithRoles([| "x" |], (if ys.IsSome then [| "y" |] else [||]), (if ws.IsSome then "w" else null))

let column (rows: float[][]) (j: int) = rows |> Array.map (fun r -> r.[j])

let mean (xs: float[]) = Array.average xs

let variance (xs: float[]) =
    let m = mean xs
    (xs |> Array.sumBy (fun x -> (x - m) ** 2.0)) / float (xs.Length - 1)

let fractionAbove (t: float) (xs: float[]) =
    float (xs |> Array.filter (fun x -> x > t) |> Array.length) / float xs.Length

/// Asserts |actual − expected| ≤ k·σ with a message showing the pull.
let assertWithin (k: float) (sigma: float) (expected: float) (actual: float) (what: string) =
    let pull = (actual - expected) / sigma

    if not (abs pull <= k) then
        failtest (
            sprintf
                "%s: expected %.6g, got %.6g; pull %.2f σ (σ = %.3g, allowed %.1f σ)"
                what
                expected
                actual
                pull
                sigma
                k
        )
