/// Seeded toy samples with known truth for the generative-model tests.
module GenStats.Tests.Models.GanToys

open System

/// Standard normals from a seeded System.Random (Box–Muller), deterministic across runs.
let normals (rnd: Random) n =
    Array.init n (fun _ ->
        sqrt (-2.0 * log (1.0 - rnd.NextDouble()))
        * cos (2.0 * Math.PI * rnd.NextDouble()))

/// ½(N(−4, 1) + N(4, 1)).
let mixture (rnd: Random) n =
    normals rnd n
    |> Array.map (fun z -> (if rnd.NextDouble() < 0.5 then -4.0 else 4.0) + z)

let rows (xs: float[]) = xs |> Array.map (fun v -> [| v |])

/// The Stats energy distance (scipy convention) of two 1-D samples, every event, no bootstrap.
let energy (a: float[]) (b: float[]) =
    GenStats.Stats.EnergyDistanceNd
        .Compute(
            rows a,
            null,
            rows b,
            null,
            GenStats.Stats.EnergyDistanceNdOptions(BootstrapReplicas = 0, MaxEvents = Nullable())
        )
        .Value

let mean (xs: float[]) = Array.average xs

let sd (xs: float[]) =
    let m = mean xs
    sqrt (xs |> Array.averageBy (fun v -> (v - m) ** 2.0))

/// Truth-vs-truth energy distances of equal-size samples: the spread a perfect model would show.
let truthSpread (draw: unit -> float[]) pairs =
    let d = Array.init pairs (fun _ -> energy (draw ()) (draw ()))
    let m = Array.average d
    m, sqrt (d |> Array.averageBy (fun v -> (v - m) ** 2.0))
