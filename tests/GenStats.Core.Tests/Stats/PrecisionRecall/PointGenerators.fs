/// Generators of multi-dimensional samples for the k-NN and classifier tests.
module GenStats.Tests.Stats.PointGenerators

open System
open FsCheck
open FsCheck.FSharp
open GenStats.Tests.Generators

/// Two samples of distinct rows with continuous-looking coordinates (three decimals in ±1000):
/// 7–30 events each, 1–4 dimensions.
let continuousPair: Gen<float[][] * float[][]> =
    gen {
        let! d = Gen.choose (1, 4)
        let! n = Gen.choose (7, 30)
        let! m = Gen.choose (7, 30)
        let row = Gen.arrayOfLength d finiteValue
        let! a = Gen.arrayOfLength n row
        let! b = Gen.arrayOfLength m row

        let distinct (x: float[][]) =
            x |> Array.distinctBy (fun r -> String.Join(",", r))

        return distinct a, distinct b
    }
    |> Gen.filter (fun (a, b) -> a.Length >= 7 && b.Length >= 7)

/// Two samples of small integer coordinates (many distance ties, but exact arithmetic), with an
/// integer translation vector and a permutation of each sample.
let integerPairShiftAndPermutations: Gen<float[][] * float[][] * float[] * int[] * int[]> =
    gen {
        let! d = Gen.choose (1, 3)
        let! n = Gen.choose (7, 25)
        let! m = Gen.choose (7, 25)
        let row = Gen.arrayOfLength d (Gen.choose (-20, 20) |> Gen.map float)
        let! a = Gen.arrayOfLength n row
        let! b = Gen.arrayOfLength m row
        let! shift = Gen.arrayOfLength d (Gen.choose (-1000, 1000) |> Gen.map float)
        let! pa = Gen.shuffle [| 0 .. n - 1 |]
        let! pb = Gen.shuffle [| 0 .. m - 1 |]
        return a, b, shift, pa, pb
    }

/// Seeded standard-normal sample (events × dims) shifted by `mean` in every coordinate.
let gaussian (seed: int) (n: int) (d: int) (mean: float) =
    let rng = Random(seed)

    let normal () =
        // Box–Muller keeps the test independent of library samplers.
        let u1 = 1.0 - rng.NextDouble()
        let u2 = rng.NextDouble()
        sqrt (-2.0 * log u1) * cos (2.0 * Math.PI * u2)

    Array.init n (fun _ -> Array.init d (fun _ -> mean + normal ()))

/// Fixed 2-D samples (12 and 10 events) of the prdc and improved-P&R reference tests; their
/// expected numbers were computed offline with prdc's algorithm (numpy + sklearn 1.2.1).
let fixedA: float[][] =
    [|
        [| 0.001; 0.299 |]
        [| -0.274; -0.891 |]
        [| -0.455; -0.992 |]
        [| 0.06; 1.34 |]
        [| -0.492; -0.62 |]
        [| 0.49; 0.357 |]
        [| 0.105; -0.93 |]
        [| -0.029; 0.695 |]
        [| -1.344; -0.458 |]
        [| -1.901; -1.29 |]
        [| -1.842; -0.235 |]
        [| -1.267; 0.271 |]
    |]

let fixedB: float[][] =
    [|
        [| 0.688; 0.276 |]
        [| -2.52; -0.146 |]
        [| 0.442; 0.636 |]
        [| -1.336; -0.073 |]
        [| -0.674; -0.471 |]
        [| 1.773; -0.469 |]
        [| 0.461; 1.561 |]
        [| -0.2; 0.366 |]
        [| 0.633; 0.577 |]
        [| -0.97; 0.591 |]
    |]
