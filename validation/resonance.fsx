// Resonance study on real and toy data: do the DEFAULT neural models learn a two-body mass they
// never saw? Two data sets of six kinematics (pT, η, φ of two objects):
//   (a) ATLAS Higgs-ML open data (data/atlas/atlas_higgs_ml_5k.csv, 4 999 simulated events, CC0):
//       the visible τ and lepton, held-out statistic the visible mass (DER_mass_vis, recomputed
//       with Observables.mass, which reproduces it to 0.016 GeV), window 60–90 GeV (the
//       visible-mass peak, ≈ 47 % of the events). The file's Weight column is not used: the
//       events are the unweighted mix of signal and background simulation as they are in the file.
//   (b) the dimuon toy (Physics.dimuon, Z → μμ with known truth), 20 000 events, held-out M,
//       window 86–96 GeV (M_Z ± 2Γ-ish, ≈ 58 % of the reconstructed events).
// Real events are split into train/test halves (seeded). Models: cramer, wgan-gp, vae, cfm and flow with
// their DEFAULT settings (automatic budget, quantile-normal features, EMA, best checkpoint) except
// one per-column transform (not for the flow, which refuses it): every φ is `periodic` — an angle lives on a circle, and the partner's
// φ2 ≈ φ1 + π is a discontinuous map for a network that sees φ on a line; as (cos φ, sin φ) it is
// linear — plus two baselines: `kde` (Scott) and `library` (the training half resampled: copies).
// Per model: mass W1(generated, test)/W1(train, test) with a Poisson-bootstrap σ (generated size =
// training size, so a perfect model reads ≈ 1), the fraction in the mass window generated vs
// test (binomial σ), a memorisation check (median nearest-neighbour distance of generated events
// to the training events ÷ the same for test events, standardised features: ≈ 1 new events,
// 0 copies), and the hold-out table of the Cramér GAN, plain and with the mass in its loss
// (AuxiliaryStatistic.ByName, MMD, weight 1): then the mass statistics are "in the loss — not
// evidence" and the pair pT and Δφ are the held-out ones.
// Run from the repository root (writes out/resonance.html and out/resonance.json):
//   dotnet build src/GenStats.Validation -c Release && dotnet fsi validation/resonance.fsx
// `--quick`: 800 events per data set, 5 training steps per model, 20 bootstrap replicas; runs in
// seconds (for smoke runs and the tests; the neural models are then untrained).
// GENSTATS_RESONANCE_STEPS sets the steps of every neural training (default 0 = each model's
// automatic budget; 5 with --quick), for a shorter run on a slow machine; GENSTATS_RESONANCE_MODELS
// (e.g. `cfm`) trains only the listed models besides the Cramér GAN.
#load "GenStats.fsx"

open System
open System.Diagnostics
open System.IO
open System.Threading
open GenStats.Data
open GenStats.Models
open GenStats.Observables
open GenStats.Stats
open GenStats.Validation
open GenStats.Validation.FiguresOfMerit
open GenStats.Validation.Report
open GenStats.Validation.Studies

let quick = fsi.CommandLineArgs |> Array.contains "--quick"

// 1. Sizes: events per data set (both halves), neural training steps, bootstrap replicas, and how
//    many events (at most) query the nearest training neighbour.
let toyEvents = if quick then 800 else 20_000
let atlasEvents = if quick then 800 else Int32.MaxValue // all 4 999

let steps =
    match Environment.GetEnvironmentVariable "GENSTATS_RESONANCE_STEPS" with
    | null
    | "" -> if quick then 5 else 0
    | s -> int s

let replicas = if quick then 20 else 100
let nnQueries = 2_000

// 2. Data: rows of (pt1, eta1, phi1, pt2, eta2, phi2) in GeV and radians, split into halves.
type DataSet =
    {
        Name: string
        Columns: string[]
        WindowLow: float
        WindowHigh: float
        HistogramLow: float
        HistogramHigh: float
    }

let split (seed: int) (rows: float[][]) =
    let order = Array.init rows.Length id
    let rng = Random(seed)

    for i in order.Length - 1 .. -1 .. 1 do
        let j = rng.Next(i + 1)
        let t = order.[i]
        order.[i] <- order.[j]
        order.[j] <- t

    let half = rows.Length / 2
    order.[.. half - 1] |> Array.map (fun i -> rows.[i]), order.[half..] |> Array.map (fun i -> rows.[i])

let atlas =
    {
        Name = "ATLAS H→ττ visible τ + lepton"
        Columns =
            [|
                "PRI_tau_pt"
                "PRI_tau_eta"
                "PRI_tau_phi"
                "PRI_lep_pt"
                "PRI_lep_eta"
                "PRI_lep_phi"
            |]
        WindowLow = 60.0
        WindowHigh = 90.0
        HistogramLow = 0.0
        HistogramHigh = 200.0
    }

let toy =
    {
        Name = "dimuon toy (Z → μμ)"
        Columns = [| "pt1"; "eta1"; "phi1"; "pt2"; "eta2"; "phi2" |]
        WindowLow = 86.0
        WindowHigh = 96.0
        HistogramLow = 60.0
        HistogramHigh = 120.0
    }

let atlasRows =
    let path =
        Path.Combine(__SOURCE_DIRECTORY__, "..", "data", "atlas", "atlas_higgs_ml_5k.csv")

    // The file has a text Label column: parse only the six kinematics.
    Csv.Read(path, CsvOptions(Columns = atlas.Columns))
    |> Data.rows (List.ofArray atlas.Columns)

let toyRows = Physics.dimuon 2026 toyEvents |> Data.rows (List.ofArray toy.Columns)

// 3. The observables of a sample: the mass (the held-out statistic), the pair pT and Δφ.
let col j (rows: float[][]) = rows |> Array.map (fun r -> r.[j])

let mass (rows: float[][]) =
    Observables.mass (col 0 rows) (col 1 rows) (col 2 rows) (col 3 rows) (col 4 rows) (col 5 rows)

let pairPt (rows: float[][]) =
    Observables.systemPt [| col 0 rows; col 3 rows |] [| col 2 rows; col 5 rows |]

let absDeltaPhi (rows: float[][]) =
    Observables.deltaPhi (col 2 rows) (col 5 rows) |> Array.map abs

let boot = Metrics1D.bootstrap replicas 11
let mean (x: float[]) (w: float[]) = Descriptive.mean (Some w) x

let sd (x: float[]) (w: float[]) =
    Descriptive.standardDeviation (Some w) x

let inWindow (d: DataSet) (m: float) = m > d.WindowLow && m < d.WindowHigh

let statistics (d: DataSet) =
    [
        Holdout.statistic "mean of M" boot (fun r w -> mean (mass r) w)
        Holdout.statistic "sd of M" boot (fun r w -> sd (mass r) w)
        Holdout.statistic (sprintf "M in %g–%g GeV" d.WindowLow d.WindowHigh) boot (fun r w ->
            mean (mass r |> Array.map (fun m -> if inWindow d m then 1.0 else 0.0)) w)
        Holdout.statistic "mean of pT(pair)" boot (fun r w -> mean (pairPt r) w)
        Holdout.statistic "sd of pT(pair)" boot (fun r w -> sd (pairPt r) w)
        Holdout.statistic "mean of |Δφ|" boot (fun r w -> mean (absDeltaPhi r) w)
        Holdout.statistic "sd of |Δφ|" boot (fun r w -> sd (absDeltaPhi r) w)
    ]

// 4. The models: each trains on the training half and returns as many generated events. Neural
//    models keep their defaults; only φ is declared periodic (see the top). The mass in the loss is
//    the same expression as the statistic, evaluated on the generator's raw (physics) columns.
let periodicPhi (d: DataSet) =
    d.Columns
    |> Array.filter (fun c -> c.EndsWith "phi")
    |> Array.map (fun c -> c, "periodic")
    |> Map.ofArray

let massInLoss (d: DataSet) =
    let expression =
        ObservableExpression.Parse(sprintf "mass(%s)" (String.Join(",", d.Columns)))

    AuxiliaryStatistic.ByName(Func<_, _>(fun columns -> expression.EvaluateTensor columns), 1.0f)

let gan (loss: GanLoss) (aux: AuxiliaryStatistic option) (d: DataSet) (train: float[][]) =
    let settings =
        { Gan.defaults with
            Steps = steps
            ColumnTransforms = periodicPhi d
        }
        |> Gan.withLoss loss

    let trainer =
        GanTrainer.Create(train, null, null, Gan.toOptions settings, Option.toObj aux, d.Columns)

    (trainer.Run(null, CancellationToken.None)).Model |> Gan.sample 17 train.Length

let vae (d: DataSet) (train: float[][]) =
    let settings =
        { Vae.defaults with
            Steps = steps
            ColumnTransforms = periodicPhi d
        }

    let result =
        VaeTrainer.Train(train, null, null, Vae.toOptions settings, null, CancellationToken.None, d.Columns)

    result.Model |> Vae.sample 17 train.Length

let cfm (d: DataSet) (train: float[][]) =
    let settings =
        { FlowMatching.defaults with
            Steps = steps
            ColumnTransforms = periodicPhi d
        }

    let result =
        FlowMatchingTrainer.Train(
            train,
            null,
            null,
            FlowMatching.toOptions settings,
            null,
            CancellationToken.None,
            d.Columns
        )

    result.Model |> FlowMatching.sample 17 train.Length

// The flow keeps its defaults entirely: a periodic φ maps onto a circle, where a likelihood is unbounded.
let flow (d: DataSet) (train: float[][]) =
    let result =
        FlowTrainer.Train(
            train,
            null,
            null,
            Flow.toOptions { Flow.defaults with Steps = steps },
            null,
            CancellationToken.None,
            d.Columns
        )

    result.Model |> Flow.sample 17 train.Length

let kde (_: DataSet) (train: float[][]) =
    Kde.train Kde.defaults 5 None None train |> Kde.sample 17 train.Length

let library (_: DataSet) (train: float[][]) =
    let rng = Random(17)
    Array.init train.Length (fun _ -> train.[rng.Next train.Length])

// GENSTATS_RESONANCE_MODELS=cfm,flow trains only those (and cramer, whose run the hold-out
// section needs): a shorter run that reproduces some rows.
let only =
    match Environment.GetEnvironmentVariable "GENSTATS_RESONANCE_MODELS" with
    | null
    | "" -> None
    | s ->
        Some(
            s.Split(',', StringSplitOptions.TrimEntries ||| StringSplitOptions.RemoveEmptyEntries)
            |> Set.ofArray
        )

let models: (string * (DataSet -> float[][] -> float[][])) list =
    [
        "cramer", gan GanLoss.Cramer None
        "wgan-gp", gan GanLoss.WganGp None
        "vae", vae
        "cfm", cfm
        "flow", flow
        "kde", kde
        "library", library
    ]
    |> List.filter (fun (name, _) ->
        name = "cramer"
        || (match only with
            | None -> true
            | Some names -> names.Contains name))

// 5. The figures of merit of one generated sample against the halves.
type ModelRow =
    {
        Model: string
        TrainSeconds: float
        /// W1 of the mass, generated vs test (GeV).
        MassW1: float
        /// W1(generated, test)/W1(train, test), Poisson-bootstrap σ.
        MassRatio: Measurement
        /// Fraction in the mass window, test (Real) vs generated, binomial σ.
        Window: Comparison
        /// Median nearest-training-neighbour distance of generated ÷ test events.
        CopyRatio: float
        GeneratedNeighbourMedian: float
        TestNeighbourMedian: float
    }

/// Median Euclidean distance of (at most nnQueries of) the query rows to their nearest training
/// row, features standardised with the training mean and sd.
let neighbourMedian (train: float[][]) (queries: float[][]) =
    let d = train.[0].Length
    let mu = Array.init d (fun j -> col j train |> Array.average)

    let sigma =
        Array.init d (fun j -> sqrt ((col j train |> Array.averageBy (fun x -> (x - mu.[j]) ** 2.0))))

    let z (r: float[]) =
        Array.init d (fun j -> (r.[j] - mu.[j]) / sigma.[j])

    let t = train |> Array.map z

    queries
    |> Array.truncate nnQueries
    |> Array.Parallel.map (fun q ->
        let zq = z q
        let mutable best = Double.PositiveInfinity

        for r in t do
            let mutable s = 0.0

            for j in 0 .. d - 1 do
                s <- s + (r.[j] - zq.[j]) ** 2.0

            if s < best then
                best <- s

        sqrt best)
    |> Array.sort
    |> fun a ->
        if a.Length % 2 = 1 then
            a.[a.Length / 2]
        else
            0.5 * (a.[a.Length / 2 - 1] + a.[a.Length / 2])

/// W1(gen, test)/W1(train, test) and its spread over Poisson-bootstrap replicas of all three samples.
let massRatio (mTrain: float[]) (mTest: float[]) (mGen: float[]) =
    let ratio wTr wTe wG =
        Metrics1D.w1Value wG mGen wTe mTest / Metrics1D.w1Value wTr mTrain wTe mTest

    let rng = Random(23)

    // Poisson(1) by Knuth's product of uniforms: the replica weight of each event.
    let poisson1 () =
        let mutable k = 0
        let mutable p = rng.NextDouble()

        while p > exp -1.0 do
            k <- k + 1
            p <- p * rng.NextDouble()

        float k

    let poisson n =
        Some(Array.init n (fun _ -> poisson1 ()))

    let reps =
        Array.init replicas (fun _ -> ratio (poisson mTrain.Length) (poisson mTest.Length) (poisson mGen.Length))

    {
        Value = ratio None None None
        Uncertainty = sd reps (Array.create reps.Length 1.0)
    }

let evaluate (d: DataSet) (train: float[][]) (test: float[][]) (testNeighbours: float) name seconds (gen: float[][]) =
    let mGen = mass gen
    let mTest = mass test

    let window (m: float[]) =
        efficiency None (m |> Array.map (inWindow d))

    let generatedNeighbours = neighbourMedian train gen

    {
        Model = name
        TrainSeconds = seconds
        MassW1 = Metrics1D.w1Value None mGen None mTest
        MassRatio = massRatio (mass train) mTest mGen
        Window = compareMeasurements "M in window" (window mTest) (window mGen)
        CopyRatio = generatedNeighbours / testNeighbours
        GeneratedNeighbourMedian = generatedNeighbours
        TestNeighbourMedian = testNeighbours
    }

// 6. One data set: split, train every model (timed), the figures of merit, then the hold-out of
//    the Cramér GAN with the mass statistics in its loss (its plain run is the one above).
type DataSetResult =
    {
        Name: string
        Columns: string[]
        TrainEvents: int
        TestEvents: int
        WindowLow: float
        WindowHigh: float
        Steps: int
        Models: ModelRow list
        Holdout: Holdout.Result
    }

let timed (f: unit -> 'T) =
    let clock = Stopwatch.StartNew()
    let r = f ()
    r, clock.Elapsed.TotalSeconds

let study (d: DataSet) (rows: float[][]) =
    let train, test = split 7 rows
    printfn "%s: %d training, %d test events" d.Name train.Length test.Length
    let testNeighbours = neighbourMedian train test

    let generated =
        [
            for name, model in models ->
                let gen, seconds = timed (fun () -> model d train)
                printfn "  %-8s trained in %.0f s" name seconds
                name, gen, seconds
        ]

    let rows =
        generated
        |> List.map (fun (name, gen, seconds) -> evaluate d train test testNeighbours name seconds gen)

    let plainCramer =
        generated |> List.pick (fun (n, g, _) -> if n = "cramer" then Some g else None)

    let stats = statistics d
    let inLoss = stats |> List.take 3 |> List.map (fun s -> s.Name)

    let trainWith (names: string list) =
        if List.isEmpty names then
            plainCramer
        else
            let gen, seconds = timed (fun () -> gan GanLoss.Cramer (Some(massInLoss d)) d train)
            printfn "  cramer with the mass in the loss trained in %.0f s" seconds
            gen

    {
        Name = d.Name
        Columns = d.Columns
        TrainEvents = train.Length
        TestEvents = test.Length
        WindowLow = d.WindowLow
        WindowHigh = d.WindowHigh
        Steps = steps
        Models = rows
        Holdout = Holdout.run trainWith inLoss stats test
    },
    test,
    generated

// 7. The page: per data set the model table, the mass histograms (test and every model, as
//    fractions per bin) and the hold-out section.
let modelTable (r: DataSetResult) =
    {
        Document.Caption =
            sprintf
                "%s: %d training / %d test events; mass window %g–%g GeV"
                r.Name
                r.TrainEvents
                r.TestEvents
                r.WindowLow
                r.WindowHigh
        Document.Headers =
            [
                "model"
                "W1(gen, test) / W1(train, test)"
                "window: test"
                "window: generated"
                "σ"
                "copy ratio (NN gen ÷ NN test)"
                "training (s)"
            ]
        Document.Rows =
            [
                for m in r.Models ->
                    [
                        Document.Text m.Model
                        Document.Measured(m.MassRatio.Value, m.MassRatio.Uncertainty)
                        Document.Measured(m.Window.Real.Value, m.Window.Real.Uncertainty)
                        Document.Measured(m.Window.Generated.Value, m.Window.Generated.Uncertainty)
                        Document.Deviation m.Window.Sigma
                        Document.Number m.CopyRatio
                        Document.Number m.TrainSeconds
                    ]
            ]
    }

let massFigure (d: DataSet) (test: float[][]) (generated: (string * float[][] * float) list) =
    let bins = 60
    let width = (d.HistogramHigh - d.HistogramLow) / float bins
    let edges = Array.init (bins + 1) (fun i -> d.HistogramLow + width * float i)

    let fractions (m: float[]) =
        let counts = Array.zeroCreate bins

        for x in m do
            let b = int (floor ((x - d.HistogramLow) / width))

            if b >= 0 && b < bins then
                counts.[b] <- counts.[b] + 1.0

        counts |> Array.map (fun c -> c / float m.Length), counts |> Array.map (fun c -> sqrt c / float m.Length)

    let testFractions, testErrors = fractions (mass test)

    Plotly.figure
        (sprintf "%s: mass, test half vs generated" d.Name)
        "M (GeV)"
        "fraction per bin"
        false
        (Plotly.histogram "test (real)" edges testFractions (Some testErrors)
         :: [
             for name, gen, _ in generated -> Plotly.histogram name edges (fst (fractions (mass gen))) None
         ])

let section (d: DataSet) (r: DataSetResult) test generated =
    Document.section r.Name
    |> Document.withParagraph (
        sprintf
            "Held out: the mass M of the two objects (never in the loss). Ratio ≈ 1: the generated mass is as close to the test half as the training half is; copy ratio ≈ 1: generated events are as far from the training events as new real events, ≈ 0: copies (the library is the negative control). Neural models: default settings, φ periodic; %s."
            (if steps = 0 then
                 "automatic step budget"
             else
                 sprintf "%d steps" steps)
    )
    |> Document.withTable (modelTable r)
    |> Document.withFigure (massFigure d test generated)

let holdoutSection (r: DataSetResult) =
    { Holdout.toSection r.Holdout with
        Title = sprintf "%s: hold-out of the Cramér GAN, mass in the loss (MMD) vs plain" r.Name
    }

let results =
    [
        atlas,
        (if atlasRows.Length > atlasEvents then
             atlasRows |> split 3 |> fst |> Array.truncate atlasEvents
         else
             atlasRows)
        toy, toyRows
    ]
    |> List.map (fun (d, rows) -> d, study d rows)

let summary =
    [
        for d, (r, _, _) in results do
            for m in r.Models do
                sprintf
                    "%s / %s: mass ratio %.2f ± %.2f, window %.3f vs test %.3f (%+.1fσ), copy ratio %.2f"
                    d.Name
                    m.Model
                    m.MassRatio.Value
                    m.MassRatio.Uncertainty
                    m.Window.Generated.Value
                    m.Window.Real.Value
                    m.Window.Sigma
                    m.CopyRatio
    ]

[
    for d, (r, test, generated) in results do
        yield section d r test generated
        yield holdoutSection r
]
|> StudyReport.report
    "Resonance study (ATLAS Higgs-ML and dimuon toy, default models)"
    summary
    (StudyReport.numbers
        "resonance"
        {|
            DataSets = results |> List.map (fun (_, (r, _, _)) -> r)
        |})
|> StudyReport.writeAll "out" "resonance"
