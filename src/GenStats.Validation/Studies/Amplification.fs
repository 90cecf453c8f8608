/// GANplifying / Calomplification: how many true events a generated sample is worth. The quantile
/// χ̂² = n_q Σⱼ (xⱼ − 1/n_q)² of a sample against n_q equal-probability bins of the truth is
/// measured for the training sample, for samples of size n from models (any sampler), as functions
/// of n and n_q. For a sample of N true events the fractions are multinomial with p = 1/n_q, so
/// E[(xⱼ − p)²] = p(1 − p)/N and E[χ̂²] = n_q · n_q · p(1 − p)/N = (n_q − 1)/N. Hence a model whose
/// χ̂² is c is worth N_eq = (n_q − 1)/c true events, and its amplification factor is N_eq/N_train.
/// Multi-dimensional data: apply the study to a 1-D projection (a column, a radius, an invariant
/// mass); the quantile bins are those of that projection.
///
/// Oversampled samples (`ofOversampledProjection`: K events per condition row, weight 1/K): the K
/// events of a row share their condition, so a sample of n events holds only n/K independent
/// condition draws and its χ̂² is larger than (n_q − 1)/n — N_eq then says honestly what the
/// correlated sample is worth. The uncertainties need no correction: the σ of a curve point is the
/// spread of χ̂² over independent seeds, each seed a fresh set of condition rows, so the
/// within-sample correlation is inside that spread. (Equal weights 1/K do not change the bin fractions.)
module GenStats.Validation.Studies.Amplification

open GenStats.Stats
open GenStats.Models
open GenStats.Validation.FiguresOfMerit
open GenStats.Validation.Report

/// A seeded sampler: n → seed → n values (a model's 1-D output or projection).
type Sampler = int -> int -> float[]

/// Where the quantile edges come from.
type Truth =
    /// The exact inverse CDF of the truth: no floor.
    | InverseCdf of (float -> float)
    /// A large truth sample of M events: its own fluctuation adds (n_q − 1)/M to every χ̂², which is subtracted.
    | TruthSample of float[]

/// Settings of the study. Seeds = independent samples per (source, n, n_q).
type Config =
    {
        SampleSizes: int list
        QuantileCounts: int list
        Seeds: int
        Seed: int
    }

/// The default study sizes: n = 100 … 100 000, n_q = 5 … 50, 10 seeds per point.
let defaultConfig =
    {
        SampleSizes = [ 100; 1_000; 10_000; 100_000 ]
        QuantileCounts = [ 5; 10; 20; 50 ]
        Seeds = 10
        Seed = 20261124
    }

/// χ̂² of one source at one (n, n_q), averaged over seeds: Value ± standard error of the mean
/// (Spread is the seed-to-seed standard deviation). Expected = (n_q − 1)/n for a true sample.
type CurvePoint =
    {
        Source: string
        Events: int
        Quantiles: int
        ChiSquare: Measurement
        Spread: float
        Expected: float
    }

/// The amplification of one source at n_q, read at its largest sample size.
type Factor =
    {
        Source: string
        Quantiles: int
        Events: int
        ChiSquare: Measurement
        EquivalentEvents: Measurement
        Amplification: Measurement
    }

type Result =
    {
        Config: Config
        TrainingEvents: int
        Training: CurvePoint list
        Curves: CurvePoint list
        Factors: Factor list
    }

/// The n_q − 1 inner edges of the truth's equal-probability bins.
let edges (truth: Truth) (quantiles: int) =
    match truth with
    | InverseCdf f -> QuantileChiSquare.ExactEdges(System.Func<_, _>(f), quantiles)
    | TruthSample s -> QuantileChiSquare.SampleEdges(s, quantiles)

/// The χ̂² floor from edges estimated on a truth sample: (n_q − 1)/M (0 for an exact CDF).
let floor (truth: Truth) (quantiles: int) =
    match truth with
    | InverseCdf _ -> 0.0
    | TruthSample s -> float (quantiles - 1) / float s.Length

/// χ̂² = n_q Σⱼ (xⱼ − 1/n_q)² of a sample in the bins [e_{j−1}, e_j) given by the inner edges.
let chiSquareHat (innerEdges: float[]) (sample: float[]) =
    if sample.Length = 0 then
        invalidArg (nameof sample) "The sample is empty."

    let nq = innerEdges.Length + 1
    let counts = Array.zeroCreate<int> nq

    for x in sample do
        if not (System.Double.IsFinite x) then
            invalidArg (nameof sample) (sprintf "The sample holds %g; values must be finite." x)
        // Bin = number of inner edges ≤ x.
        let mutable lo = 0
        let mutable hi = innerEdges.Length

        while lo < hi do
            let mid = (lo + hi) / 2
            if innerEdges.[mid] <= x then lo <- mid + 1 else hi <- mid

        counts.[lo] <- counts.[lo] + 1

    let p = 1.0 / float nq
    let n = float sample.Length
    float nq * (counts |> Array.sumBy (fun c -> let d = float c / n - p in d * d))

/// The seed of sample k of a (source, n, n_q) point.
let private sampleSeed (seed: int) (source: int) (n: int) (k: int) =
    (seed * 7919 + source * 1_000_003 + n * 31 + k * 104_729) &&& 0x7FFFFFFF

/// Averages χ̂² (floor subtracted) over seeds for one source at one (n, n_q).
let curvePoint
    (truth: Truth)
    (config: Config)
    (sourceIndex: int)
    (name: string)
    (sampler: Sampler)
    (n: int)
    (quantiles: int)
    =
    if config.Seeds < 2 then
        invalidArg (nameof config) "Seeds must be at least 2 (the spread needs two samples)."

    let e = edges truth quantiles
    let fl = floor truth quantiles

    let values =
        Array.init config.Seeds (fun k -> chiSquareHat e (sampler n (sampleSeed config.Seed sourceIndex n k)) - fl)

    let sd = WeightedDescriptive.StandardDeviation values

    {
        Source = name
        Events = n
        Quantiles = quantiles
        ChiSquare =
            {
                Value = Array.average values
                Uncertainty = sd / sqrt (float config.Seeds)
            }
        Spread = sd
        Expected = float (quantiles - 1) / float n
    }

/// N_eq = (n_q − 1)/χ̂² with σ(N_eq) = N_eq σ(χ̂²)/χ̂², and the amplification N_eq/N_train.
let factor (trainingEvents: int) (point: CurvePoint) =
    let c = point.ChiSquare
    let neq = float (point.Quantiles - 1) / c.Value
    let sNeq = if c.Value > 0.0 then neq * c.Uncertainty / c.Value else nan

    let neqM =
        if c.Value > 0.0 then
            { Value = neq; Uncertainty = sNeq }
        else
            { Value = infinity; Uncertainty = nan }

    {
        Source = point.Source
        Quantiles = point.Quantiles
        Events = point.Events
        ChiSquare = c
        EquivalentEvents = neqM
        Amplification =
            {
                Value = neqM.Value / float trainingEvents
                Uncertainty = neqM.Uncertainty / float trainingEvents
            }
    }

/// The training sample's own χ̂² at each n_q, with the spread expected for a true sample of its
/// size, √(2(n_q − 1))/N (χ̂² N ~ χ²_{n_q−1}).
let trainingPoint (truth: Truth) (training: float[]) (quantiles: int) =
    let n = float training.Length
    let c = chiSquareHat (edges truth quantiles) training - floor truth quantiles
    let sd = sqrt (2.0 * float (quantiles - 1)) / n

    {
        Source = "training sample"
        Events = training.Length
        Quantiles = quantiles
        ChiSquare = { Value = c; Uncertainty = sd }
        Spread = sd
        Expected = float (quantiles - 1) / n
    }

/// The study: the training sample's χ̂², the χ̂²(n, n_q) curves of every named sampler, and their
/// amplification factors at the largest n.
let run (config: Config) (truth: Truth) (models: (string * Sampler) list) (training: float[]) =
    if List.isEmpty config.SampleSizes then
        invalidArg (nameof config) "SampleSizes is empty."

    if training.Length = 0 then
        invalidArg (nameof training) "The training sample is empty."

    let curves =
        [
            for i, (name, sampler) in List.indexed models do
                for nq in config.QuantileCounts do
                    for n in config.SampleSizes -> curvePoint truth config i name sampler n nq
        ]

    let nMax = List.max config.SampleSizes

    {
        Config = config
        TrainingEvents = training.Length
        Training = [ for nq in config.QuantileCounts -> trainingPoint truth training nq ]
        Curves = curves
        Factors =
            curves
            |> List.filter (fun p -> p.Events = nMax)
            |> List.map (factor training.Length)
    }

/// Sampler that draws n values of an unconditional model's column.
let ofGenerator (column: int) (model: IConditionalGenerator) : Sampler =
    fun n seed -> model.Sample(n, seed) |> Array.map (fun row -> row.[column])

/// Sampler that draws n values of a projection of an unconditional model's rows.
let ofGeneratorProjection (projection: float[] -> float) (model: IConditionalGenerator) : Sampler =
    fun n seed -> model.Sample(n, seed) |> Array.map projection

/// Sampler of n values of a projection of a conditional model's rows, oversampled: ⌈n/K⌉ condition
/// rows from `conditions rows seed` (e.g. draws from the truth's condition distribution), K events
/// each (`Oversampling.Sample`), the first n kept.
let ofOversampledProjection
    (projection: float[] -> float)
    (k: int)
    (conditions: int -> int -> float[][])
    (model: IConditionalGenerator)
    : Sampler =
    fun n seed ->
        let rows = (n + k - 1) / k
        let s = Oversampling.Sample(model, conditions rows seed, k, seed)
        s.Features |> Array.truncate n |> Array.map projection

/// Sampler of a Gaussian KDE with the given options fitted on the 1-D training sample.
let kdeWith (options: KdeOptions) (training: float[]) : Sampler =
    KernelDensity.Fit(training |> Array.map (fun x -> [| x |]), null, options)
    |> ofGenerator 0

/// Sampler of a Scott-bandwidth Gaussian KDE fitted on the 1-D training sample (oversmooths
/// multimodal data: the bandwidth follows the overall spread).
let kde (training: float[]) : Sampler = kdeWith KdeOptions.Default training

/// Sampler that resamples the training sample with replacement (a "model" that cannot amplify).
let bootstrap (training: float[]) : Sampler =
    fun n seed ->
        let rng = System.Random(seed)
        Array.init n (fun _ -> training.[rng.Next training.Length])

/// Inverse of a continuous, increasing CDF by bisection on [lo, hi] (to 1e-12 relative).
let inverseByBisection (cdf: float -> float) (lo: float) (hi: float) : float -> float =
    fun p ->
        let mutable a = lo
        let mutable b = hi

        for _ in 1..200 do
            let m = 0.5 * (a + b)
            if cdf m < p then a <- m else b <- m

        0.5 * (a + b)

/// The report section: χ̂² vs n per source (log–log, with the true-sample expectation (n_q − 1)/n),
/// χ̂² vs n_q at the largest n, and the amplification table.
let toSection (result: Result) =
    let nMax = List.max result.Config.SampleSizes
    let nqMax = List.max result.Config.QuantileCounts
    let sources = result.Curves |> List.map (fun p -> p.Source) |> List.distinct

    let vsN =
        let traces =
            [
                for s in sources do
                    let pts =
                        result.Curves |> List.filter (fun p -> p.Source = s && p.Quantiles = nqMax)

                    yield
                        Plotly.line
                            s
                            "lines+markers"
                            (pts |> List.map (fun p -> float p.Events) |> List.toArray)
                            (pts |> List.map (fun p -> p.ChiSquare.Value) |> List.toArray)
                            (Some(pts |> List.map (fun p -> p.ChiSquare.Uncertainty) |> List.toArray))
                let ns = result.Config.SampleSizes |> List.map float |> List.toArray

                yield
                    Plotly.line
                        "true sample: (n_q − 1)/n"
                        "lines"
                        ns
                        (ns |> Array.map (fun n -> float (nqMax - 1) / n))
                        None

                let t = result.Training |> List.find (fun p -> p.Quantiles = nqMax)
                yield Plotly.line "training sample" "lines" ns (ns |> Array.map (fun _ -> t.ChiSquare.Value)) None
            ]

        let fig =
            Plotly.figure (sprintf "Quantile χ̂² vs sample size (n_q = %d)" nqMax) "n" "χ̂²" true traces

        fig.Layout["xaxis"]["type"] <- System.Text.Json.Nodes.JsonValue.Create "log"
        fig

    let vsQ =
        let traces =
            [
                for s in sources do
                    let pts = result.Curves |> List.filter (fun p -> p.Source = s && p.Events = nMax)

                    Plotly.line
                        s
                        "lines+markers"
                        (pts |> List.map (fun p -> float p.Quantiles) |> List.toArray)
                        (pts |> List.map (fun p -> p.ChiSquare.Value) |> List.toArray)
                        (Some(pts |> List.map (fun p -> p.ChiSquare.Uncertainty) |> List.toArray))
                let tr = result.Training

                Plotly.line
                    "training sample"
                    "lines+markers"
                    (tr |> List.map (fun p -> float p.Quantiles) |> List.toArray)
                    (tr |> List.map (fun p -> p.ChiSquare.Value) |> List.toArray)
                    (Some(tr |> List.map (fun p -> p.ChiSquare.Uncertainty) |> List.toArray))
            ]

        Plotly.figure (sprintf "Quantile χ̂² vs number of quantiles (n = %d)" nMax) "n_q" "χ̂²" true traces

    let table =
        {
            Document.Caption =
                sprintf "Amplification at n = %d (N_train = %d): N_eq = (n_q − 1)/χ̂²" nMax result.TrainingEvents
            Document.Headers = [ "source"; "n_q"; "χ̂²"; "N_eq"; "amplification N_eq/N_train" ]
            Document.Rows =
                [
                    for f in result.Factors ->
                        [
                            Document.Text f.Source
                            Document.Number(float f.Quantiles)
                            Document.Measured(f.ChiSquare.Value, f.ChiSquare.Uncertainty)
                            Document.Measured(f.EquivalentEvents.Value, f.EquivalentEvents.Uncertainty)
                            Document.Measured(f.Amplification.Value, f.Amplification.Uncertainty)
                        ]
                ]
        }

    let trainingTable =
        {
            Document.Caption = "Training sample vs truth (expected (n_q − 1)/N_train for a true sample)"
            Document.Headers = [ "n_q"; "χ̂²"; "expected" ]
            Document.Rows =
                [
                    for p in result.Training ->
                        [
                            Document.Number(float p.Quantiles)
                            Document.Measured(p.ChiSquare.Value, p.ChiSquare.Uncertainty)
                            Document.Number p.Expected
                        ]
                ]
        }

    Document.section "Amplification (quantile χ̂²)"
    |> Document.withParagraph (
        sprintf
            "χ̂² = n_q Σ (x_j − 1/n_q)² against the truth's equal-probability bins, averaged over %d seeds (± standard error). A true sample of N events has E[χ̂²] = (n_q − 1)/N, so a source with χ̂² = c is worth N_eq = (n_q − 1)/c events; amplification = N_eq/N_train, read at the largest n."
            result.Config.Seeds
    )
    |> Document.withTable table
    |> Document.withTable trainingTable
    |> Document.withFigure vsN
    |> Document.withFigure vsQ
