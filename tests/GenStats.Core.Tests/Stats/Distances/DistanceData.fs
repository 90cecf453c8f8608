/// Shared data for the multi-dimensional distance tests: a fixed pair of 3-d samples whose
/// reference values were computed offline with numpy/scipy (see the comments at each use), and
/// FsCheck generators of small point clouds built from integers (no NaN/∞ by accident).
module GenStats.Tests.Stats.Distances.DistanceData

open FsCheck
open FsCheck.FSharp

/// Sample A of the reference pair: 40 events in 3-d, A[i] = [2 sin 1.3i, cos 0.7i, 0.3 (i mod 5)].
let refA =
    Array.init 40 (fun i -> let x = float i in [| sin (x * 1.3) * 2.0; cos (x * 0.7); float (i % 5) * 0.3 |])

/// Sample B of the reference pair: 35 events, B[j] = [sin 0.9j + 0.5, 1.5 cos 1.1j, 0.2 ((3j) mod 7)].
let refB =
    Array.init 35 (fun j ->
        let x = float j in [| sin (x * 0.9) + 0.5; cos (x * 1.1) * 1.5; float ((j * 3) % 7) * 0.2 |])

/// Weights of A: 1 + (i mod 3).
let refWA = Array.init 40 (fun i -> 1.0 + float (i % 3))
/// Weights of B: 0.5 + 0.25 (j mod 4).
let refWB = Array.init 35 (fun j -> 0.5 + 0.25 * float (j % 4))

/// Column k of a sample as single-dimension rows.
let column k (rows: float[][]) =
    rows |> Array.map (fun r -> [| r.[k] |])

/// A coordinate in [−10, 10] with two decimals.
let coordinate = Gen.choose (-1000, 1000) |> Gen.map (fun i -> float i / 100.0)

/// A cloud of n events in d dimensions.
let cloudOf n d =
    Gen.arrayOfLength n (Gen.arrayOfLength d coordinate)

/// Two clouds of the same dimension (1–4), 2–nMax events each.
let cloudPair nMax =
    gen {
        let! d = Gen.choose (1, 4)
        let! n = Gen.choose (2, nMax)
        let! m = Gen.choose (2, nMax)
        let! a = cloudOf n d
        let! b = cloudOf m d
        return a, b
    }

/// Positive weights (0.1 … 5) for n events.
let weightsOf n =
    Gen.arrayOfLength n (Gen.choose (1, 50) |> Gen.map (fun i -> float i / 10.0))

/// Small integer weights (1 … 3) for n events.
let integerWeightsOf n = Gen.arrayOfLength n (Gen.choose (1, 3))

/// Two clouds with small integer weights (1 … 3): the weighted statistic must equal the
/// unweighted one on the events repeated that many times.
let integerWeightedCloudPair nMax =
    gen {
        let! a, b = cloudPair nMax
        let! ka = integerWeightsOf a.Length
        let! kb = integerWeightsOf b.Length
        return a, b, ka, kb
    }

/// Two clouds with positive weights.
let weightedCloudPair nMax =
    gen {
        let! a, b = cloudPair nMax
        let! wa = weightsOf a.Length
        let! wb = weightsOf b.Length
        return a, wa, b, wb
    }

/// A translation vector of dimension d and a positive scale factor (0.1 … 10).
let shiftAndScale d =
    Gen.zip (Gen.arrayOfLength d coordinate) (Gen.choose (1, 100) |> Gen.map (fun i -> float i / 10.0))

/// A weighted pair of clouds with a translation, a positive scale and a permutation of the first
/// cloud's events: the inputs of every invariance property.
let invarianceCase nMax =
    gen {
        let! a, wa, b, wb = weightedCloudPair nMax
        let! t, c = shiftAndScale a.[0].Length
        let! perm = Gen.shuffle [| 0 .. a.Length - 1 |]
        return a, wa, b, wb, t, c, perm
    }

/// Each event repeated by its integer weight.
let repeat (rows: float[][]) (counts: int[]) =
    Array.concat (Array.map2 (fun r c -> Array.replicate c r) rows counts)

let translate (t: float[]) (rows: float[][]) =
    rows |> Array.map (fun r -> Array.map2 (+) r t)

let scale (c: float) (rows: float[][]) =
    rows |> Array.map (Array.map (fun x -> c * x))

let ones n = Array.create n 1.0
