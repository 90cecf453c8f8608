module GenStats.Tests.Validation.Studies.HoldoutTests

open System
open NUnit.Framework
open GenStats.Stats
open GenStats.Validation.Studies.Holdout

let private normals (seed: int) n =
    let rng = Random(seed)
    Array.init n (fun _ -> sqrt (-2.0 * log (1.0 - rng.NextDouble())) * cos (2.0 * Math.PI * rng.NextDouble()))

let private column (rows: float[][]) = rows |> Array.map (fun r -> r.[0])

let private moment (k: int) (rows: float[][]) (w: float[]) =
    let x = column rows
    let m = WeightedDescriptive.Mean(x, w)
    let sw = Array.sum w
    Array.fold2 (fun acc xi wi -> acc + wi * (xi - m) ** float k) 0.0 x w / sw

let private options = BootstrapOptions(100, 5)
let private stats =
    [ statistic "mean" options (fun rows w -> WeightedDescriptive.Mean(column rows, w))
      statistic "variance" options (moment 2)
      statistic "skewness" options (fun rows w -> moment 3 rows w / (moment 2 rows w ** 1.5)) ]

// Real data: LogNormal(0, 0.5). Stand-in model: a Gaussian with the sample mean; its variance is
// matched only when "variance" is in the loss (else it uses 0.25, the variance of ln x).
let private real = normals 1 3000 |> Array.map (fun z -> [| exp (0.5 * z) |])
let private train (inLoss: string list) =
    let x = column real
    let m = Array.average x
    let sd = if List.contains "variance" inLoss then WeightedDescriptive.StandardDeviation x else 0.5
    normals 2 3000 |> Array.map (fun z -> [| m + sd * z |])

[<Test>]
let ``a statistic in the loss is flagged and matched, held-out ones reveal the model`` () =
    let r = run train [ "variance" ] stats real
    let row name = r.Rows |> List.find (fun x -> x.Name = name)
    let v = row "variance"
    Assert.That(v.InLoss, Is.True)
    Assert.That(v.Note, Is.EqualTo matchedNote)
    Assert.That(abs v.WithLoss.Sigma, Is.LessThan(3.0), "matched by construction")
    Assert.That(abs v.WithoutLoss.Sigma, Is.GreaterThan(5.0), "the plain model misses the variance")
    let s = row "skewness"
    Assert.That(s.InLoss, Is.False)
    // A Gaussian has no skew, the LogNormal(0, 0.5) has 1.75: held out, it exposes both models.
    Assert.That(abs s.WithLoss.Sigma, Is.GreaterThan(5.0))
    Assert.That(abs s.WithoutLoss.Sigma, Is.GreaterThan(5.0))
    Assert.That(abs (row "mean").WithLoss.Sigma, Is.LessThan(3.0))
    Assert.That((evidence r |> List.map (fun x -> x.Name) = [ "mean"; "skewness" ]), "evidence = held-out statistics")
    Assert.That((toSection r).Tables.Head.Rows.Length, Is.EqualTo 3)

[<Test>]
let ``an unknown statistic in the loss is rejected`` () =
    Assert.Throws<ArgumentException>(fun () -> run train [ "kurtosis" ] stats real |> ignore) |> ignore
