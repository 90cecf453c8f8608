/// Tails and decomposition on the LogNormal-pair toy (x₁, x₂ independent LogNormal(μ, σ), target
/// x₁ + x₂): the systematic uncertainty of a quantity of the target that a surrogate trained on
/// N events inherits, from (a) tail fluctuations of the training sample (bootstrap replicas),
/// (b) a cut-off marginal (training only on x < cut), (c) decomposition — generating x₁ and x₂
/// independently and pairing them by random permutations, which turns N events into up to N²
/// combinations — and (d) a fitted parametric model (LogNormal ML fit, refitted on bootstrap replicas).
module GenStats.Validation.Studies.Tails

open System
open GenStats.Stats
open GenStats.Numerics
open GenStats.Physics
open GenStats.Validation.FiguresOfMerit
open GenStats.Validation.Report

/// A quantity of the target sample s = x₁ + x₂ with its exact value under the truth.
type Quantity =
    {
        Name: string
        Compute: float[] -> float
        Truth: float
    }

/// Exact LogNormal moments: E[x] = exp(μ + σ²/2), Var[x] = (exp(σ²) − 1) exp(2μ + σ²).
let logNormalMean (mu: float) (sigma: float) = exp (mu + 0.5 * sigma * sigma)

/// Exact variance (exp(σ²) − 1) exp(2μ + σ²) of LogNormal(μ, σ).
let logNormalVariance (mu: float) (sigma: float) =
    (exp (sigma * sigma) - 1.0) * exp (2.0 * mu + sigma * sigma)

/// Mean of a LogNormal truncated to x < c: exp(μ + σ²/2) Φ((ln c − μ − σ²)/σ) / Φ((ln c − μ)/σ).
let truncatedMean (mu: float) (sigma: float) (cut: float) =
    logNormalMean mu sigma
    * StandardNormal.Cdf((log cut - mu - sigma * sigma) / sigma)
    / StandardNormal.Cdf((log cut - mu) / sigma)

/// The mean of x₁ + x₂, exact: 2 exp(μ + σ²/2).
let meanOfSum (options: LogNormalPairOptions) =
    {
        Name = "mean of x1+x2"
        Compute = Array.average
        Truth = 2.0 * logNormalMean options.Mu options.Sigma
    }

/// The fraction of events with x₁ + x₂ > threshold, exact from the convolution CDF.
let fractionAbove (threshold: float) (options: LogNormalPairOptions) =
    {
        Name = sprintf "P(x1+x2 > %g)" threshold
        Compute =
            fun s ->
                float (s |> Array.filter (fun v -> v > threshold) |> Array.length)
                / float s.Length
        Truth = 1.0 - LogNormalPair.SumCdf(threshold, options)
    }

/// Settings. Training events N (1 000 in the seed toy), target events (10⁶), replicas for every
/// spread, permutations R per decomposed sample, events generated per parametric refit.
type Config =
    {
        TrainingEvents: int
        TargetEvents: int
        Replicas: int
        Permutations: int
        ParametricEvents: int
        Cut: float
        Options: LogNormalPairOptions
        Seed: int
    }

/// The default study: the seed toy's sizes (1 000 training events, a 10⁶-event target).
let defaultConfig =
    {
        TrainingEvents = LogNormalPair.TrainingEvents
        TargetEvents = LogNormalPair.TargetEvents
        Replicas = 100
        Permutations = 50
        ParametricEvents = 100_000
        Cut = LogNormalPair.CutValue
        Options = LogNormalPairOptions.Default
        Seed = 20261124
    }

/// One systematic: the central value of the quantity from that source, its spread over replicas,
/// the bias against the exact truth and that bias in units of √(spread² + statistical²).
type Systematic =
    {
        Source: string
        Quantity: string
        Central: Measurement
        Spread: float
        Truth: float
        Bias: float
        Sigma: float
    }

/// Decomposition: the replica-to-replica spread of the quantity from N paired events and from
/// R random permutations of the two columns (R·N combinations), the prediction for the latter
/// (fraction quantities only) and the truth's own sampling spread on the target sample.
type Decomposition =
    {
        Quantity: string
        TrainingEvents: int
        PairedSpread: Measurement
        PermutedSpread: Measurement
        PredictedPermutedSpread: float option
        TargetSpread: float
    }

type Result =
    {
        Config: Config
        Systematics: Systematic list
        Decompositions: Decomposition list
    }

let private seedOf (seed: int) (k: int) =
    (seed * 1_000_003 + 7919 * (k + 1)) &&& 0x7FFFFFFF

/// Standard deviation with its large-sample uncertainty sd/√(2(K − 1)) (normal approximation).
let private spreadOf (values: float[]) =
    let sd = WeightedDescriptive.StandardDeviation values

    {
        Value = sd
        Uncertainty = sd / sqrt (2.0 * float (values.Length - 1))
    }

/// independentReplicas: the replicas are independent samples of the source (the central value is
/// known to sd/√K); otherwise they are resamples of ONE training sample, and the central value
/// is only known to the spread itself.
let private systematic source (q: Quantity) (values: float[]) (independentReplicas: bool) =
    let c = Array.average values
    let sd = WeightedDescriptive.StandardDeviation values

    let err =
        if independentReplicas then
            sd / sqrt (float values.Length)
        else
            sd

    {
        Source = source
        Quantity = q.Name
        Central = { Value = c; Uncertainty = err }
        Spread = sd
        Truth = q.Truth
        Bias = c - q.Truth
        Sigma = if err > 0.0 then (c - q.Truth) / err else nan
    }

/// (a) Tail fluctuations: the quantity on bootstrap replicas (pairs resampled) of the training sample.
let tailFluctuations (config: Config) (q: Quantity) (x1: float[]) (x2: float[]) =
    let n = x1.Length

    let values =
        Array.init config.Replicas (fun k ->
            let rng = Random(seedOf config.Seed k)
            Array.init n (fun _ -> let i = rng.Next n in x1.[i] + x2.[i]) |> q.Compute)
    // The replicas scatter around the training sample's value, not the truth: report the bias
    // of the training sample itself against the bootstrap spread.
    let s =
        systematic "tail fluctuations (bootstrap of the training sample)" q values false

    let nominal = q.Compute(Array.map2 (+) x1 x2)

    { s with
        Central =
            {
                Value = nominal
                Uncertainty = s.Spread
            }
        Bias = nominal - q.Truth
        Sigma = (nominal - q.Truth) / s.Spread
    }

/// (b) Cut-off marginal: a perfect model of the training distribution restricted to x < cut,
/// evaluated on the target sample size, against the untruncated truth.
let cutOffMarginal (config: Config) (q: Quantity) =
    let o =
        LogNormalPairOptions(config.Options.Mu, config.Options.Sigma, Nullable config.Cut)

    let values =
        Array.init (max 2 (config.Replicas / 10)) (fun k ->
            LogNormalPair.SampleSum(config.TargetEvents, seedOf (config.Seed + 1) k, o)
            |> q.Compute)

    systematic (sprintf "cut-off marginal (trained on x < %g)" config.Cut) q values true

/// R random permutations of x₂ paired with x₁: R·N target values.
let permutedSum (seed: int) (permutations: int) (x1: float[]) (x2: float[]) =
    let n = x1.Length
    let rng = Random(seed)
    let idx = Array.init n id

    [|
        for _ in 1..permutations do
            // Fisher–Yates.
            for i in n - 1 .. -1 .. 1 do
                let j = rng.Next(i + 1)
                let t = idx.[i]
                idx.[i] <- idx.[j]
                idx.[j] <- t

            for i in 0 .. n - 1 -> x1.[i] + x2.[idx.[i]]
    |]

/// Variance of E[1(x₁ + x₂ > t) | x₁] = Var[1 − F(t − x₁)] (ζ₁ of the U-statistic), by Monte Carlo
/// with the exact marginal CDF on `events` draws.
let conditionalVariance (options: LogNormalPairOptions) (threshold: float) (events: int) (seed: int) =
    let x = LogNormalPair.Sample(events, seed, options).Column "x1"

    let g =
        x
        |> Array.map (fun a -> 1.0 - LogNormalPair.MarginalCdf(threshold - a, options))

    WeightedDescriptive.Variance g

/// Predicted spread of a fraction p = P(x₁ + x₂ > t) from R permutations of N events: the
/// decomposed estimate is (asymptotically) the U-statistic over all N² pairs, with variance
/// (ζ₁ + ζ₂)/N, plus the finite-R term (p(1 − p) − ζ₁ − ζ₂)/(R N) of drawing only R·N of them.
/// Paired events have p(1 − p)/N; ζ₁ + ζ₂ < p(1 − p) is the variability gained by decomposing.
let predictedPermutedSpread
    (options: LogNormalPairOptions)
    (threshold: float)
    (events: int)
    (permutations: int)
    (seed: int)
    =
    let p = 1.0 - LogNormalPair.SumCdf(threshold, options)
    let zeta = 2.0 * conditionalVariance options threshold 200_000 seed

    sqrt (
        zeta / float events
        + (p * (1.0 - p) - zeta) / (float permutations * float events)
    )

/// (c) Decomposition: spreads over independent training samples of N events of the quantity from
/// the paired events and from R permutations; threshold, when given, is the fraction's threshold
/// (for the prediction).
let decomposition (config: Config) (threshold: float option) (q: Quantity) =
    let paired = Array.zeroCreate config.Replicas
    let permuted = Array.zeroCreate config.Replicas

    for k in 0 .. config.Replicas - 1 do
        let d =
            LogNormalPair.Sample(config.TrainingEvents, seedOf (config.Seed + 2) k, config.Options)

        let x1 = d.Column "x1"
        let x2 = d.Column "x2"
        paired.[k] <- q.Compute(Array.map2 (+) x1 x2)
        permuted.[k] <- q.Compute(permutedSum (seedOf (config.Seed + 3) k) config.Permutations x1 x2)

    let target =
        Array.init (max 2 (config.Replicas / 10)) (fun k ->
            LogNormalPair.SampleSum(config.TargetEvents, seedOf (config.Seed + 4) k, config.Options)
            |> q.Compute)

    {
        Quantity = q.Name
        TrainingEvents = config.TrainingEvents
        PairedSpread = spreadOf paired
        PermutedSpread = spreadOf permuted
        PredictedPermutedSpread =
            threshold
            |> Option.map (fun t ->
                predictedPermutedSpread config.Options t config.TrainingEvents config.Permutations config.Seed)
        TargetSpread = WeightedDescriptive.StandardDeviation target
    }

/// Maximum-likelihood LogNormal fit: μ̂ = mean(ln x), σ̂² = mean((ln x − μ̂)²).
let fitLogNormal (x: float[]) =
    let l = x |> Array.map log
    let mu = Array.average l
    let s2 = l |> Array.averageBy (fun v -> (v - mu) * (v - mu))
    mu, sqrt s2

/// (d) Parametric model: a LogNormal per column fitted by ML on bootstrap replicas of the training
/// sample; the quantity on ParametricEvents generated by each refit.
let parametric (config: Config) (q: Quantity) (x1: float[]) (x2: float[]) =
    let n = x1.Length

    let values =
        Array.init config.Replicas (fun k ->
            let rng = Random(seedOf (config.Seed + 5) k)
            let idx = Array.init n (fun _ -> rng.Next n)
            let m1, s1 = fitLogNormal (idx |> Array.map (fun i -> x1.[i]))
            let m2, s2 = fitLogNormal (idx |> Array.map (fun i -> x2.[i]))
            let g = Random(seedOf (config.Seed + 6) k)

            Array.init config.ParametricEvents (fun _ ->
                exp (Samplers.Normal(g, m1, s1)) + exp (Samplers.Normal(g, m2, s2)))
            |> q.Compute)

    systematic "parametric LogNormal fit (bootstrap refits)" q values false

/// Delta-method spread of the parametric mean of x₁ + x₂ from N events: per column
/// Var(ln m̂) = σ²/N + σ⁴/(2N) (Var μ̂ = σ²/N, Var σ̂² = 2σ⁴/N), m = exp(μ + σ²/2).
let parametricMeanSpread (mu: float) (sigma: float) (events: int) =
    let m = logNormalMean mu sigma
    sqrt 2.0 * m * sqrt ((sigma * sigma + 0.5 * sigma ** 4.0) / float events)

/// Every systematic for every quantity on one training sample (x1, x2); decomposition spreads
/// for every (quantity, optional threshold).
let run (config: Config) (quantities: (Quantity * float option) list) (x1: float[]) (x2: float[]) =
    if x1.Length <> x2.Length || x1.Length = 0 then
        invalidArg (nameof x2) "x1 and x2 must be non-empty and of equal length."

    if config.Replicas < 2 then
        invalidArg (nameof config) "Replicas must be at least 2."

    {
        Config = config
        Systematics =
            [
                for q, _ in quantities do
                    tailFluctuations config q x1 x2
                    cutOffMarginal config q
                    parametric config q x1 x2
            ]
        Decompositions = [ for q, t in quantities -> decomposition config t q ]
    }

/// The report section of a tails study: the systematics and decomposition tables and the bias bars.
let toSection (result: Result) =
    let sysTable =
        {
            Document.Caption = "Systematics of the target quantity against the exact truth"
            Document.Headers = [ "quantity"; "source"; "value"; "spread"; "truth"; "bias"; "bias/σ" ]
            Document.Rows =
                [
                    for s in result.Systematics ->
                        [
                            Document.Text s.Quantity
                            Document.Text s.Source
                            Document.Measured(s.Central.Value, s.Central.Uncertainty)
                            Document.Number s.Spread
                            Document.Number s.Truth
                            Document.Number s.Bias
                            Document.Deviation s.Sigma
                        ]
                ]
        }

    let decTable =
        {
            Document.Caption =
                sprintf
                    "Decomposition: spread over training samples of N = %d, paired vs %d permutations"
                    result.Config.TrainingEvents
                    result.Config.Permutations
            Document.Headers =
                [
                    "quantity"
                    "paired spread"
                    "permuted spread"
                    "predicted permuted"
                    "ratio permuted/paired"
                    sprintf "truth spread (%d events)" result.Config.TargetEvents
                ]
            Document.Rows =
                [
                    for d in result.Decompositions ->
                        [
                            Document.Text d.Quantity
                            Document.Measured(d.PairedSpread.Value, d.PairedSpread.Uncertainty)
                            Document.Measured(d.PermutedSpread.Value, d.PermutedSpread.Uncertainty)
                            (match d.PredictedPermutedSpread with
                             | Some p -> Document.Number p
                             | None -> Document.Text "—")
                            Document.Number(d.PermutedSpread.Value / d.PairedSpread.Value)
                            Document.Number d.TargetSpread
                        ]
                ]
        }

    let fig =
        let qs = result.Systematics |> List.map (fun s -> s.Quantity) |> List.distinct

        [
            for q in qs do
                let ss = result.Systematics |> List.filter (fun s -> s.Quantity = q)

                Plotly.bars
                    q
                    (ss |> List.map (fun s -> s.Source) |> List.toArray)
                    (ss |> List.map (fun s -> s.Bias / abs s.Truth) |> List.toArray)
                    (Some(ss |> List.map (fun s -> s.Spread / abs s.Truth) |> List.toArray))
        ]
        |> Plotly.figure
            "Relative bias (bars) and spread (error bars) per source"
            "source"
            "(value − truth)/truth"
            false

    Document.section "Tails and decomposition (LogNormal pair)"
    |> Document.withParagraph
        "x₁, x₂ ~ LogNormal(μ, σ) independent, target x₁ + x₂. Tail fluctuations: bootstrap of the training pairs; cut-off marginal: the target from a perfect model of x < cut; parametric: LogNormal ML fits on bootstrap replicas; decomposition: x₂ paired with x₁ by random permutations (R·N of the N² combinations)."
    |> Document.withTable sysTable
    |> Document.withTable decTable
    |> Document.withFigure fig
