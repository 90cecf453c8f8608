/// FsCheck generators for statistics tests. Floats are built from integers so that no NaN or ∞
/// appears by accident; the bad-input tests ask for those on purpose.
module GenStats.Tests.Generators

open FsCheck
open FsCheck.FSharp

/// A finite float in roughly [−1000, 1000] with three decimals.
let finiteValue: Gen<float> =
    Gen.choose (-1_000_000, 1_000_000) |> Gen.map (fun i -> float i / 1000.0)

/// A strictly positive weight in (0, 10].
let positiveWeight: Gen<float> =
    Gen.choose (1, 10_000) |> Gen.map (fun i -> float i / 1000.0)

/// A sample of n values, 2 ≤ n ≤ 60.
let sample: Gen<float[]> =
    gen {
        let! n = Gen.choose (2, 60)
        return! Gen.arrayOfLength n finiteValue
    }

/// A sample together with positive weights of the same length.
let weightedSample: Gen<float[] * float[]> =
    gen {
        let! n = Gen.choose (2, 60)
        let! xs = Gen.arrayOfLength n finiteValue
        let! ws = Gen.arrayOfLength n positiveWeight
        return xs, ws
    }

/// A sample with weights, a positive scale factor and a permutation of its indices.
let weightedSampleScaleAndPermutation: Gen<float[] * float[] * float * int[]> =
    gen {
        let! xs, ws = weightedSample
        let! scale = Gen.choose (1, 100_000) |> Gen.map (fun i -> float i / 1000.0)
        let! perm = Gen.shuffle [| 0 .. xs.Length - 1 |]
        return xs, ws, scale, perm
    }

/// Sorted probabilities in [0, 1].
let probabilities: Gen<float[]> =
    Gen.choose (0, 1000)
    |> Gen.map (fun i -> float i / 1000.0)
    |> Gen.arrayOf
    |> Gen.map Array.sort
