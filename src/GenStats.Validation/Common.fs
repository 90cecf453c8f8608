/// What every module of the F# layer shares: the one `Weights` type of a sample and its
/// conversion to the C# calls (null = unweighted). Opened with `GenStats.Validation`.
[<AutoOpen>]
module GenStats.Validation.Common

/// Per-event weights of a sample: None = every event counts once.
type Weights = float[] option

/// Conversions of `Weights`.
module Weights =
    /// The weights as the C# API takes them: the array, or null for an unweighted sample.
    let toArg (weights: Weights) : float[] = Option.toObj weights

    /// The weights of n events as an array: the given ones, or n ones when unweighted.
    let orOnes (n: int) (weights: Weights) : float[] =
        weights |> Option.defaultWith (fun () -> Array.create n 1.0)
