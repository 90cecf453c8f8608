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

/// The per-column transforms of the neural models' settings (`Map` in F#, a dictionary or null in
/// the C# options), one home for both directions.
module ColumnTransformMap =
    /// The C# options' dictionary (null = none) as an F# map.
    let ofOptions (transforms: System.Collections.Generic.IReadOnlyDictionary<string, string>) : Map<string, string> =
        match transforms with
        | null -> Map.empty
        | d -> d |> Seq.map (fun kv -> kv.Key, kv.Value) |> Map.ofSeq

    /// The F# map as the C# options take it: null when empty.
    let toOptions (transforms: Map<string, string>) : System.Collections.Generic.IReadOnlyDictionary<string, string> =
        if Map.isEmpty transforms then
            null
        else
            readOnlyDict (Map.toSeq transforms)
