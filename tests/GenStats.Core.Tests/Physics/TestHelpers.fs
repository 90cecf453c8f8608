/// Shared helpers for the physics and fitting tests: Kolmogorov distances and their bounds.
module GenStats.Tests.Physics.TestHelpers

open System

/// sup |F_n − F| for a sample against an exact continuous CDF.
let ksDistance (cdf: float -> float) (sample: float[]) =
    let xs = Array.sort sample
    let n = float xs.Length

    xs
    |> Array.mapi (fun i x ->
        let f = cdf x
        max (abs (float (i + 1) / n - f)) (abs (f - float i / n)))
    |> Array.max

/// The Dvoretzky–Kiefer–Wolfowitz bound: P(D_n > ε) ≤ 2 exp(−2nε²); ε for a false-alarm rate α.
let ksBound (n: int) (alpha: float) =
    sqrt (log (2.0 / alpha) / (2.0 * float n))
